/**
 * The API reference is complete: typedoc (typedoc.json, with `validation.notDocumented`) converts
 * the three entry points with no warning and no error, every call signature of RingClient,
 * Pipeline and Transaction carries its own description (what the HTML theme shows), the batch
 * methods show the RingClient method's description (docs/typedoc/batch-comments.mjs), and
 * RingClient's comment names every event of RingClientEvents.
 *
 * Runs typedoc in process (convert + validate, nothing written: no HTML, no JSON), with the
 * configuration's readers only (not process.argv, which is vitest's).
 */

import { join } from 'node:path';
import { Application, Comment, DeclarationReflection, ReflectionKind, TSConfigReader, TypeDocReader, type ProjectReflection } from 'typedoc';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;

let app: Application;
let project: ProjectReflection;

function declaration(path: string[]): DeclarationReflection {
  const r = project.getChildByName(path);
  if (!(r instanceof DeclarationReflection)) throw new TypeError(`${path.join('.')} is not in the API reference`);
  return r;
}

function summary(c: Comment | undefined): string {
  return c === undefined ? '' : Comment.combineDisplayParts(c.summary).trim();
}

/** `[method, signature index]` of every call signature of a class or interface without a description of its own. */
function undescribed(owner: DeclarationReflection): string[] {
  const out: string[] = [];
  for (const m of owner.getChildrenByKind(ReflectionKind.Method)) {
    (m.signatures ?? []).forEach((s, i) => {
      if (summary(s.comment) === '') out.push(`${m.name}#${i}`);
    });
  }
  return out;
}

describe('typedoc API reference', () => {
  beforeAll(async () => {
    app = await Application.bootstrapWithPlugins({ options: join(ROOT, 'typedoc.json'), logLevel: 'Warn' }, [new TypeDocReader(), new TSConfigReader()]);
    const converted = await app.convert();
    if (converted === undefined) throw new TypeError('typedoc could not convert the project (see the errors above)');
    project = converted;
    app.validate(project);
  }, 180_000);

  it('converts and validates with no warning (notDocumented, notExported, invalidLink)', () => {
    expect(app.options.getValue('validation')).toMatchObject({ notDocumented: true, notExported: true, invalidLink: true });
    expect({ errors: app.logger.errorCount, warnings: app.logger.warningCount }).toEqual({ errors: 0, warnings: 0 });
  });

  it('gives every RingClient, Pipeline and Transaction signature a description of its own', () => {
    for (const name of ['RingClient', 'Pipeline', 'Transaction', 'WatchScope']) {
      expect({ name, missing: undescribed(declaration(['ringcache', name])) }).toEqual({ name, missing: [] });
    }
  });

  it("shows RingClient's description on the batch methods, overloads matched", () => {
    for (const method of ['get', 'set', 'hgetall', 'xadd', 'zadd', 'zrange', 'hrandfield', 'lpos']) {
      const direct = (declaration(['ringcache', 'RingClient', method]).signatures ?? []).map((s) => summary(s.comment)).sort();
      for (const batch of ['Pipeline', 'Transaction']) {
        const carried = (declaration(['ringcache', batch, method]).signatures ?? []).map((s) => summary(s.comment)).sort();
        expect({ batch, method, carried }).toEqual({ batch, method, carried: direct });
      }
    }
  });

  it("names every event of RingClientEvents in RingClient's description", () => {
    const events = declaration(['ringcache', 'RingClientEvents']).getChildrenByKind(ReflectionKind.Property).map((p) => p.name);
    expect(events.length).toBeGreaterThan(10);
    const text = summary(declaration(['ringcache', 'RingClient']).comment);
    expect(events.filter((e) => !text.includes(`'${e}'`))).toEqual([]);
  });
});
