import { spawnSync } from 'child_process';
import * as path from 'path';
import { REPO_ROOT } from './paths';

/** One message ESLint gave a text. */
export interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
  readonly line: number;
  /** 2 an error, 1 a warning. */
  readonly severity: number;
}

/**
 * Each text linted as if it were the file it names (relative to the repository), with the
 * project's own config, through ESLint's Node API in one child Node process: ESLint loads its flat
 * config (an ES module) with a dynamic import, which jest's module sandbox refuses.
 */
export function lintTexts(
  cases: readonly { readonly file: string; readonly text: string }[],
): LintMessage[][] {
  const script = `
    const { ESLint } = require('eslint');
    let input = '';
    process.stdin.on('data', (c) => (input += c));
    process.stdin.on('end', async () => {
      const eslint = new ESLint({ cwd: process.cwd() });
      const out = [];
      for (const { text, filePath } of JSON.parse(input)) {
        const [r] = await eslint.lintText(text, { filePath });
        out.push(r.messages.map(({ ruleId, message, line, severity }) => ({ ruleId, message, line, severity })));
      }
      process.stdout.write(JSON.stringify(out));
    });`;
  const r = spawnSync(process.execPath, ['-e', script], {
    cwd: REPO_ROOT,
    input: JSON.stringify(cases.map(({ file, text }) => ({ text, filePath: path.join(REPO_ROOT, file) }))),
    encoding: 'utf8',
  });
  if (r.status !== 0 || r.stderr !== '') throw new Error(`eslint failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as LintMessage[][];
}
