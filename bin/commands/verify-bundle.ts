/**
 * `sovereign verify-bundle <bundle.tar> [--pub key.pem]`: checks an evidence bundle written by
 * `sovereign audit --bundle` — every file's SHA-256 against MANIFEST.sha256, that the manifest
 * lists every file, and with `--pub` the Ed25519 signature over the manifest.
 * Exit codes: 0 everything verifies; 1 any mismatch (a hash, an unlisted or missing file, a
 * damaged header, a missing or invalid signature); 2 the bundle or key cannot be read.
 * Loads no cdktf.
 */
import type { Command } from 'commander';
import { readFileSync } from 'fs';
import { inputInvalid, isSovereignError } from '../../core/errors';
import type { Verification } from '../../policy/report/bundle';
import type { Register } from '../lib/command';
import { stdout } from '../lib/output';

export const register: Register = (program, act) => {
  program
    .command('verify-bundle')
    .description('check every hash of an evidence bundle, and its signature with --pub')
    .argument('<bundle>', 'the evidence bundle (.tar) sovereign audit --bundle wrote')
    .option('--pub <key.pem>', 'Ed25519 public key (PEM) the manifest must be signed with')
    .action((bundle: string, _o, cmd: Command) =>
      act(cmd, () => run(bundle, cmd.optsWithGlobals<VerifyBundleOptions>())),
    );
};

export interface VerifyBundleOptions {
  readonly pub?: string;
  readonly json?: boolean;
  /** Where stdout output goes (tests). @default stdout() of bin/lib/output */
  readonly write?: (s: string) => void;
}

function read(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw inputInvalid(file, `cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export async function run(bundle: string, opts: VerifyBundleOptions = {}): Promise<number> {
  const { BundleError, ed25519Key, verifyBundle } = await import('../../policy/report/bundle');
  const write = opts.write ?? ((s: string) => stdout().write(s));
  let key;
  if (opts.pub !== undefined) {
    try {
      key = ed25519Key(read(opts.pub, 'public key'), 'public');
    } catch (e) {
      if (isSovereignError(e)) throw e;
      throw inputInvalid(
        opts.pub,
        `not a usable public key: ${(e as Error).message.split('\n')[0]}; give an Ed25519 public key in PEM`,
      );
    }
  }
  const data = read(bundle, 'bundle');
  let v: Verification;
  try {
    v = verifyBundle(data, key);
  } catch (e) {
    if (!(e instanceof BundleError)) throw e;
    if (e.kind === 'unsupported') throw inputInvalid(bundle, `is not an evidence bundle: ${e.message}`);
    v = { ok: false, verified: 0, problems: [e.message], signature: 'not checked' };
  }
  if (opts.json) write(`${JSON.stringify({ bundle, ...v }, null, 2)}\n`);
  else {
    const lines = [
      `${v.ok ? 'OK' : 'FAILED'}: ${bundle}: ${v.verified} file(s) match the manifest; signature ${v.signature}${v.signature === 'not checked' ? ' (give --pub <key.pem> to check it)' : ''}`,
      ...v.problems.map((p) => `  ${p}`),
    ];
    write(`${lines.join('\n')}\n`);
  }
  return v.ok ? 0 : 1;
}
