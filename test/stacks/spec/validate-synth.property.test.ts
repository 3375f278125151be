/**
 * One judgement, two entry points: over seeded random edits of the examples and the held
 * fixtures, `sovereign validate` accepts a spec exactly when `sovereign synth` does (in-process,
 * the real cdktf synth and policy gate into a temporary directory). `npm test` runs a fixed
 * sample of 24 specs; `npm run test:property` runs 2 000 (PROPERTY_SPECS, PROPERTY_SEED).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isSovereignError } from '../../../core/errors';
import { loadSpec } from '../../../stacks/spec/load';
import { synthesize } from '../../../bin/lib/synthesize';
import { generateSpecs } from '../../support/spec-mutations';

const COUNT = Number(process.env.PROPERTY_SPECS ?? 24);
const SEED = Number(process.env.PROPERTY_SEED ?? 14);

function exitOf(e: unknown): number {
  return isSovereignError(e) ? e.exitCode : 70;
}

describe(`validate exit 0 ⇔ synth exit 0, over ${COUNT} generated specs (seed ${SEED})`, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-property-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('every generated spec gets the same verdict from both', async () => {
    const specs = generateSpecs(SEED, COUNT);
    const disagreements: string[] = [];
    const tally = { bothAccept: 0, bothRefuse: 0 };
    for (const [i, g] of specs.entries()) {
      const file = path.join(dir, `spec-${i}.yaml`);
      fs.writeFileSync(file, g.text);
      let validate = 0;
      let validateSays = '';
      try {
        loadSpec(file);
      } catch (e) {
        validate = exitOf(e);
        validateSays = (e as Error).message;
      }
      let synth = 0;
      let synthSays = '';
      try {
        synth = (await synthesize({ spec: file, outdir: path.join(dir, `out-${i}`), today: '2026-12-07' }))
          .exitCode;
      } catch (e) {
        synth = exitOf(e);
        synthSays = (e as Error).message;
      }
      fs.rmSync(path.join(dir, `out-${i}`), { recursive: true, force: true });
      expect(validate).not.toBe(70);
      expect(synth).not.toBe(70);
      if ((validate === 0) !== (synth === 0)) {
        disagreements.push(
          `#${i} from ${g.base}: validate ${validate}, synth ${synth}\n${validateSays || synthSays}\n--- spec ---\n${g.text}`,
        );
      } else if (validate === 0) tally.bothAccept++;
      else tally.bothRefuse++;
    }
    expect(disagreements.slice(0, 3)).toEqual([]);
    // The generator produces both verdicts, or the property says little.
    expect(tally.bothAccept).toBeGreaterThan(COUNT / 20);
    expect(tally.bothRefuse).toBeGreaterThan(COUNT / 5);
  });
});
