/**
 * The scripting feature: installs the scripting state, loads the Lua VM before the node loads its
 * data (snapshots may hold function libraries), gives the dispatcher the flags of scripts that
 * declare them (EVAL with `#!lua flags=…`, FCALL), keeps function libraries in snapshots (AUX
 * `function` records, see persistence/snapshot-format.ts), reports INFO memory's scripting fields,
 * and drops a suspended script at shutdown.
 */

import { PersistenceError } from '../../errors.js';
import type { ServerFeature } from '../feature-contract.js';
import { loadLuaRuntime } from './lua-wasm.js';
import { parseEvalShebang, scriptCommandFlags, ScriptFlag } from './script-flags.js';
import { installScripting, type ScriptingState } from './scripting-state.js';
import type { CommandSpec } from '../../commands/spec.js';

function declaredFlags(st: ScriptingState, spec: CommandSpec, argv: string[]): number | null {
  switch (spec.name) {
    case 'eval':
    case 'eval_ro': {
      const cached = st.scripts.peekBody(argv[1]!);
      if (cached !== undefined) return cached.flags;
      const shebang = parseEvalShebang(argv[1]!);
      return typeof shebang === 'string' ? null : shebang.flags;
    }
    case 'evalsha':
    case 'evalsha_ro':
      return argv[1]!.length === 40 ? (st.scripts.get(argv[1]!)?.flags ?? null) : null;
    case 'fcall':
    case 'fcall_ro':
      return st.libraries.find(argv[1]!)?.flags ?? null;
    default:
      return null;
  }
}

export const SCRIPTING_FEATURE: ServerFeature = {
  name: 'scripting',
  install(host) {
    const st = installScripting(host);
    host.onStart(async () => st.init(await loadLuaRuntime()));
    host.dispatcher.hooks.scriptFlags = (spec, argv, flags) => {
      const declared = declaredFlags(st, spec, argv);
      if (declared === null || declared & ScriptFlag.EVAL_COMPAT) return flags;
      return scriptCommandFlags(flags, declared);
    };
    host.ext.set('scripting.memory', () => st.memoryInfo());
    // Function libraries are part of the dataset: in every snapshot, replaced by a loaded one.
    host.keyspace.extras = {
      records: () => [...st.libraries.libraries()].map((lib): [string, string] => ['function', lib.code]),
      clear: () => {
        if (st.fnEngine !== null) st.libraries.clear(st.fnEngine);
      },
      load: (name, value, replace) => {
        if (name !== 'function') return false;
        const out = st.libraries.create(st.fnEngine!, value, replace, 0);
        if (typeof out !== 'string') throw new PersistenceError(`Failed loading library from the data file: ${out.error}`);
        return true;
      },
    };
    host.onShutdown(() => st.close());
  },
};
