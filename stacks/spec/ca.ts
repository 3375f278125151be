/**
 * The API server's CA for the `kubernetes` state backend, which takes PEM data
 * (`cluster_ca_certificate`), not a file, and where a backend block cannot call `file()`:
 * `sovereign validate` and `sovereign synth` read `cluster.api.caCertificateFile` with this one
 * function, from the project directory (where they run), so both accept or refuse it alike.
 * A CA certificate is public; it is the only file content a stack carries.
 * @see https://developer.hashicorp.com/terraform/language/backend/kubernetes (cluster_ca_certificate)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const PEM = /^-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----\r?\n?$/;

export function readCaPem(file: string): { pem: string } | { problem: string } {
  const resolved = file === '~' || file.startsWith('~/') ? path.join(os.homedir(), file.slice(1)) : file;
  let text: string;
  try {
    text = fs.readFileSync(resolved, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      problem: `cannot be read (${code === 'ENOENT' ? 'no such file' : (code ?? 'error')}): the kubernetes state backend takes the CA's certificates as data, read from this file relative to the project directory`,
    };
  }
  const blocks = text
    .replace(/\r\n/g, '\n')
    .match(/-----BEGIN CERTIFICATE-----\n[^-]+-----END CERTIFICATE-----\n?/g);
  if (
    !blocks ||
    blocks.join('').trim() !== text.replace(/\r\n/g, '\n').trim() ||
    !blocks.every((b) => PEM.test(b))
  ) {
    return { problem: 'is not PEM certificates (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)' };
  }
  return { pem: blocks.map((b) => (b.endsWith('\n') ? b : `${b}\n`)).join('') };
}
