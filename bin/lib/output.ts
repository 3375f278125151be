/**
 * Terminal output shared by the commands: problems without stack traces, colour only on a
 * terminal and never with NO_COLOR (https://no-color.org).
 */
import { formatProblem, type Problem } from '../../constructs/errors';

export function useColor(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && process.env.NO_COLOR === undefined && process.env.TERM !== 'dumb';
}

export function paint(stream: NodeJS.WriteStream, code: number, text: string): string {
  return useColor(stream) ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export const red = (s: NodeJS.WriteStream, t: string) => paint(s, 31, t);
export const yellow = (s: NodeJS.WriteStream, t: string) => paint(s, 33, t);
export const green = (s: NodeJS.WriteStream, t: string) => paint(s, 32, t);
export const bold = (s: NodeJS.WriteStream, t: string) => paint(s, 1, t);

/** Problems as located lines on stderr. */
export function printProblems(summary: string, problems: readonly Problem[]): void {
  const err = process.stderr;
  err.write(`${red(err, 'error')} ${summary}\n`);
  for (const p of problems) err.write(`  ${formatProblem(p)}\n`);
}

/** Machine-readable output, stable key order as built. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
