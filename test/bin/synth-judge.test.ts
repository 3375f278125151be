/**
 * Stacks judged where they were written (one verdict per stack, merged in the main thread)
 * give exactly what the serial gate over every stack gives: the same findings in the same
 * order, the same totals, the same violation message and exit code — on the examples as
 * synthesized and on hostile stacks.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize } from '../../bin/lib/synthesize';
import { judgeWritten, stackFile, type JudgedStack } from '../../bin/lib/synth-judge';
import * as policy from '../../policy';
import { isSovereignError } from '../../core/errors';
import { EXAMPLES } from '../support/paths';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const TODAY = '2026-12-07';
let dir: string;
let cwd: string;

beforeAll(() => {
  cwd = process.cwd();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sovereign-synth-judge-'));
  // The examples name files relative to the project (a CA, kubeconfigs).
  fs.cpSync(EXAMPLES, path.join(dir, 'examples'), { recursive: true });
  const secrets = path.resolve(EXAMPLES, '..', 'secrets');
  if (fs.existsSync(secrets)) fs.cpSync(secrets, path.join(dir, 'secrets'), { recursive: true });
  process.chdir(dir);
});
afterAll(() => {
  process.chdir(cwd);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The gate's outcome as a user sees it: the result, or the error's exit code and text. */
function outcome(f: () => unknown): unknown {
  try {
    return { ok: f() };
  } catch (e) {
    if (!isSovereignError(e)) throw e;
    return { exitCode: e.exitCode, message: e.message, problems: e.problems };
  }
}

const stackNames = (out: string) => fs.readdirSync(path.join(out, 'stacks')).sort();

/** The serial gate: every stack read and judged in turn in this thread. */
function serial(out: string, strict = false) {
  return outcome(() =>
    policy.enforceEach(
      stackNames(out).map((name) => ({
        name,
        json: JSON.parse(fs.readFileSync(path.join(out, stackFile(name)), 'utf8')) as unknown,
        file: stackFile(name),
      })),
      { today: TODAY, strict },
    ),
  );
}

/**
 * The parallel gate: the stacks split between "workers" (in reverse order, as replies may
 * arrive), each verdict passed through the structured clone a worker's reply goes through.
 */
function merged(out: string, strict = false) {
  const names = stackNames(out).reverse();
  const half = Math.ceil(names.length / 2);
  const verdicts: JudgedStack[] = [names.slice(half), names.slice(0, half)].flatMap((group) =>
    structuredClone(judgeWritten(out, group, { today: TODAY, strict }, policy)),
  );
  return outcome(() => policy.mergeVerdicts(verdicts));
}

describe('verdicts judged apart merge into the serial gate', () => {
  let whole: Awaited<ReturnType<typeof synthesize>>;
  test('examples/sovereign.yaml, the serial gate (--report judges every stack in one thread)', async () => {
    whole = await synthesize({
      spec: 'examples/sovereign.yaml',
      outdir: 'out-serial',
      jobs: 1,
      cache: false,
      report: 'r.md',
      today: TODAY,
    });
    expect(whole.exitCode).toBe(0);
  });

  test('examples/sovereign.yaml: worker threads judging their own stacks give the same summary and findings', async () => {
    const spec = 'examples/sovereign.yaml';
    const workers = await synthesize({ spec, outdir: 'out-sovereign', jobs: 3, cache: false, today: TODAY });
    expect(workers.exitCode).toBe(0);
    expect(workers.jurisdictions).toEqual(whole.jurisdictions);
    expect(workers.findings).toBe(whole.findings);
  });

  test.each(['sovereign.yaml', 'frontier.yaml', 'provisioned.yaml'])(
    'examples/%s as synthesized: merged verdicts equal the serial gate, strict or not',
    async (example) => {
      const out = `out-${example.replace('.yaml', '')}`;
      if (!fs.existsSync(out))
        await synthesize({ spec: `examples/${example}`, outdir: out, jobs: 2, cache: false, today: TODAY });
      expect(merged(out)).toEqual(serial(out));
      expect(merged(out, true)).toEqual(serial(out, true));
    },
  );

  // The example's suppressions expire on 2027-06-30: judged the day after, they fail (SUP-001).
  const after = '2027-07-01';
  const refusal = async (o: Parameters<typeof synthesize>[0]) => {
    try {
      await synthesize(o);
    } catch (e) {
      if (isSovereignError(e)) return { exitCode: e.exitCode, message: e.message, problems: e.problems };
      throw e;
    }
    return 'no error';
  };
  let inWorkers: Awaited<ReturnType<typeof refusal>>;

  test('a violation found by the workers fails synth as the serial gate does: exit 1, same message, no output', async () => {
    const spec = 'examples/sovereign.yaml';
    inWorkers = await refusal({ spec, outdir: 'out-late-w', jobs: 3, cache: false, today: after });
    const serialGate = await refusal({
      spec,
      outdir: 'out-late-s',
      jobs: 1,
      cache: false,
      report: 'late.md',
      today: after,
    });
    expect(inWorkers).toMatchObject({ exitCode: 1, message: expect.stringMatching(/policy violation/) });
    expect(JSON.stringify(inWorkers)).toMatch(/SUP-001/);
    expect(inWorkers).toEqual(serialGate);
    expect(fs.existsSync('out-late-w')).toBe(false);
  });

  test('verdicts kept in the cache the day before are not taken on the day after: the same refusal', async () => {
    const spec = 'examples/sovereign.yaml';
    await synthesize({ spec, outdir: 'out-late-c', jobs: 1, today: TODAY });
    expect(await refusal({ spec, outdir: 'out-late-c', jobs: 1, today: after })).toEqual(inWorkers);
  });

  test('hostile stacks: the same findings, totals, message and exit code', async () => {
    const out = 'out-hostile';
    // The example as one job synthesized it, without a cache: the output of the first test
    // above (its report was written beside it, not in it), copied instead of synthesized again.
    expect(fs.readdirSync('out-serial').sort()).toEqual(['.sovereign-synth', 'manifest.json', 'stacks']);
    fs.cpSync('out-serial', out, { recursive: true });
    const edit = (stack: string, f: (j: Json) => void) => {
      const file = path.join(out, stackFile(stack));
      const j = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
      f(j);
      fs.writeFileSync(file, JSON.stringify(j, null, 2));
    };
    const containers = (j: Json) =>
      Object.values(j.resource.kubernetes_deployment_v1 as Record<string, Json>).flatMap(
        (d) => d.spec.template.spec.container as Json[],
      );
    // Violations in two stacks that land in different halves, suppressions that are ignored,
    // expired or unused, a lowered pack and a credential: every kind of finding and total.
    edit('de-fra', (j) => {
      containers(j)[0].image = 'docker.io/vllm/vllm-openai:latest';
      containers(j)[0].security_context = [{ privileged: true }];
      j['//'].sovereign.suppressions = [
        ...(j['//'].sovereign.suppressions ?? []),
        { rule: 'SOV-002', resource: '*', reason: 'we like docker hub' },
        { rule: 'K8S-001', resource: '*', reason: 'expired long ago', expires: '2020-01-01' },
        { rule: 'K8S-020', resource: 'nothing.here', reason: 'matches nothing at all' },
      ];
    });
    edit('fr-par', (j) => {
      j['//'].sovereign.packs = j['//'].sovereign.packs.map((p: Json) => ({ ...p, level: 'warning' }));
      containers(j)[0].env = [
        ...(containers(j)[0].env ?? []),
        { name: 'HF_TOKEN', value: `hf_${'a'.repeat(34)}` },
      ];
      containers(j)[0].args = [...(containers(j)[0].args ?? []), '--download-dir=https://huggingface.co/x'];
    });
    const s = serial(out) as { exitCode?: number; message?: string };
    expect(s.exitCode).toBe(1);
    expect(s.message).toMatch(/policy violation/);
    expect(merged(out)).toEqual(s);
    expect(merged(out, true)).toEqual(serial(out, true));
    // Each verdict names the stack, the digest of the bytes judged and its resources.
    const verdicts = judgeWritten(out, stackNames(out), { today: TODAY }, policy);
    expect(verdicts.map((v) => v.name)).toEqual(stackNames(out));
    expect(verdicts.every((v) => /^[0-9a-f]{64}$/.test(v.sha256) && v.resources > 0)).toBe(true);
  });
});
