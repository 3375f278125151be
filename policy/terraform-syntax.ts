/**
 * Terraform template syntax inside JSON strings: `${ ... }` interpolations and `%{ ... }`
 * directives (`$${` and `%%{` are literal). The audit judges values, so anything Terraform
 * computes at plan time from something the artifact does not hold (functions such as file(),
 * yamldecode(); variables, locals, data sources, modules) cannot be judged.
 */

export interface Expression {
  /** The sequence as written (`${yamldecode(file("x.yaml"))}`). */
  readonly text: string;
  /** Why it cannot be judged, or undefined for a plain reference to another resource. */
  readonly opaque?: string;
}

const NON_RESOURCE = /^(var|local|data|module|each|count|self|path|terraform)\./;

/** Interpolations and directives in a string. */
export function expressionsIn(s: string): Expression[] {
  if (!s.includes('{')) return [];
  const out: Expression[] = [];
  for (let i = 0; i < s.length - 1; i++) {
    const c = s[i];
    if ((c !== '$' && c !== '%') || s[i + 1] !== '{') continue;
    if (i > 0 && s[i - 1] === c) {
      // `$${` / `%%{`: an escaped literal, unless the escape itself is escaped (`$$${`).
      let n = 0;
      for (let k = i - 1; k >= 0 && s[k] === c; k--) n++;
      if (n % 2 === 1) continue;
    }
    let depth = 0;
    let j = i + 1;
    let inStr = false;
    for (; j < s.length; j++) {
      const d = s[j];
      if (inStr) {
        if (d === '\\') j++;
        else if (d === '"') inStr = false;
      } else if (d === '"') inStr = true;
      else if (d === '{') depth++;
      else if (d === '}' && --depth === 0) break;
    }
    const text = s.slice(i, j + 1);
    const inner = s
      .slice(i + 2, j)
      .trim()
      .replace(/^~\s*/, '')
      .replace(/\s*~$/, '');
    let opaque: string | undefined;
    if (c === '%') opaque = 'a template directive';
    else if (/[A-Za-z_][A-Za-z0-9_:]*\s*\(/.test(inner.replace(/"(?:[^"\\]|\\.)*"/g, '""')))
      opaque = `a Terraform function call (${/([A-Za-z_][A-Za-z0-9_:]*)\s*\(/.exec(inner)?.[1]}())`;
    else if (NON_RESOURCE.test(inner))
      opaque = `a value from ${inner.split('.')[0]}.${inner.split('.')[1] ?? ''}`;
    else if (/[?:]|\bfor\b|\[\*\]|\.\.\./.test(inner.replace(/\[\d+\]/g, '')))
      opaque = 'a conditional or for expression';
    out.push({ text, opaque });
    i = j;
  }
  return out;
}
