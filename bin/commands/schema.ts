/** `sovereign schema`: the spec's JSON Schema on stdout, for editors (yaml-language-server) and CI. */
import { specJsonSchema } from '../../stacks/spec/schema';
import { stdout } from '../lib/output';

export async function run(): Promise<number> {
  stdout().write(JSON.stringify(specJsonSchema(), null, 2) + '\n');
  return 0;
}
