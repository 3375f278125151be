/**
 * Reading JSON as Terraform reads it. `JSON.parse` silently keeps the last of two equal keys,
 * while Terraform's JSON syntax merges or rejects them: a duplicated `"resource"` or
 * `"container"` would hide a block from the audit that Terraform applies. This reader refuses
 * a duplicate key anywhere (compared after unescaping, so `"resourc\u0065"` is `"resource"`),
 * with its line and column. It is a plain RFC 8259 recursive-descent parser.
 */

export class JsonReadError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    /** JSON path of the offending key or value (`resource.kubernetes_deployment_v1`). */
    readonly path: string,
  ) {
    super(message);
  }
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Parses `text`, refusing duplicate object keys. Throws JsonReadError (located) on any problem. */
export function parseJsonStrict(text: string): unknown {
  let i = 0;
  const n = text.length;
  const where = (at: number): [number, number] => {
    let line = 1;
    let last = -1;
    for (let k = 0; k < at && k < n; k++)
      if (text.charCodeAt(k) === 0x0a) {
        line++;
        last = k;
      }
    return [line, at - last];
  };
  const fail = (msg: string, at: number, path: string): never => {
    const [l, c] = where(at);
    throw new JsonReadError(msg, l, c, path);
  };
  const ws = () => {
    while (i < n && WS.has(text.charCodeAt(i))) i++;
  };
  const string = (path: string): string => {
    const start = i;
    i++; // opening quote
    let simple = true;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) fail('control character in a string', i, path);
      if (c === 0x5c) {
        simple = false;
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape', i, path);
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail('bad escape in a string', i, path);
        i += 2;
        continue;
      }
      i++;
    }
    if (i >= n) fail('unterminated string', start, path);
    i++;
    const raw = text.slice(start + 1, i - 1);
    return simple ? raw : (JSON.parse(text.slice(start, i)) as string);
  };
  const value = (path: string): unknown => {
    ws();
    if (i >= n) fail('unexpected end of input', i, path);
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      const seen = new Map<string, number>();
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a string key', i, path);
        const keyAt = i;
        const key = string(path);
        const kp = path === '' ? key : `${path}.${key}`;
        const prev = seen.get(key);
        if (prev !== undefined) {
          const [pl, pc] = where(prev);
          fail(
            `duplicate key ${JSON.stringify(key)} (first at ${pl}:${pc}); Terraform reads both, JSON.parse keeps one`,
            keyAt,
            kp,
          );
        }
        seen.set(key, keyAt);
        ws();
        if (text[i] !== ':') fail('expected ":"', i, kp);
        i++;
        const v = value(kp);
        // A "__proto__" key is data, never the prototype.
        Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail('expected "," or "}"', i, kp);
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(`${path}[${arr.length}]`));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('expected "," or "]"', i, path);
      }
    }
    if (c === '"') return string(path);
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    NUMBER_RE.lastIndex = i;
    const m = NUMBER_RE.exec(text);
    if (!m) fail(`unexpected character ${JSON.stringify(c)}`, i, path);
    i += m![0].length;
    return Number(m![0]);
  };
  // A byte order mark is not JSON (Terraform refuses it too).
  const v = value('');
  ws();
  if (i < n) fail('unexpected text after the JSON value', i, '');
  return v;
}
