import { evaluateStack, evaluateStacks } from '../../policy/engine';
import { enforce, enforceEach } from '../../policy';
import { isSovereignError } from '../../constructs/errors';
import { DIGEST, exampleStack, metadata } from './fixtures';

const TODAY = '2026-06-01';

describe('engine', () => {
  test('the example stack passes with its one suppression', () => {
    const r = evaluateStack('de', exampleStack(), { today: TODAY });
    expect(r.totals).toMatchObject({ failed: 0, errors: 0, unknown: 0, suppressed: 1 });
    expect(r.totals.passed).toBeGreaterThan(50);
    expect(r.findings.map((f) => [f.rule, f.status])).toEqual([['K8S-023', 'suppressed']]);
  });

  test('a broken copy of the example fails with the right rule ids', () => {
    const j = exampleStack();
    const c = j.resource.kubernetes_deployment_v1.vllm_llama.spec.template.spec.container[0];
    c.image = 'docker.io/vllm/vllm-openai:latest'; // foreign registry and :latest
    c.args[1] = 'meta-llama/Llama-3.1-8B-Instruct'; // hub model id
    j.resource.kubernetes_network_policy_v1.llm_allow_serving.spec.egress.push({
      to: [{ ip_block: { cidr: '0.0.0.0/0' } }],
    }); // open egress
    const r = evaluateStack('de', j, { today: TODAY });
    expect([...new Set(r.findings.filter((f) => f.status === 'failed').map((f) => f.rule))].sort()).toEqual([
      'K8S-019',
      'SOV-001',
      'SOV-002',
      'SOV-009',
      'SOV-011',
    ]);
    expect(r.totals.errors).toBeGreaterThanOrEqual(5);
  });

  test('unknown is reported, never passed; strict mode fails it', () => {
    const j = exampleStack();
    j.resource.kubernetes_deployment_v1.vllm_llama.spec.template.spec.container[0].image =
      '${var.vllm_image}';
    const lax = evaluateStack('de', j, { today: TODAY });
    expect(lax.findings.filter((f) => f.status === 'unknown').map((f) => f.rule)).toEqual([
      'SOV-001',
      'SOV-002',
    ]);
    expect(lax.totals).toMatchObject({ unknown: 2, errors: 0 });
    const strict = evaluateStack('de', j, { today: TODAY, strict: true });
    expect(strict.findings.filter((f) => f.status === 'failed').map((f) => f.rule)).toEqual([
      'SOV-001',
      'SOV-002',
    ]);
    expect(strict.totals).toMatchObject({ unknown: 0, failed: 2, errors: 2 });
  });

  test("a stack's own strict (its profile's) fails its unknown findings, and only its own", () => {
    const withRef = (strict?: boolean) => {
      const j = exampleStack(metadata(strict === undefined ? {} : { strict }));
      j.resource.kubernetes_deployment_v1.vllm_llama.spec.template.spec.container[0].image =
        '${var.vllm_image}';
      return j;
    };
    const ev = evaluateStacks(
      [
        { name: 'lax', json: withRef(false) },
        { name: 'strict', json: withRef(true) },
        { name: 'unset', json: withRef() },
      ],
      { today: TODAY },
    );
    const byName = Object.fromEntries(ev.stacks.map((s) => [s.stack.name, s]));
    expect(ev.stacks.map((s) => [s.stack.name, s.strict])).toEqual([
      ['lax', false],
      ['strict', true],
      ['unset', false],
    ]);
    expect(byName.strict.findings.map((f) => [f.rule, f.status])).toEqual([
      ['K8S-023', 'suppressed'],
      ['SOV-001', 'failed'],
      ['SOV-002', 'failed'],
    ]);
    expect(byName.strict.totals).toMatchObject({ unknown: 0, failed: 2, errors: 2 });
    for (const name of ['lax', 'unset'])
      expect(byName[name].totals).toMatchObject({ unknown: 2, failed: 0, errors: 0 });
    expect(ev.totals.errors).toBe(2);
    expect(ev.strict).toBe(false);
    // --strict applies to every stack, whatever each declares.
    const all = evaluateStacks([{ name: 'lax', json: withRef(false) }], { today: TODAY, strict: true });
    expect(all.stacks[0]).toMatchObject({ strict: true, totals: { errors: 2, unknown: 0 } });
  });

  test('fails SOV-014 when the declared strict is not a boolean', () => {
    const j = exampleStack();
    j['//'].sovereign.strict = 'yes';
    const r = evaluateStack('de', j, { today: TODAY });
    expect(r.strict).toBe(false);
    expect(r.findings.filter((f) => f.status === 'failed').map((f) => [f.rule, f.message])).toEqual([
      ['SOV-014', expect.stringContaining('"//".sovereign.strict must be true or false, got "yes"')],
    ]);
  });

  test('pack levels: a warning-level pack reports without gating', () => {
    const j = exampleStack(
      metadata({
        packs: [
          { id: 'k8s-restricted', level: 'warning' },
          { id: 'sovereignty', level: 'error' },
        ],
      }),
    );
    j.resource.kubernetes_deployment_v1.vllm_llama.spec.template.spec.container[0].security_context.read_only_root_filesystem = false;
    const r = evaluateStack('de', j, { today: TODAY });
    expect(r.findings.filter((f) => f.status === 'failed').map((f) => [f.rule, f.level])).toEqual([
      ['K8S-011', 'warning'],
    ]);
    expect(r.totals).toMatchObject({ errors: 0, warnings: 1 });
    expect(r.frameworks.map((f) => f.pack)).toEqual(['k8s-restricted', 'sovereignty']);
  });

  test('a stack without metadata is judged against the default packs and fails SOV-014', () => {
    const j = exampleStack();
    delete j['//'];
    const r = evaluateStack('de', j, { today: TODAY });
    const failed = new Set(r.findings.filter((f) => f.status === 'failed').map((f) => f.rule));
    expect(failed.has('SOV-014')).toBe(true);
    expect(failed.has('SOV-002')).toBe(true); // nothing is allowed
  });

  test('evaluateStacks sorts stacks and totals them; enforce throws a policy violation (exit 1)', () => {
    const bad = exampleStack();
    bad.resource.kubernetes_deployment_v1.vllm_llama.spec.template.spec.container[0].image = `docker.io/x/y@${DIGEST}`;
    const ev = evaluateStacks(
      [
        { name: 'fr', json: bad },
        { name: 'de', json: exampleStack() },
      ],
      { today: TODAY },
    );
    expect(ev.stacks.map((s) => s.stack.name)).toEqual(['de', 'fr']);
    expect(ev.totals.errors).toBe(1);
    try {
      enforce([{ name: 'fr', json: bad }], { today: TODAY });
      throw new Error('no error');
    } catch (e) {
      expect(isSovereignError(e) && e.exitCode).toBe(1);
      expect((e as Error).message).toContain(
        'fr:kubernetes_deployment_v1.vllm_llama spec.template.spec.container[0].image  SOV-002 image docker.io/x/y@',
      );
    }
    expect(enforce([{ name: 'de', json: exampleStack() }], { today: TODAY }).totals.errors).toBe(0);
  });

  test('enforceEach, one stack at a time, gives the same totals, findings and violation as enforce', () => {
    const bad = exampleStack();
    bad.resource.kubernetes_deployment_v1.vllm_llama.spec.template.spec.container[0].image = `docker.io/x/y@${DIGEST}`;
    const good = [
      { name: 'fr', json: exampleStack() },
      { name: 'de', json: exampleStack() },
    ];
    const all = enforce(good, { today: TODAY });
    function* oneByOne() {
      yield* good;
    }
    const each = enforceEach(oneByOne(), { today: TODAY });
    expect(each.totals).toEqual(all.totals);
    expect(each.findings).toEqual(all.findings);
    expect(each.stacks).toEqual(all.stacks.map((r) => ({ name: r.stack.name, totals: r.totals })));
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    const input = [{ name: 'fr', json: bad }];
    expect(message(() => enforceEach(input.values(), { today: TODAY }))).toBe(
      message(() => enforce(input, { today: TODAY })),
    );
  });
});
