/**
 * The quick read of a spec: plain YAML only, values exactly as the full reader gives them.
 *
 * The full reader (`yaml`, with node positions, every refusal located) parses about 3 MB/s;
 * a 900 KB spec of 100 jurisdictions spends 0.33 s there, most of `sovereign validate`. Most
 * specs use none of what that reader refuses, and positions are needed only to report a
 * problem. So a spec is first read with js-yaml, about five times faster, restricted so that
 * what it returns is what `yaml` returns:
 *   - js-yaml reads with its failsafe schema (every scalar a string), and each plain scalar is
 *     typed here by the YAML 1.2 core schema (spec 1.2.2 §10.3.2), with the conversions `yaml`
 *     uses (parseInt, parseFloat, ±Infinity, NaN). js-yaml's own core schema differs from
 *     `yaml`'s on inputs such as `0b101`, `+0x1` and `+.5`.
 *   - It gives up — returns `undefined`, and the full reader takes over with its own messages —
 *     on anything the full reader refuses or reads differently: any js-yaml error (duplicate
 *     keys, bad indentation, several documents, …), an explicit tag, an anchor or alias, a
 *     directive (`%YAML 1.1` changes the schema), an explicit (`?`) or flow-collection key, a
 *     key that is null (`yaml` names it "", js-yaml "null") or a line over 1024 characters
 *     (where `yaml` refuses an implicit key), and a document that is not a mapping.
 * The pre-checks are deliberately coarse: a false alarm costs only the full read.
 * test/stacks/spec/plain-yaml.test.ts compares both readers on every fixture and on a corpus
 * of edge cases.
 */
import { FAILSAFE_SCHEMA, load, type LoadState } from 'js-yaml';

/** Text the quick read leaves to the full reader without trying. */
const NOT_PLAIN = [
  /^%/m, // a directive (%YAML 1.1 reads `yes` as true)
  /!</, // a verbatim tag, which js-yaml reads silently for `!<?>`
  /[\]}][ \t]*:(?=[\s,\]}]|$)/m, // a flow collection used as a key
  /(?:^|[\s[{,])\?(?=\s|$)/m, // an explicit key
];

/** A line where an implicit key could exceed YAML's 1024 characters (a linear scan). */
function hasLongLine(text: string): boolean {
  for (let start = 0; start < text.length;) {
    const end = text.indexOf('\n', start);
    if ((end === -1 ? text.length : end) - start > 1024) return true;
    if (end === -1) break;
    start = end + 1;
  }
  return false;
}

/** YAML 1.2 core schema, plain scalars (YAML 1.2.2 §10.3.2), in `yaml`'s resolution order. */
function coreScalar(s: string): unknown {
  // Every non-string form starts with one of these (or is empty): skip the patterns otherwise.
  if (s !== '' && !'0123456789+-.~nNtTfF'.includes(s[0])) return s;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(s)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s)) return s[0] === 't' || s[0] === 'T';
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
  if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s))
    return s.endsWith('nan') || s.endsWith('NaN') || s.endsWith('NAN')
      ? NaN
      : s[0] === '-'
        ? -Infinity
        : Infinity;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s)) return parseFloat(s);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return parseFloat(s);
  return s;
}

class NotPlain extends Error {}

/** Keys the two readers name differently or refuse. */
function plainKeys(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every(plainKeys);
  for (const [k, v] of Object.entries(value)) {
    if (k === 'null' || !plainKeys(v)) return false;
  }
  return true;
}

/**
 * The spec's data if `text` is plain YAML that both readers read alike, else `undefined`
 * (then read it with the full reader, which also explains what is wrong).
 */
export function readPlainYaml(text: string): Record<string, unknown> | undefined {
  if (NOT_PLAIN.some((re) => re.test(text)) || hasLongLine(text)) return undefined;
  let data: unknown;
  let anchors: Record<string, unknown> = {};
  try {
    data = load(text, {
      schema: FAILSAFE_SCHEMA,
      listener(event, state: LoadState) {
        anchors = state.anchorMap;
        if (event !== 'close') return;
        if (state.anchor !== null) throw new NotPlain();
        if (state.tag === '?') {
          // A plain scalar: failsafe left it a string; type it as the core schema does.
          if (state.kind === 'scalar' && typeof state.result === 'string')
            state.result = coreScalar(state.result);
        } else if (state.tag !== null) {
          throw new NotPlain(); // an explicit tag, even !!str: the full reader refuses every tag
        }
      },
    });
  } catch {
    return undefined;
  }
  if (Object.keys(anchors).length > 0) return undefined;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  return plainKeys(data) ? (data as Record<string, unknown>) : undefined;
}
