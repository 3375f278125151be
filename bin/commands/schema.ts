/** `sovereign schema`: the spec's JSON Schema on stdout, for editors (yaml-language-server) and CI. */
import type { Command } from 'commander';
import type { Register } from '../lib/command';
import { stdout } from '../lib/output';

export const register: Register = (program, act) => {
  program
    .command('schema')
    .description("print the spec's JSON Schema")
    .action((_o, cmd: Command) => act(cmd, run));
};

export async function run(): Promise<number> {
  const { specJsonSchema } = await import('../../stacks/spec/schema');
  stdout().write(JSON.stringify(specJsonSchema(), null, 2) + '\n');
  return 0;
}
