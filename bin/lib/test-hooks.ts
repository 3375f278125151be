/**
 * Fault injection for tests of what a user cannot easily provoke on demand: a kill at an
 * exact step of the output swap, a full disk, a permission the test runs without (root reads
 * everything). Both are inert unless their environment variable is set.
 *
 *   SOVEREIGN_TEST_KILL_AT=<step>        SIGKILL this process when it reaches <step>
 *   SOVEREIGN_TEST_FAULT=<op>:<ERRNO>[:<part>]  the file operation <op> fails with ERRNO
 *                                        (only on paths containing <part>, when given)
 *
 * Steps and operations are named where they are called (bin/lib/output-dir.ts,
 * bin/lib/atomic-write.ts).
 */

export function killPoint(step: string): void {
  if (process.env.SOVEREIGN_TEST_KILL_AT === step) process.kill(process.pid, 'SIGKILL');
}

export function faultPoint(op: string, file: string): void {
  const f = process.env.SOVEREIGN_TEST_FAULT;
  if (f === undefined || f === '') return;
  const [name, code, part] = f.split(':');
  if (name !== op || code === undefined) return;
  if (part !== undefined && !file.includes(part)) return;
  throw Object.assign(new Error(`${code}: injected fault, ${op} '${file}'`), {
    code,
    syscall: op,
    path: file,
  });
}
