/**
 * The words a POSIX shell (bash, as `sh -c` in the images runs) makes of a script, as far as the
 * text alone tells: quotes removed and their parts joined (`ev'il'.example`, `"evil".example`), a
 * backslash escaping the next character (`evil\.example`), a backslash before a newline removed
 * (a line continuation, also inside a name: `MASTER_\⏎ADDR`), ANSI-C quoting `$'…'` decoded
 * (bash(1), QUOTING), `$NAME` and `${NAME}` put in through `lookup`. What a script computes when it
 * runs (command substitution `$(…)` and backticks, arithmetic, `${NAME…}` with an operator,
 * positional and special parameters, a name `lookup` cannot follow, an escape `$'…'` this reader
 * does not decode) makes its part of a word unknown. Command separators (`;`, `&`, `|`, newline,
 * parentheses, redirections) end a word and are returned as `{ sep: true }`.
 */
export interface ShellWord {
  /** The word's text as written in the script. */
  readonly raw: string;
  /** The text the command is given, part by part: `known` false where it is decided at run time. */
  readonly parts: readonly { readonly text: string; readonly known: boolean }[];
  readonly sep?: true;
}

/** Every part's text joined: the word as the command gets it, or undefined when a part is unknown. */
export function wordText(w: ShellWord): string | undefined {
  let s = '';
  for (const p of w.parts) {
    if (!p.known) return undefined;
    s += p.text;
  }
  return s;
}

/** The known text a word starts with (up to its first unknown part). */
export function knownPrefix(w: ShellWord): string {
  let s = '';
  for (const p of w.parts) {
    if (!p.known) break;
    s += p.text;
  }
  return s;
}

/**
 * The words of `text`. `lookup` gives a variable's value, or undefined when it cannot be followed;
 * `onWord` sees each word (and separator) as soon as it is read, before the next is, so a caller
 * can make `lookup` answer what the script itself assigned before that point.
 * `\uE000…\uE001` (private-use characters) in `text` stands for a part already known to be unknown (a `$(NAME)` Kubernetes could
 * not follow).
 */
export function shellWords(
  text: string,
  lookup: (name: string) => string | undefined,
  onWord?: (w: ShellWord) => void,
): ShellWord[] {
  const out: ShellWord[] = [];
  let parts: { text: string; known: boolean }[] = [];
  let start = -1;
  let i = 0;
  const add = (s: string, known = true) => {
    const last = parts[parts.length - 1];
    if (last && last.known && known) last.text += s;
    else parts.push({ text: s, known });
  };
  const begin = () => {
    if (start < 0) start = i;
  };
  const end = () => {
    if (start >= 0) {
      const w = { raw: text.slice(start, i), parts };
      out.push(w);
      onWord?.(w);
    }
    parts = [];
    start = -1;
  };
  /** `$…` at i (i on the `$`): what it puts in; returns the index after it. */
  const dollar = (quoted: boolean): void => {
    const c = text[i + 1];
    if (c === '(') {
      i = closing(text, i + 1, '(', ')');
      add('', false);
      return;
    }
    if (c === '{') {
      const close = text.indexOf('}', i + 2);
      const inner = close < 0 ? text.slice(i + 2) : text.slice(i + 2, close);
      i = close < 0 ? text.length : close + 1;
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(inner)) put(inner);
      else add('', false);
      return;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1, i + 200))?.[0];
    if (name !== undefined) {
      i += 1 + name.length;
      put(name);
      return;
    }
    if (c !== undefined && /[0-9@*#?$!-]/.test(c)) {
      i += 2;
      add('', false);
      return;
    }
    if (!quoted && c === "'") {
      i = ansiC(i + 2);
      return;
    }
    // `$"…"` (a translated string) reads as `"…"`; a lone `$` is itself.
    if (!quoted && c === '"') {
      i += 1;
      return;
    }
    add('$');
    i += 1;
  };
  const put = (name: string) => {
    const v = lookup(name);
    if (v === undefined) add('', false);
    else add(v);
  };
  /** `$'…'` from `from` (after the quote): decoded, returns the index after the closing quote. */
  const ansiC = (from: number): number => {
    let j = from;
    let s = '';
    let known = true;
    while (j < text.length && text[j] !== "'") {
      if (text[j] !== '\\') {
        s += text[j++];
        continue;
      }
      const e = text[j + 1];
      const simple: Record<string, string> = {
        a: '\x07',
        b: '\b',
        e: '\x1b',
        E: '\x1b',
        f: '\f',
        n: '\n',
        r: '\r',
        t: '\t',
        v: '\v',
        '\\': '\\',
        "'": "'",
        '"': '"',
        '?': '?',
      };
      let m: RegExpExecArray | null;
      const rest = text.slice(j + 1, j + 11);
      if (e !== undefined && Object.hasOwn(simple, e)) {
        s += simple[e];
        j += 2;
      } else if ((m = /^x([0-9a-fA-F]{1,2})/.exec(rest))) {
        s += String.fromCharCode(parseInt(m[1], 16));
        j += 1 + m[0].length;
      } else if ((m = /^u([0-9a-fA-F]{1,4})/.exec(rest)) || (m = /^U([0-9a-fA-F]{1,8})/.exec(rest))) {
        const cp = parseInt(m[1], 16);
        if (cp > 0x10ffff) known = false;
        else s += String.fromCodePoint(cp);
        j += 1 + m[0].length;
      } else if ((m = /^[0-7]{1,3}/.exec(rest))) {
        s += String.fromCharCode(parseInt(m[0], 8) & 0xff);
        j += 1 + m[0].length;
      } else {
        // `\cX` and anything else: not decoded here.
        known = false;
        j += 2;
      }
    }
    add(s, known);
    return j + 1;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\\') {
      begin();
      if (text[i + 1] === '\n') i += 2;
      else if (text[i + 1] === '\r' && text[i + 2] === '\n') i += 3;
      else {
        add(text[i + 1] ?? '');
        i += 2;
      }
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      end();
      i += 1;
      continue;
    }
    if (
      c === '\n' ||
      c === ';' ||
      c === '&' ||
      c === '|' ||
      c === '(' ||
      c === ')' ||
      c === '<' ||
      c === '>'
    ) {
      end();
      if (out.length === 0 || !out[out.length - 1].sep) {
        const w: ShellWord = { raw: c, parts: [], sep: true };
        out.push(w);
        onWord?.(w);
      }
      i += 1;
      continue;
    }
    if (c === '#' && start < 0) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      continue;
    }
    begin();
    if (c === '\uE000') {
      add('', false);
      i = unknownMark(text, i);
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      add(close < 0 ? text.slice(i + 1) : text.slice(i + 1, close));
      i = close < 0 ? text.length : close + 1;
    } else if (c === '"') {
      i += 1;
      while (i < text.length && text[i] !== '"') {
        const d = text[i];
        if (d === '\\') {
          const e = text[i + 1];
          if (e === '\n') i += 2;
          else if (e === '$' || e === '`' || e === '"' || e === '\\') {
            add(e);
            i += 2;
          } else {
            add('\\');
            i += 1;
          }
        } else if (d === '$') dollar(true);
        else if (d === '`') {
          i = closing(text, i, '`', '`');
          add('', false);
        } else if (d === '\uE000') {
          add('', false);
          i = unknownMark(text, i);
        } else {
          add(d);
          i += 1;
        }
      }
      i += 1;
    } else if (c === '$') dollar(false);
    else if (c === '`') {
      i = closing(text, i, '`', '`');
      add('', false);
    } else {
      add(c);
      i += 1;
    }
  }
  end();
  return out;
}

/** The index after the `close` that ends what opens at `at` (nested `open`s counted, quotes skipped). */
function closing(text: string, at: number, open: string, close: string): number {
  let depth = 0;
  for (let j = at; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') {
      j += 1;
      continue;
    }
    if (open !== close && (c === "'" || c === '"') && j > at) {
      const q = text.indexOf(c, j + 1);
      if (q < 0) return text.length;
      j = q;
      continue;
    }
    if (c === close && (open === close ? j > at : depth === 1)) return j + 1;
    if (c === open && open !== close) depth += 1;
    else if (c === close) depth -= 1;
  }
  return text.length;
}

/** The index after the `\uE001` that ends an unknown mark starting at `at`. */
function unknownMark(text: string, at: number): number {
  const end = text.indexOf('\uE001', at);
  return end < 0 ? at + 1 : end + 1;
}
