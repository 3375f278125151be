/**
 * The serialization floor of the synth benchmark: `node floor.js <synthesized out> <dest>`
 * reads every stack's cdk.tf.json (not timed), then serializes each deterministically as
 * cdktf does (json-stable-stringify, two spaces) and writes it under <dest> in the same
 * layout, and prints the milliseconds that took. No synthesizer can write the same output in
 * less; the bench divides synth time by it.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { manifestText } from '../stacks/cdktf-seam';

const [out, dest] = process.argv.slice(2);
const stacks = readdirSync(path.join(out, 'stacks')).sort();
const parsed = stacks.map(
  (s) => [s, JSON.parse(readFileSync(path.join(out, 'stacks', s, 'cdk.tf.json'), 'utf8'))] as const,
);
const start = process.hrtime.bigint();
for (const [s, json] of parsed) {
  mkdirSync(path.join(dest, 'stacks', s), { recursive: true });
  writeFileSync(path.join(dest, 'stacks', s, 'cdk.tf.json'), manifestText(json));
}
process.stdout.write(`${Number(process.hrtime.bigint() - start) / 1e6}\n`);
