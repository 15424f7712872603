import { describe, expect, it } from 'vitest';
import { HashRing } from '../../../src/ring/hash-ring.js';
import { hashTag, keyHash } from '../../../src/ring/key-hash.js';

describe('keyHash and hash tags', () => {
  it('is MurmurHash3 x86_32 with seed 0', () => {
    expect(keyHash('')).toBe(0);
    expect(keyHash('hello')).toBe(613153351);
  });

  it('follows Redis Cluster hash-tag rules', () => {
    expect(hashTag('{user1000}.following')).toBe('user1000');
    expect(hashTag('{user1000}.followers')).toBe('user1000');
    expect(hashTag('foo{}{bar}')).toBe('foo{}{bar}');
    expect(hashTag('foo{{bar}}zap')).toBe('{bar');
    expect(hashTag('foo{bar}{zap}')).toBe('bar');
    expect(hashTag('plain')).toBe('plain');
    expect(keyHash('{user1000}.following')).toBe(keyHash('user1000'));
  });

  it('hashes strings as UTF-8 and agrees with Buffers of the same bytes', () => {
    for (const k of ['ascii', 'ünïcødé', '日本語のキー', '{tag}x', 'x'.repeat(1000)]) {
      expect(keyHash(k)).toBe(keyHash(Buffer.from(k, 'utf8')));
    }
  });

  it('rejects bad ring definitions with coded errors', () => {
    expect(() => new HashRing([{ name: 'a' }, { name: 'a' }])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => new HashRing([{ name: '' }])).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => new HashRing([]).locate('k')).toThrow(expect.objectContaining({ code: 'ERR_NO_SHARDS' }));
    expect(() => new HashRing([{ name: 'a' }]).withoutShard('b')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});
