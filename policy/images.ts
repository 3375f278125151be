/**
 * Finding the images a Helm release will pull from its `values` documents and `set` entries
 * (parsing a reference is core/images.ts).
 */
import { parse as parseYaml } from 'yaml';
import { isObj, isRef, list, many, str, type Obj } from './json';

export interface FoundImage {
  readonly ref: string;
  /** Where it was found, relative to the resource (`values[0].driver.repository`, `set.driver.image`). */
  readonly path: string;
  readonly unresolved: boolean;
  /**
   * Only the repository is given (`{repository: registry.de.example/nvidia}`, the way the GPU
   * Operator's values mirror images): the chart supplies the image name, and the tag unless a
   * `version` is set. `ref` is the repository (with `:tag` or `@digest` when given); its registry
   * can be judged, but it is not a pullable reference.
   */
  readonly nameFromChart?: boolean;
}

export interface HelmValues {
  readonly trees: { readonly path: string; readonly tree: unknown }[];
  /** Values documents that do not parse (path, message). */
  readonly problems: { readonly path: string; readonly message: string }[];
}

// Three rules read every release's values: each body's documents are parsed once. The trees
// are only read, and the policy never changes a resource body.
// A cached entry is used only while the body still holds the same `values` and `set` arrays.
const parsed = new WeakMap<Obj, { values: unknown; set: unknown; result: HelmValues }>();

/** The release's `values` documents (YAML or JSON) and its `set` entries as trees. */
export function helmValues(body: Obj): HelmValues {
  const hit = parsed.get(body);
  if (hit !== undefined && hit.values === body.values && hit.set === body.set) return hit.result;
  const result = readHelmValues(body);
  parsed.set(body, { values: body.values, set: body.set, result });
  return result;
}

/**
 * A values document as a tree. Documents written by JSON.stringify (as our constructs write
 * them) are read with JSON.parse, which gives the same tree as the YAML parser for such text
 * and is many times faster; the round trip proves the text is compact JSON without duplicate
 * keys. Anything else goes to the YAML parser.
 */
function parseValues(text: string): unknown {
  if (text.startsWith('{') && !text.includes('__proto__')) {
    try {
      const tree: unknown = JSON.parse(text);
      if (JSON.stringify(tree) === text) return tree;
    } catch {
      // not JSON: YAML below
    }
  }
  return parseYaml(text);
}

function readHelmValues(body: Obj): HelmValues {
  const trees: HelmValues['trees'][number][] = [];
  const problems: HelmValues['problems'][number][] = [];
  list(body.values).forEach((v, i) => {
    if (typeof v !== 'string') return;
    try {
      trees.push({ path: `values[${i}]`, tree: parseValues(v) });
    } catch (e) {
      problems.push({
        path: `values[${i}]`,
        message: `does not parse as YAML: ${(e as Error).message.split('\n')[0]}`,
      });
    }
  });
  // Keys are the chart's, from the judged JSON: objects without a prototype, so `__proto__.x`
  // is a key like any other and never reaches Object.prototype.
  const set: Obj = Object.create(null) as Obj;
  for (const entry of [...many(body.set), ...many(body.set_list)]) {
    const name = str(entry.name);
    if (name === undefined) continue;
    const keys = name
      .split(/(?<!\\)\./)
      .map((k) => k.replace(/\\\./g, '.').replace(/\[\d+\]$/, ''))
      .filter((k) => k !== '');
    let cur = set;
    keys.forEach((k, j) => {
      if (j === keys.length - 1) cur[k] = (entry.value ?? null) as Obj[string];
      else {
        if (!Object.hasOwn(cur, k) || !isObj(cur[k])) cur[k] = Object.create(null) as Obj;
        cur = cur[k] as Obj;
      }
    });
  }
  if (Object.keys(set).length > 0) trees.push({ path: 'set', tree: set });
  return { trees, problems };
}

const looksLikeImage = (s: string) =>
  /^[a-z0-9][a-z0-9._\-/:@]*$/i.test(s) && (s.includes('/') || s.includes(':'));

/**
 * Images named in a values tree. Recognises the common chart conventions:
 * `{registry, repository, tag|digest}`, NVIDIA's `{repository, image, version}`,
 * `{repository, tag}` and `image: "<reference>"`, and a mirror given as `{repository[, version]}`
 * alone (`nameFromChart`).
 */
export function imagesInValues(tree: unknown, base: string): FoundImage[] {
  const out: FoundImage[] = [];
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`));
      return;
    }
    if (!isObj(v)) return;
    const s = (k: string) => str(v[k]);
    const repo = s('repository');
    const image = s('image');
    const pin = (name: string, where: string) => {
      const digest = s('digest');
      const version = s('version') ?? s('tag');
      let ref = name;
      if (digest) ref += digest.startsWith('sha256:') ? `@${digest}` : `@sha256:${digest}`;
      else if (version) ref += version.startsWith('sha256:') ? `@${version}` : `:${version}`;
      out.push({ ref, path: where, unresolved: isRef(ref) });
    };
    if (repo !== undefined && image !== undefined) {
      pin(`${repo.replace(/\/+$/, '')}/${image}`, `${path}.repository`);
    } else if (
      repo !== undefined &&
      (s('registry') !== undefined || s('tag') !== undefined || s('digest') !== undefined)
    ) {
      const reg = s('registry');
      pin(reg ? `${reg.replace(/\/+$/, '')}/${repo}` : repo, `${path}.repository`);
    } else if (repo !== undefined && image === undefined && looksLikeImage(repo) && !repo.includes('://')) {
      const version = s('version');
      const ref =
        version === undefined
          ? repo
          : version.startsWith('sha256:')
            ? `${repo}@${version}`
            : `${repo}:${version}`;
      out.push({ ref, path: `${path}.repository`, unresolved: isRef(ref), nameFromChart: true });
    } else if (image !== undefined && looksLikeImage(image)) {
      const tag = s('tag');
      out.push({
        ref: tag && !image.includes(':') && !image.includes('@') ? `${image}:${tag}` : image,
        path: `${path}.image`,
        unresolved: isRef(image),
      });
    }
    for (const [k, x] of Object.entries(v)) if (isObj(x) || Array.isArray(x)) walk(x, `${path}.${k}`);
  };
  walk(tree, base);
  return out;
}

/** Every image a helm_release names, in values order. */
export function helmImages(body: Obj): FoundImage[] {
  return helmValues(body).trees.flatMap((t) => imagesInValues(t.tree, t.path));
}

/** The chart reference of a helm_release: name, repository, version. */
export function helmChart(body: Obj): { chart?: string; repository?: string; version?: string } {
  return { chart: str(body.chart), repository: str(body.repository), version: str(body.version) };
}
