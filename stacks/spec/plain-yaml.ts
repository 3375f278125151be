/**
 * The quick read of a spec: plain YAML only, values exactly as the full reader gives them.
 *
 * The full reader (`yaml`, with node positions, every refusal located) parses about 3 MB/s;
 * a 900 KB spec of 100 jurisdictions spends 0.33 s there, most of `sovereign validate`. Most
 * specs are written in a small, plain part of YAML, and positions are needed only to report a
 * problem. So a spec is first read with js-yaml, about five times faster, and only when it
 * stays inside that part, where both readers agree:
 *   - one document of block mappings and sequences; every scalar and every flow collection
 *     (`[a, b]`, `{k: v}`) on one line; comments after white space;
 *   - no tag, anchor, alias, directive or document marker; no explicit (`?`), flow-collection
 *     or null key (`yaml` names a null key "", js-yaml "null"); no block scalar (`|`, `>`); no
 *     empty list entry (a `-` alone on its line);
 *   - no tab, backslash (so no escape sequence), lone carriage return, control character,
 *     Unicode line separator or byte-order mark past the first character; no line over 1024
 *     characters (where `yaml` refuses an implicit key).
 * js-yaml reads with its failsafe schema (every scalar a string), and each plain scalar is
 * typed here by the YAML 1.2 core schema (YAML 1.2.2 §10.3.2) with the conversions `yaml`
 * uses (parseInt, parseFloat, ±Infinity, NaN); js-yaml's own core schema differs on inputs
 * such as `0b101`, `+0x1` and `+.5`. Anything else — and any js-yaml error — returns
 * `undefined`, and the full reader takes over with its own messages. The checks are coarse on
 * purpose (a `*` or `!` starting a word, a `?` after a space): a false alarm costs only the
 * full read. test/stacks/spec/plain-yaml.test.ts compares both readers on every fixture, on a
 * corpus of edge cases and on seeded random edits of the examples.
 */
import { FAILSAFE_SCHEMA, load, type LoadState } from 'js-yaml';

/** Text the quick read leaves to the full reader without trying. */
const NOT_PLAIN = [
  /^(?:%|---|\.\.\.)/m, // a directive (%YAML 1.1 reads `yes` as true) or a document marker
  /(?:^|[\s[{,])[!&*|>?]/m, // a tag, anchor, alias, block scalar or explicit key starting a token
  /[\]}][ \t]*:/, // a flow collection used as a key
  /["'\]}]#/, // a comment without white space before it (yaml refuses it, js-yaml does not)
  // An empty list entry (`-` alone): js-yaml 4.3.2 may take the next, outer `- ` entry into it.
  /(?:^|[ ])-[ ]*(?:#.*)?$/m,
  // Characters the readers treat differently: tabs, escapes, lone CRs, controls, separators,
  // and a byte-order mark after the first character.
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  /[\t\\\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]|\r(?!\n)|(?!^)\ufeff/,
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
  const opened: number[] = [];
  try {
    data = load(text, {
      schema: FAILSAFE_SCHEMA,
      listener(event, state: LoadState) {
        anchors = state.anchorMap;
        if (event === 'open') {
          opened.push(state.position);
          return;
        }
        const open = opened.pop() ?? 0;
        if (state.kind === 'scalar') {
          // A scalar that spans lines: the readers differ on indentation and folding there.
          if (
            lineBreakBetween(text, open, state.position) &&
            lineBreakBetween(text, firstToken(text, open), state.position)
          )
            throw new NotPlain();
        } else {
          const start = firstToken(text, open);
          const c = text[start];
          if (c === '[' || c === '{') {
            // A flow collection over several lines (as formatters write long lists) only when
            // every line is indented as `yaml` requires. Block collections may span lines.
            if (
              lineBreakBetween(text, start, state.position) &&
              !flowLinesIndented(text, start, state.position)
            )
              throw new NotPlain();
            // As a key of a flow mapping (`{[a]: b}`, `{k, [a]}`), js-yaml names the key by the
            // collection's items, yaml by its YAML text.
            // (js-yaml may open a node twice at one place: the parent is the first that starts
            // elsewhere.)
            let p = opened.length - 1;
            while (p >= 0 && firstToken(text, opened[p]) === start) p--;
            if (p >= 0 && text[firstToken(text, opened[p])] === '{' && !afterColon(text, start))
              throw new NotPlain();
          }
        }
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

/** Where a node's own text starts: past the white space and comments before it. */
function firstToken(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text[i];
    if (c === ' ' || c === '\n' || c === '\r') i++;
    else if (c === '#') {
      const eol = text.indexOf('\n', i);
      if (eol === -1) return text.length;
      i = eol + 1;
    } else return i;
  }
}

/**
 * The lines of a flow collection from `start` to `end` are indented deeper than the line it
 * opens on; its closing line (only the bracket) may be as deep when the bracket opens that
 * line. No comment inside. `yaml` refuses a flow collection whose lines are not indented more
 * than its block parent; js-yaml reads it.
 */
function flowLinesIndented(text: string, start: number, end: number): boolean {
  const span = text.slice(start, end);
  if (span.includes('#')) return false;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const indent = indentation(text, lineStart);
  const opensLine = lineStart + indent === start;
  // After a `- ` on the same line (compact `- key: [`), yaml counts from the entry's column.
  if (!opensLine && text[lineStart + indent] === '-') return false;
  const lines = span.split('\n').slice(1);
  return lines.every((line, i) => {
    const own = indentation(line, 0);
    const closing = i === lines.length - 1 && /^ *[\]}][,\r]?$/.test(line);
    return own > indent || (closing && opensLine && own === indent);
  });
}

function indentation(text: string, from: number): number {
  let i = from;
  while (text[i] === ' ') i++;
  return i - from;
}

/** The token before `at`, past white space, is the `:` of a mapping value. */
function afterColon(text: string, at: number): boolean {
  let i = at - 1;
  while (text[i] === ' ' || text[i] === '\n' || text[i] === '\r') i--;
  return text[i] === ':';
}

function lineBreakBetween(text: string, from: number, to: number): boolean {
  const i = text.indexOf('\n', from);
  return i !== -1 && i < to;
}
