import { PROFILE_PACKS } from '../../policy/packs';
import { evaluateStack, evaluateStacks } from '../../policy/engine';
import { enforce, enforceEach } from '../../policy';
import { isSovereignError } from '../../core/errors';
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

  // A profile that is not strict (eu-gdpr): only the deny-by-default of sovereignty rules applies.
  const lax = (over: Parameters<typeof metadata>[0] = {}) =>
    metadata({ profile: 'eu-gdpr', packs: PROFILE_PACKS['eu-gdpr'], ...over });

  test('unknown sovereignty results fail by default; --allow-unknown reports them; strict fails them again', () => {
    const j = exampleStack(lax());
    j.resource.kubernetes_deployment_v1.vllm_llama.spec.template.spec.container[0].image =
      '${var.vllm_image}';
    const denied = evaluateStack('de', j, { today: TODAY });
    expect(denied.findings.filter((f) => f.status === 'failed').map((f) => f.rule)).toEqual([
      'SOV-001',
      'SOV-002',
      'SOV-016',
    ]);
    const allowed = evaluateStack('de', j, { today: TODAY, allowUnknown: 'image set at deploy time' });
    expect(allowed.findings.filter((f) => f.status === 'unknown').map((f) => f.rule)).toEqual([
      'SOV-001',
      'SOV-002',
      'SOV-016',
    ]);
    expect(allowed.totals).toMatchObject({ unknown: 3, errors: 0 });
    const strict = evaluateStack('de', j, {
      today: TODAY,
      strict: true,
      allowUnknown: 'image set at deploy time',
    });
    expect(strict.findings.filter((f) => f.status === 'failed').map((f) => f.rule)).toEqual([
      'SOV-001',
      'SOV-002',
      'SOV-016',
    ]);
    expect(strict.totals).toMatchObject({ unknown: 0, failed: 3, errors: 3 });
  });

  test("a stack's own strict (or its profile's) fails its unknown findings, and only its own", () => {
    const withRef = (strict?: boolean) => {
      const j = exampleStack(lax(strict === undefined ? {} : { strict }));
      j.resource.kubernetes_deployment_v1.vllm_llama.spec.template.spec.container[0].image =
        '${var.vllm_image}';
      return j;
    };
    const opts = { today: TODAY, allowUnknown: 'image set at deploy time' };
    const ev = evaluateStacks(
      [
        { name: 'lax', json: withRef(false) },
        { name: 'strict', json: withRef(true) },
        { name: 'unset', json: withRef() },
        {
          name: 'profile',
          json: (() => {
            const j = withRef(false);
            j['//'].sovereign.profile = 'de-bsi-c5';
            return j;
          })(),
        },
      ],
      opts,
    );
    const byName = Object.fromEntries(ev.stacks.map((s) => [s.stack.name, s]));
    expect(ev.stacks.map((s) => [s.stack.name, s.strict])).toEqual([
      ['lax', false],
      ['profile', true],
      ['strict', true],
      ['unset', false],
    ]);
    expect(byName.strict.totals).toMatchObject({ unknown: 0, failed: 3, errors: 3 });
    for (const name of ['lax', 'unset'])
      expect(byName[name].totals).toMatchObject({ unknown: 3, failed: 0, errors: 0 });
    expect(ev.totals.errors).toBe(6);
    expect(ev.strict).toBe(false);
    // --strict applies to every stack, whatever each declares.
    const all = evaluateStacks([{ name: 'lax', json: withRef(false) }], { ...opts, strict: true });
    expect(all.stacks[0]).toMatchObject({ strict: true, totals: { errors: 3, unknown: 0 } });
  });

  test('fails SOV-014 when the declared strict is not a boolean', () => {
    const j = exampleStack(lax());
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
        profile: 'none',
        packs: [
          { id: 'k8s-restricted', level: 'warning' },
          { id: 'sovereignty', level: 'warning' },
        ],
      }),
    );
    j.resource.kubernetes_deployment_v1.vllm_llama.spec.template.spec.container[0].security_context.read_only_root_filesystem = false;
    const r = evaluateStack('de', j, { today: TODAY });
    expect(r.findings.filter((f) => f.status === 'failed').map((f) => [f.rule, f.level])).toEqual([
      ['K8S-011', 'warning'],
    ]);
    expect(r.totals).toMatchObject({ errors: 0, warnings: 1 });
    // The profile's floor adds k8s-baseline and the licence pack; sovereignty is raised to error
    // whatever the stack says.
    expect(r.frameworks.map((f) => [f.pack, f.level])).toEqual([
      ['k8s-restricted', 'warning'],
      ['sovereignty', 'error'],
      ['k8s-baseline', 'warning'],
      ['licence', 'warning'],
    ]);
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
