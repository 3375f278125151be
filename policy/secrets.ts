/**
 * Credentials in strings: the formats secret scanners (gitleaks, trufflehog) detect, URL user
 * information and secret-shaped command-line arguments. Shared by spec validation and the
 * policy (K8S-026), and used to redact every report and message: a finding names where a
 * credential is and what kind it is, never its value.
 */

/** Known credential formats, by kind. Each pattern matches the credential itself. */
const FORMATS: readonly (readonly [string, RegExp, readonly string[]])[] = [
  // The third element: literals every match contains (one of them), tested before the pattern.
  ['Hugging Face token', /\bhf_[A-Za-z0-9]{30,}\b/g, ['hf_']],
  [
    'GitHub token',
    /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/g,
    ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
  ],
  ['GitLab token', /\bglpat-[A-Za-z0-9_-]{20,}\b/g, ['glpat-']],
  ['AWS access key id', /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g, ['AKIA', 'ASIA', 'ABIA', 'ACCA']],
  ['API secret key (sk-)', /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}\b/g, ['sk-']],
  ['Stripe key', /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}\b/g, ['k_live_', 'k_test_']],
  ['Slack token', /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, ['xox']],
  ['Google API key', /\bAIza[0-9A-Za-z_-]{35}\b/g, ['AIza']],
  ['JSON Web Token', /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, ['eyJ']],
  [
    'private key',
    /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g,
    ['PRIVATE KEY'],
  ],
];

/** Names of flags and variables that carry a secret. */
export const SECRET_NAME =
  /(secret|token|passw(or)?d|passwd|api[-_]?key|apikey|credential|private[-_]?key|access[-_]?key)/i;
/** `--oidc-client-secret=value`, `--hf-token=value`: a flag named like a secret with a literal value. */
const SECRET_ARG =
  /(^|\s)(--?[A-Za-z0-9_-]*(?:secret|token|passw(?:or)?d|passwd|api[-_]?key|apikey|credential)[A-Za-z0-9_-]*)=(?!\$\{)(\S+)/gi;
/** `scheme://user[:password]@host`: credentials inside a URL. */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@"'?#<>]+)@/gi;

const QUICK =
  /hf_|gh[pousr]_|github_pat_|glpat-|A[KS]IA|ABIA|ACCA|sk-|[rs]k_(live|test)_|xox|AIza|eyJ|PRIVATE KEY|@|=/;

export interface SecretHit {
  /** What was found (`GitHub token`, `URL credentials`, `secret-shaped argument --x-token`). */
  readonly kind: string;
}

/** Credentials in one string: kinds only, never values. */
export function secretsIn(s: string): SecretHit[] {
  if (s.length < 8 || !QUICK.test(s)) return [];
  const out: SecretHit[] = [];
  for (const [kind, re, literals] of FORMATS) {
    if (!literals.some((l) => s.includes(l))) continue;
    re.lastIndex = 0;
    if (re.test(s)) out.push({ kind });
  }
  // A URL's user information needs `://` and `@`; a secret-shaped argument needs `=`.
  if (s.includes('@') && s.includes('://')) {
    USERINFO.lastIndex = 0;
    for (const m of s.matchAll(USERINFO)) {
      if (m[2].includes('${')) continue;
      out.push({ kind: `URL credentials (${m[1]}…@)` });
    }
  }
  if (s.includes('=')) {
    SECRET_ARG.lastIndex = 0;
    for (const m of s.matchAll(SECRET_ARG)) out.push({ kind: `secret-shaped argument ${m[2]}=…` });
  }
  return out;
}

/**
 * Secret-shaped arguments given as two list entries (`["--oidc-client-secret", "value"]`):
 * the index of each value that follows a flag named like a secret and is a literal.
 */
export function secretArgPairs(args: readonly unknown[]): { index: number; flag: string }[] {
  const out: { index: number; flag: string }[] = [];
  for (let i = 0; i + 1 < args.length; i++) {
    const a = args[i];
    const v = args[i + 1];
    if (typeof a !== 'string' || typeof v !== 'string') continue;
    if (!/^--?[A-Za-z0-9_-]+$/.test(a) || !SECRET_NAME.test(a)) continue;
    if (v === '' || v.startsWith('-') || v.includes('${')) continue;
    // `--token-file /path`, `--password-stdin`: a file or a path names where the secret is, not the secret.
    if (
      /file|path|stdin|env|ref|name|id$|url|issuer|ttl|expir/i.test(a) &&
      !/secret$|token$|password$/i.test(a)
    )
      continue;
    out.push({ index: i + 1, flag: a });
  }
  return out;
}

/** The text with every credential masked: URL user information, known formats, secret-shaped argument values. */
export function redact(s: string): string {
  if (s.length < 8 || !QUICK.test(s)) return s;
  let t = s.replace(USERINFO, (_m, scheme: string, info: string) =>
    info.includes('${') ? _m : `${scheme}***@`,
  );
  for (const [kind, re] of FORMATS) t = t.replace(re, `<${kind} redacted>`);
  t = t.replace(SECRET_ARG, (_m, pre: string, flag: string) => `${pre}${flag}=***`);
  return t;
}
