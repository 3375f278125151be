/**
 * Two modules the CLI's dependencies require when they load but a run rarely uses, handed
 * over as stand-ins that require the real module on first use (installed by the CLI entry
 * only, see compile-cache-install.ts):
 *
 * - zod's locale index (`zod/v4/locales/index.cjs`) requires all ~60 of zod's translations,
 *   though a run uses English, which zod requires from its own file: about a third of the
 *   modules `sovereign validate` loads. zod reads the index as
 *   `__importStar(require('../locales/index.cjs'))`, which keeps a module that says it is an
 *   ES module as it is: the stand-in says so (the real index does too), and `z.locales.de`
 *   is then the very function it is without the stand-in.
 * - `node:child_process`, which commander requires for subcommands that are separate
 *   executables (this CLI has none): with what it loads (net, dgram, …) ~10 ms of start-up.
 *
 * A stand-in answers every question (a property, `in`, its keys) from the real module, which
 * it requires then. Other requires load as always.
 */
import Module from 'module';
import * as path from 'path';

type Load = (request: string, parent: NodeJS.Module | undefined, isMain: boolean) => unknown;

const ZOD = `${path.sep}zod${path.sep}v4${path.sep}`;
const ZOD_LOCALES = `${path.sep}${path.join('zod', 'v4', 'locales', 'index.cjs')}`;
const COMMANDER = `${path.sep}${path.join('commander', 'lib', 'command.js')}`;

let installed = false;

/** From now on, the requires above get stand-ins; returns whether it installed. */
export function lazyRequires(): boolean {
  if (installed) return false;
  installed = true;
  const M = Module as unknown as { _load: Load };
  const load = M._load;
  const standIns = new Map<string, object>();
  const shared = (key: string, esModule: boolean, real: () => unknown): object => {
    let s = standIns.get(key);
    if (s === undefined) {
      s = standIn(real, esModule);
      standIns.set(key, s);
    }
    return s;
  };
  M._load = function (this: unknown, request, parent, isMain) {
    const from = parent?.filename;
    if (from !== undefined && from !== null) {
      if (request === 'node:child_process' && from.endsWith(COMMANDER))
        return shared(request, false, () => load.call(this, request, parent, false));
      if (request.endsWith('/locales/index.cjs') && from.includes(ZOD)) {
        const file = path.resolve(path.dirname(from), request);
        if (file.endsWith(ZOD_LOCALES))
          return shared(file, true, () => load.call(this, request, parent, false));
      }
    }
    return load.call(this, request, parent, isMain);
  };
  return true;
}

/**
 * A module object that requires the real one on first use and answers from it; with
 * `esModule`, it says it is an ES module without requiring it (only for a module that is one).
 */
function standIn(real: () => unknown, esModule: boolean): object {
  let mod: object | undefined;
  const get = (): object => (mod ??= Object(real()) as object);
  return new Proxy(
    {},
    {
      get: (_t, k) => (esModule && k === '__esModule' ? true : Reflect.get(get(), k)),
      has: (_t, k) => (esModule && k === '__esModule') || Reflect.has(get(), k),
      ownKeys: () => Reflect.ownKeys(get()),
      // The real module may be frozen; the stand-in's own target is not, so what it reports of
      // the real one has to be configurable (a proxy may not claim a fixed property its target lacks).
      getOwnPropertyDescriptor: (_t, k) => {
        const d = Reflect.getOwnPropertyDescriptor(get(), k);
        return d === undefined ? undefined : { ...d, configurable: true };
      },
      getPrototypeOf: () => Reflect.getPrototypeOf(get()),
      set: () => false,
      defineProperty: () => false,
      deleteProperty: () => false,
    },
  );
}
