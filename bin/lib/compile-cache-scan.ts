/**
 * Whether a CommonJS source may call `import()`: the code cache (compile-cache.ts) compiles a file
 * through `vm.Script`, where `import()` has no module loader, so such a file is compiled as Node
 * compiles it. A file that only names `import(` in a comment or a string (JSDoc types such as
 * `@type {import('./x')}` in commander's help.js and in cdktf's small dependencies) is cached.
 *
 * The scan reads the source as JavaScript's tokens would: comments, '…' and "…" strings,
 * template literals (with `${…}` inside) and regular expression literals are skipped, and
 * `import` followed by `(` (after spaces or comments) anywhere else counts. Where it cannot be
 * sure what it reads (a string or regular expression that runs into a line end, an unclosed
 * comment or template) it answers true, which costs the file its cache entry, never its
 * behaviour. `/` after `)` or `}` is read as a division, as in nearly all code; a regular
 * expression there (`if (a) /x/.test(b)`) holding a quote is caught by the line-end rule, one
 * holding `/*` is not.
 */

/** A quick test first: most files never write `import` before `(` or a comment. */
const MAYBE = /\bimport\s*(?:\(|\/[*/])/;

/** Keywords after which `/` begins a regular expression rather than a division. */
const BEFORE_REGEX = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

const isIdent = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 36 || c === 95 || c > 127;

/** True when `source` may call `import()` (see the file comment). */
export function mayImportDynamically(source: string): boolean {
  if (!MAYBE.test(source)) return false;
  const s = source;
  const n = s.length;
  let i = 0;
  // What the last token was, for `/`: a value (division follows) or not (a regex follows).
  let afterValue = false;
  // Open `${` of template literals: the brace depth inside each.
  const templates: number[] = [];
  let braces = 0;
  // Set after `import` until the next token: `(` then means a call.
  let afterImport = false;

  const skipString = (quote: number): boolean => {
    for (i++; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === 92) i++;
      else if (c === quote) return true;
      else if (c === 10 || c === 13) return false;
    }
    return false;
  };
  // From after a '`' or a '}' that closes `${`: to the closing '`' (true) or a `${` (pushed).
  const skipTemplate = (): boolean => {
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === 92) i++;
      else if (c === 96) return true;
      else if (c === 36 && s.charCodeAt(i + 1) === 123) {
        templates.push(braces);
        i++;
        return true;
      }
    }
    return false;
  };
  const skipRegex = (): boolean => {
    let inClass = false;
    for (i++; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === 92) i++;
      else if (c === 10 || c === 13) return false;
      else if (inClass) inClass = c !== 93;
      else if (c === 91) inClass = true;
      else if (c === 47) {
        while (i + 1 < n && isIdent(s.charCodeAt(i + 1))) i++;
        return true;
      }
    }
    return false;
  };

  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    if (c === 47 && s.charCodeAt(i + 1) === 47) {
      const end = s.indexOf('\n', i);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === 47 && s.charCodeAt(i + 1) === 42) {
      const end = s.indexOf('*/', i + 2);
      if (end < 0) return true;
      i = end + 2;
      continue;
    }
    if (afterImport && c === 40) return true;
    afterImport = false;
    if (c === 39 || c === 34) {
      if (!skipString(c)) return true;
      i++;
      afterValue = true;
    } else if (c === 96) {
      i++;
      if (!skipTemplate()) return true;
      i++;
      afterValue = s.charCodeAt(i - 1) === 96;
    } else if (c === 47) {
      if (afterValue) {
        i++;
        afterValue = false;
      } else {
        if (!skipRegex()) return true;
        i++;
        afterValue = true;
      }
    } else if (isIdent(c)) {
      const start = i;
      while (i < n && isIdent(s.charCodeAt(i))) i++;
      const word = s.slice(start, i);
      // `x.import(…)` is a method, yet counted: erring towards true is safe.
      afterImport = word === 'import';
      afterValue = !BEFORE_REGEX.has(word);
    } else if (c === 125 && templates.length > 0 && templates[templates.length - 1] === braces) {
      // The `}` that closes a template's `${`: the template goes on.
      templates.pop();
      i++;
      if (!skipTemplate()) return true;
      i++;
      afterValue = s.charCodeAt(i - 1) === 96;
    } else {
      if (c === 123) braces++;
      else if (c === 125) braces--;
      // A closing bracket ends a value; any other punctuator expects one.
      afterValue = c === 41 || c === 93 || c === 125;
      i++;
    }
  }
  return templates.length > 0;
}
