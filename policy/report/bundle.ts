/**
 * The evidence bundle: one POSIX ustar archive holding the synthesized files, the reports in
 * every format, the plan JSON when given, and `MANIFEST.sha256` (the SHA-256 of every other
 * file, in `sha256sum` format), optionally `MANIFEST.sha256.sig`: a detached Ed25519 signature
 * over the manifest's bytes, checkable with
 * `openssl pkeyutl -verify -pubin -inkey pub.pem -rawin -in MANIFEST.sha256 -sigfile MANIFEST.sha256.sig`.
 *
 * Deterministic: entries sorted by name, mode 0644, uid/gid 0, no user or group names, one
 * fixed mtime (the audit time), so the same input and audit time give the same bytes.
 * Reading refuses anything but regular files with safe relative names.
 * @see https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_06 (ustar)
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'crypto';

export const MANIFEST = 'MANIFEST.sha256';
export const SIGNATURE = 'MANIFEST.sha256.sig';

const BLOCK = 512;

export interface Entry {
  readonly name: string;
  readonly data: Buffer;
}

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A name the archive may hold: relative, `/`-separated, no `.`/`..` segment, printable ASCII. */
export function safeName(name: string): boolean {
  return (
    /^[A-Za-z0-9._+@=-][A-Za-z0-9._+@=/-]*$/.test(name) &&
    !name.endsWith('/') &&
    name.split('/').every((s) => s !== '' && s !== '.' && s !== '..') &&
    Buffer.byteLength(name) <= 255
  );
}

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    // Split at a '/' so that the name fits 100 bytes and the prefix 155.
    const i = name.lastIndexOf('/', name.length - 1);
    let cut = -1;
    for (let j = i; j > 0; j = name.lastIndexOf('/', j - 1)) {
      if (Buffer.byteLength(name.slice(j + 1)) <= 100 && Buffer.byteLength(name.slice(0, j)) <= 155) {
        cut = j;
        break;
      }
    }
    if (cut < 0) throw new Error(`name too long for ustar: ${name}`);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  h.write(base, 0, 100, 'utf8');
  h.write(octal(0o644, 8), 100, 8, 'ascii');
  h.write(octal(0, 8), 108, 8, 'ascii');
  h.write(octal(0, 8), 116, 8, 'ascii');
  h.write(octal(size, 12), 124, 12, 'ascii');
  h.write(octal(mtime, 12), 136, 12, 'ascii');
  h.write('        ', 148, 8, 'ascii');
  h.write('0', 156, 1, 'ascii');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

/** A ustar archive of the entries, sorted by name. */
export function tar(entries: readonly Entry[], mtime: number): Buffer {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const parts: Buffer[] = [];
  const seen = new Set<string>();
  for (const e of sorted) {
    if (!safeName(e.name)) throw new Error(`unsafe name in bundle: ${e.name}`);
    if (seen.has(e.name)) throw new Error(`duplicate name in bundle: ${e.name}`);
    seen.add(e.name);
    parts.push(header(e.name, e.data.length, mtime), e.data);
    const pad = (BLOCK - (e.data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return Buffer.concat(parts);
}

/** Why an archive cannot be read: `tampered` (a header that does not check out) or `unsupported`. */
export class BundleError extends Error {
  constructor(
    message: string,
    readonly kind: 'tampered' | 'unsupported',
  ) {
    super(message);
  }
}

const field = (h: Buffer, at: number, len: number) => {
  const s = h.subarray(at, at + len);
  const z = s.indexOf(0);
  return (z >= 0 ? s.subarray(0, z) : s).toString('utf8');
};

/** The regular files of a ustar archive; refuses links, devices, unsafe or repeated names. */
export function untar(buf: Buffer): Entry[] {
  const out: Entry[] = [];
  const seen = new Set<string>();
  let at = 0;
  for (;;) {
    if (at + BLOCK > buf.length)
      throw at === 0
        ? new BundleError('not a tar archive (shorter than one header)', 'unsupported')
        : new BundleError('the archive ends inside a header', 'tampered');
    const h = buf.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) break;
    if (field(h, 257, 6) !== 'ustar')
      throw new BundleError(`not a ustar archive (header at byte ${at})`, 'unsupported');
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
    const stored = parseInt(field(h, 148, 8).trim() || 'x', 8);
    if (stored !== sum) throw new BundleError(`header checksum mismatch at byte ${at}`, 'tampered');
    const prefix = field(h, 345, 155);
    const name = prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100);
    const type = String.fromCharCode(h[156] || 48);
    const sizeText = field(h, 124, 12).trim();
    if (!/^[0-7]+$/.test(sizeText)) throw new BundleError(`bad size in the header of ${name}`, 'tampered');
    const size = parseInt(sizeText, 8);
    if (type !== '0') throw new BundleError(`${name}: not a regular file (type ${type})`, 'unsupported');
    if (!safeName(name)) throw new BundleError(`unsafe name: ${JSON.stringify(name)}`, 'unsupported');
    if (seen.has(name)) throw new BundleError(`${name} appears twice`, 'tampered');
    seen.add(name);
    const start = at + BLOCK;
    if (start + size > buf.length)
      throw new BundleError(`${name}: the archive ends inside its data`, 'tampered');
    out.push({ name, data: Buffer.from(buf.subarray(start, start + size)) });
    at = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}

/** `sha256sum` lines for every entry, sorted by name. */
export function manifestOf(entries: readonly Entry[]): string {
  return [...entries]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((e) => `${sha256(e.data)}  ${e.name}\n`)
    .join('');
}

/** Reads a PEM key; Ed25519 only. */
export function ed25519Key(pem: Buffer, kind: 'private' | 'public'): KeyObject {
  const key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519')
    throw new Error(
      `an Ed25519 ${kind} key is required, this is ${key.asymmetricKeyType ?? 'not an asymmetric key'}`,
    );
  return key;
}

/** The archive: the entries, their manifest, and the manifest's signature when a key is given. */
export function buildBundle(entries: readonly Entry[], opts: { mtime: number; signKey?: KeyObject }): Buffer {
  for (const e of entries)
    if (e.name === MANIFEST || e.name === SIGNATURE) throw new Error(`${e.name} is reserved in a bundle`);
  const manifest = Buffer.from(manifestOf(entries));
  const all: Entry[] = [...entries, { name: MANIFEST, data: manifest }];
  if (opts.signKey) all.push({ name: SIGNATURE, data: sign(null, manifest, opts.signKey) });
  return tar(all, opts.mtime);
}

export interface Verification {
  readonly ok: boolean;
  /** Files whose hash matched. */
  readonly verified: number;
  readonly problems: readonly string[];
  readonly signature: 'valid' | 'invalid' | 'absent' | 'not checked';
}

/** Checks every hash of the manifest, that it lists every file, and the signature when a key is given. */
export function verifyBundle(buf: Buffer, publicKey?: KeyObject): Verification {
  const problems: string[] = [];
  const entries = untar(buf);
  const byName = new Map(entries.map((e) => [e.name, e.data]));
  const manifest = byName.get(MANIFEST);
  if (manifest === undefined)
    return { ok: false, verified: 0, problems: [`${MANIFEST} is missing`], signature: 'absent' };
  const listed = new Set<string>();
  let verified = 0;
  manifest
    .toString('utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line === '') return;
      const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
      if (!m) {
        problems.push(`${MANIFEST}:${i + 1}: not a "<sha256>  <name>" line`);
        return;
      }
      const [, hash, name] = m;
      if (listed.has(name)) problems.push(`${MANIFEST}:${i + 1}: ${name} listed twice`);
      listed.add(name);
      const data = byName.get(name);
      if (data === undefined) problems.push(`${name}: listed in ${MANIFEST} but not in the bundle`);
      else if (sha256(data) !== hash)
        problems.push(`${name}: SHA-256 ${sha256(data)} does not match the manifest (${hash})`);
      else verified++;
    });
  for (const e of entries)
    if (e.name !== MANIFEST && e.name !== SIGNATURE && !listed.has(e.name))
      problems.push(`${e.name}: in the bundle but not in ${MANIFEST}`);
  const sig = byName.get(SIGNATURE);
  let signature: Verification['signature'] = sig === undefined ? 'absent' : 'not checked';
  if (publicKey) {
    if (sig === undefined) problems.push(`${SIGNATURE} is missing: the bundle is not signed`);
    else if (verify(null, manifest, publicKey, sig)) signature = 'valid';
    else {
      signature = 'invalid';
      problems.push(`${SIGNATURE} does not verify with the given public key`);
    }
  }
  return { ok: problems.length === 0, verified, problems, signature };
}
