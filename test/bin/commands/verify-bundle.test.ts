/**
 * The evidence bundle end to end: `sovereign audit --bundle --sign-key` packs, `verify-bundle`
 * checks; one byte changed anywhere makes it fail. The signature is also checked with the
 * openssl command docs/evidence.md gives, when openssl is on the machine.
 */
import { spawnSync } from 'child_process';
import { generateKeyPairSync } from 'crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { run as audit } from '../../../bin/commands/audit';
import { run as verify } from '../../../bin/commands/verify-bundle';
import { isSovereignError } from '../../../core/errors';
import { MANIFEST, SIGNATURE, untar } from '../../../policy/report/bundle';
import { exampleStack } from '../../policy/fixtures';
import { PLAN_FIXTURE } from '../../policy/report/helpers';

let dir: string;
const out: string[] = [];
const write = (s: string) => void out.push(s);
const NOW = '2026-06-01T10:00:00Z';

function cdktfOut(): string {
  const d = join(dir, 'cdktf.out');
  mkdirSync(join(d, 'stacks', 'de'), { recursive: true });
  writeFileSync(join(d, 'stacks', 'de', 'cdk.tf.json'), JSON.stringify(exampleStack(), null, 2));
  return d;
}

function keys(): { priv: string; pub: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const priv = join(dir, 'key.pem');
  const pub = join(dir, 'pub.pem');
  writeFileSync(priv, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }));
  return { priv, pub };
}

async function expectExit2(p: Promise<unknown>, message: RegExp): Promise<void> {
  await expect(p).rejects.toThrow(message);
  await p.catch((e) => {
    expect(isSovereignError(e)).toBe(true);
    if (isSovereignError(e)) expect(e.exitCode).toBe(2);
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sovereign-bundle-'));
  out.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('evidence bundle', () => {
  test('round trip: pack, verify, tamper one byte, verify fails', async () => {
    const d = cdktfOut();
    const { priv, pub } = keys();
    const tarball = join(dir, 'out', 'evidence.tar');
    expect(
      await audit(d, {
        write,
        today: '2026-06-01',
        now: NOW,
        plan: PLAN_FIXTURE,
        bundle: tarball,
        signKey: priv,
      }),
      // The hand-made plan's planned values leave out what the provider fills in, so the rules
      // judging them fail: a failing audit is packed like a passing one.
    ).toBe(1);
    const names = untar(readFileSync(tarball)).map((e) => e.name);
    expect(names).toEqual([
      MANIFEST,
      SIGNATURE,
      'plan/plan-1.2.json',
      'reports/audit.cdx.json',
      'reports/audit.html',
      'reports/audit.json',
      'reports/audit.md',
      'reports/audit.txt',
      'synthesized/stacks/de/cdk.tf.json',
    ]);
    out.length = 0;
    expect(await verify(tarball, { pub, write })).toBe(0);
    expect(out.join('')).toMatch(/^OK: .*evidence\.tar: 7 file\(s\) match the manifest; signature valid\n$/);

    // One byte of one file, in place: the header stays valid, the hash does not.
    const bytes = readFileSync(tarball);
    const at = bytes.indexOf(Buffer.from('"gate": "fail"'));
    expect(at).toBeGreaterThan(0);
    const tampered = Buffer.from(bytes);
    tampered[at + 9] = 'p'.charCodeAt(0);
    writeFileSync(join(dir, 'tampered.tar'), tampered);
    out.length = 0;
    expect(await verify(join(dir, 'tampered.tar'), { pub, write })).toBe(1);
    expect(out.join('')).toMatch(
      /FAILED: .*\n {2}reports\/audit\.json: SHA-256 [0-9a-f]{64} does not match the manifest/,
    );
    // Without the key the hashes alone still catch it.
    expect(await verify(join(dir, 'tampered.tar'), { write })).toBe(1);
  });

  test('a rewritten manifest fails the signature; a header byte fails its checksum', async () => {
    const d = cdktfOut();
    const { priv, pub } = keys();
    const tarball = join(dir, 'evidence.tar');
    await audit(d, { write, today: '2026-06-01', now: NOW, bundle: tarball, signKey: priv });
    const bytes = readFileSync(tarball);
    // Change a report and its line in the manifest consistently: only the signature tells.
    const entries = untar(bytes);
    const { buildBundle } = await import('../../../policy/report/bundle');
    const forged = entries
      .filter((e) => e.name !== MANIFEST && e.name !== SIGNATURE)
      .map((e) => (e.name === 'reports/audit.md' ? { ...e, data: Buffer.from('# all good\n') } : e));
    const sig = entries.find((e) => e.name === SIGNATURE)!;
    const rebuilt = untar(buildBundle(forged, { mtime: 0 }));
    writeFileSync(
      join(dir, 'forged.tar'),
      (await import('../../../policy/report/bundle')).tar([...rebuilt, sig], 0),
    );
    out.length = 0;
    expect(await verify(join(dir, 'forged.tar'), { write })).toBe(0); // hashes agree with the forged manifest …
    expect(await verify(join(dir, 'forged.tar'), { pub, write })).toBe(1); // … the signature does not
    expect(out.join('')).toContain(`${SIGNATURE} does not verify with the given public key`);

    const header = Buffer.from(bytes);
    header[5] ^= 0x01; // inside the first entry's name
    writeFileSync(join(dir, 'header.tar'), header);
    out.length = 0;
    expect(await verify(join(dir, 'header.tar'), { pub, write })).toBe(1);
    expect(out.join('')).toContain('header checksum mismatch at byte 0');
  });

  test('an unsigned bundle fails when a key is required; another key fails', async () => {
    const d = cdktfOut();
    const tarball = join(dir, 'evidence.tar');
    await audit(d, { write, today: '2026-06-01', now: NOW, bundle: tarball });
    const { pub } = keys();
    out.length = 0;
    expect(await verify(tarball, { write })).toBe(0);
    expect(out.join('')).toContain('signature absent');
    expect(await verify(tarball, { pub, write })).toBe(1);
    expect(out.join('')).toContain(`${SIGNATURE} is missing: the bundle is not signed`);

    const signed = join(dir, 'signed.tar');
    const first = keys();
    await audit(d, { write, today: '2026-06-01', now: NOW, bundle: signed, signKey: first.priv });
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' });
    writeFileSync(join(dir, 'other.pem'), other);
    expect(await verify(signed, { pub: join(dir, 'other.pem'), write })).toBe(1);
  });

  test('deterministic: the same input and audit time give the same bytes', async () => {
    const d = cdktfOut();
    const { priv } = keys();
    await audit(d, { write, today: '2026-06-01', now: NOW, bundle: join(dir, 'a.tar'), signKey: priv });
    await audit(d, { write, today: '2026-06-01', now: NOW, bundle: join(dir, 'b.tar'), signKey: priv });
    expect(readFileSync(join(dir, 'a.tar')).equals(readFileSync(join(dir, 'b.tar')))).toBe(true);
  });

  test('the signature verifies with the documented openssl command', async () => {
    const d = cdktfOut();
    const { priv, pub } = keys();
    const tarball = join(dir, 'evidence.tar');
    await audit(d, { write, today: '2026-06-01', now: NOW, bundle: tarball, signKey: priv });
    for (const e of untar(readFileSync(tarball))) {
      mkdirSync(join(dir, 'x', e.name, '..'), { recursive: true });
      writeFileSync(join(dir, 'x', e.name), e.data);
    }
    const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
    if (openssl.error) {
      // The one sub-check that needs openssl; everything else above ran.
      console.warn('openssl is not installed: skipping the openssl pkeyutl check of the signature');
      return;
    }
    const args = [
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      pub,
      '-rawin',
      '-in',
      MANIFEST,
      '-sigfile',
      SIGNATURE,
    ];
    const ok = spawnSync('openssl', args, { cwd: join(dir, 'x'), encoding: 'utf8' });
    expect([ok.status, ok.stdout.trim()]).toEqual([0, 'Signature Verified Successfully']);
    writeFileSync(
      join(dir, 'x', MANIFEST),
      // One character changed whatever it was (a digest may already start with 0).
      readFileSync(join(dir, 'x', MANIFEST), 'utf8').replace(/^./, (c) => (c === '0' ? '1' : '0')),
    );
    const bad = spawnSync('openssl', args, { cwd: join(dir, 'x'), encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
  });

  test('bad input exits 2 with a located message, and writes nothing', async () => {
    const d = cdktfOut();
    const tarball = join(dir, 'evidence.tar');
    await expectExit2(
      audit(d, { write, signKey: join(dir, 'k.pem') }),
      /--sign-key signs the evidence bundle: give --bundle/,
    );
    writeFileSync(
      join(dir, 'rsa.pem'),
      generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    await expectExit2(
      audit(d, { write, bundle: tarball, signKey: join(dir, 'rsa.pem') }),
      /an Ed25519 private key is required, this is rsa/,
    );
    await expectExit2(
      audit(d, { write, bundle: tarball, signKey: join(dir, 'missing.pem') }),
      /cannot read the signing key \(ENOENT\)/,
    );
    expect(existsSync(tarball)).toBe(false);
    // Never overwrites a file it did not write.
    writeFileSync(join(dir, 'notes.tar'), 'my notes');
    await expectExit2(
      audit(d, { write, bundle: join(dir, 'notes.tar') }),
      /exists and is not an evidence bundle: refusing to overwrite it/,
    );
    expect(readFileSync(join(dir, 'notes.tar'), 'utf8')).toBe('my notes');
    // verify-bundle: unreadable, not a tar, a path-traversal entry.
    await expectExit2(verify(join(dir, 'missing.tar'), { write }), /cannot read the bundle \(ENOENT\)/);
    await expectExit2(verify(join(dir, 'notes.tar'), { write }), /is not an evidence bundle/);
    const { tar } = await import('../../../policy/report/bundle');
    expect(() => tar([{ name: '../etc/passwd', data: Buffer.from('x') }], 0)).toThrow(/unsafe name/);
    const evil = tar([{ name: 'a', data: Buffer.from('x') }], 0);
    evil.write('../x\0', 0, 'ascii');
    // Recompute the checksum so only the name is wrong.
    evil.write('        ', 148, 'ascii');
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += evil[i];
    evil.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    writeFileSync(join(dir, 'evil.tar'), evil);
    await expectExit2(verify(join(dir, 'evil.tar'), { write }), /unsafe name: "\.\.\/x"/);
    await expectExit2(
      verify(join(dir, 'evil.tar'), { write, pub: join(dir, 'notes.tar') }),
      /not a usable public key/,
    );
  });
});
