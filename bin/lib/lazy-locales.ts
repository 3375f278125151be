/**
 * zod's locale index (`zod/v4/locales/index.cjs`) requires all of its ~60 translations when
 * zod loads, though a run uses one (English, which zod requires directly from its own file).
 * For the CLI, zod's own modules get a stand-in for that index instead, which requires the
 * real index on first use: `z.locales.de` is then the very function it is without the
 * stand-in. About a third of the modules `sovereign validate` loads, and ~25 ms of its start-up.
 *
 * zod reads the index as `__importStar(require('../locales/index.cjs'))`, which keeps a module
 * that says it is an ES module as it is: the stand-in says so (the real index does too) and
 * answers everything else from the real index. Other requires load as always.
 */
import Module from 'module';
import * as path from 'path';

type Load = (request: string, parent: NodeJS.Module | undefined, isMain: boolean) => unknown;

const ZOD = `${path.sep}zod${path.sep}v4${path.sep}`;
const INDEX = `${path.sep}${path.join('zod', 'v4', 'locales', 'index.cjs')}`;

let installed = false;

/** From now on, zod gets a stand-in for its locale index; returns whether it installed. */
export function lazyZodLocales(): boolean {
  if (installed) return false;
  installed = true;
  const M = Module as unknown as { _load: Load };
  const load = M._load;
  const standIns = new Map<string, object>();
  M._load = function (this: unknown, request, parent, isMain) {
    const from = parent?.filename;
    if (request.endsWith('/locales/index.cjs') && from?.includes(ZOD) === true) {
      const file = path.resolve(path.dirname(from), request);
      if (file.endsWith(INDEX)) {
        let s = standIns.get(file);
        if (s === undefined) {
          s = standIn(() => load.call(this, request, parent, false) as object);
          standIns.set(file, s);
        }
        return s;
      }
    }
    return load.call(this, request, parent, isMain);
  };
  return true;
}

/** A module object that loads the real one on first use and answers from it. */
function standIn(real: () => object): object {
  let mod: object | undefined;
  const get = (): object => (mod ??= Object(real()) as object);
  return new Proxy(
    {},
    {
      get: (_t, k) => (k === '__esModule' ? true : Reflect.get(get(), k)),
      has: (_t, k) => k === '__esModule' || Reflect.has(get(), k),
      ownKeys: () => Reflect.ownKeys(get()),
      // The real index is frozen; the stand-in's own target is not, so what it reports of the
      // real one has to be configurable (a proxy may not claim a fixed property its target lacks).
      getOwnPropertyDescriptor: (_t, k) => {
        const d = Reflect.getOwnPropertyDescriptor(get(), k);
        return d === undefined ? undefined : { ...d, configurable: true };
      },
      set: () => false,
      defineProperty: () => false,
      deleteProperty: () => false,
    },
  );
}
