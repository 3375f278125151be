/**
 * The gate judges a LeaderWorkerSet's two pod templates as it judges a Deployment's: hostile
 * edits of the synthesized examples/frontier.yaml hidden in the worker template only, in the
 * leader only, in an environment variable or in a command argument must each fail the audit
 * (exit 1) naming the rule and the template's path.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { run } from '../../bin/commands/audit';
import { synthesize } from '../../bin/lib/synthesize';
import type { AuditReport } from '../../policy/report/model';
import { EXAMPLES } from '../support/paths';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

let tmp: string;
let pristine: string;
let n = 0;
let summary: readonly { models: number; gpus: number }[] = [];
const STACK = 'nl-ams-frontier';

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'sovereign-lws-'));
  pristine = join(tmp, 'base', 'cdktf.out');
  const r = await synthesize({ spec: join(EXAMPLES, 'frontier.yaml'), outdir: pristine });
  expect(r.exitCode).toBe(0);
  summary = r.jurisdictions;
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const file = (d: string) => join(d, 'stacks', STACK, 'cdk.tf.json');

async function audit(dir: string) {
  const out: string[] = [];
  const code = await run(dir, { format: 'json', today: '2026-12-07', write: (s) => void out.push(s) });
  const report = JSON.parse(out.join('')) as AuditReport;
  const failed = report.stacks.flatMap((s) => s.findings).filter((f) => f.status === 'failed');
  return {
    code,
    rules: [...new Set(failed.map((f) => f.rule))].sort(),
    messages: failed.map((f) => `${f.rule} ${f.path} ${f.message}`).join('\n'),
  };
}

/**
 * The exit code and every SOV-012 finding that is not a pass, as `status path message` (an unknown
 * is failed unless `allowUnknown` gives a reason).
 */
async function sov012(dir: string, allowUnknown?: string) {
  const out: string[] = [];
  const code = await run(dir, {
    format: 'json',
    today: '2026-12-07',
    ...(allowUnknown ? { allowUnknown } : {}),
    write: (s) => void out.push(s),
  });
  const report = JSON.parse(out.join('')) as AuditReport;
  const found = report.stacks
    .flatMap((s) => s.findings)
    .filter((f) => f.rule === 'SOV-012' && (f.status === 'failed' || f.status === 'unknown'));
  return { code, findings: found.map((f) => `${f.status} ${f.path} ${f.message}`) };
}

/** Edits the LeaderWorkerSet of a copy of the synthesized example and audits it. */
async function tampered(edit: (lws: Json) => void): Promise<Awaited<ReturnType<typeof audit>>>;
async function tampered<T>(edit: (lws: Json) => void, read: (dir: string) => Promise<T>): Promise<T>;
async function tampered(edit: (lws: Json) => void, read: (dir: string) => Promise<unknown> = audit) {
  const d = join(tmp, `case${String(++n).padStart(2, '0')}`, 'cdktf.out');
  mkdirSync(join(d, '..'), { recursive: true });
  cpSync(pristine, d, { recursive: true });
  const j = JSON.parse(readFileSync(file(d), 'utf8')) as Json;
  const lws = Object.values(j.resource.kubernetes_manifest as Record<string, Json>).find(
    (r) => r.manifest.kind === 'LeaderWorkerSet',
  ).manifest;
  edit(lws);
  writeFileSync(file(d), JSON.stringify(j, null, 2));
  return read(d);
}
const worker = (l: Json) => l.spec.leaderWorkerTemplate.workerTemplate.spec;
const leader = (l: Json) => l.spec.leaderWorkerTemplate.leaderTemplate.spec;
const WORKER = 'manifest.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0]';
const LEADER = 'manifest.spec.leaderWorkerTemplate.leaderTemplate.spec.containers[0]';

test("synth's summary counts the group: 2 models, 2 × 8 GPUs for DeepSeek-R1 and 4 for Mistral-7B", () => {
  expect(summary.map((j) => [j.models, j.gpus])).toEqual([[2, 20]]);
});

test("the audit's inventory counts every pod of a group: the leader and size - 1 workers, per replica", async () => {
  const out: string[] = [];
  await run(pristine, { format: 'json', today: '2026-12-07', write: (s) => void out.push(s) });
  const report = JSON.parse(out.join('')) as AuditReport;
  expect(report.stacks[0].inventory.gpusRequested).toBe(20);
});

test('the untouched example passes, and the LeaderWorkerSet is a kind the rules model', async () => {
  const r = await audit(pristine);
  expect(r).toEqual({ code: 0, rules: [], messages: '' });
});

describe('fails when a hostile value hides in one template only', () => {
  test.each([
    ['a host outside the jurisdiction', 'vllm.attacker.example'],
    ['a lookalike of the jurisdiction', 'leader.ams.ai-zone.nl.example.attacker.example'],
    ['a public address', '203.0.113.7'],
  ])('the worker joins a group whose store is elsewhere (--master-addr: %s)', async (_what, host) => {
    const r = await tampered((l) => {
      const a = worker(l).containers[0].args as string[];
      a[a.indexOf('--master-addr') + 1] = host;
    });
    expect(r.code).toBe(1);
    expect(r.messages).toContain(`SOV-012 ${WORKER}.args`);
  });

  test.each([
    ['a public IPv6 address', '2001:4860:4860::8888', '2001:4860:4860::8888'],
    ['an IPv4-mapped public address', '::ffff:8.8.8.8', '::ffff:8.8.8.8 (IPv4-mapped 8.8.8.8)'],
    ['a NAT64 address, upper case', '64:FF9B::808:808', '64:ff9b::808:808 (NAT64 8.8.8.8)'],
    ['a bracketed IPv6 address with a port', '[2606:4700::1111]:29501', '2606:4700::1111'],
  ])('the worker joins a group whose store is elsewhere (--master-addr: %s)', async (_what, host, names) => {
    const r = await tampered((l) => {
      const a = worker(l).containers[0].args as string[];
      a[a.indexOf('--master-addr') + 1] = host;
    });
    expect(r.code).toBe(1);
    expect(r.messages).toContain(`SOV-012 ${WORKER}.args[`);
    expect(r.messages).toContain(`--master-addr ${host} names ${names}, outside the jurisdiction's`);
  });

  test('a foreign image in the worker template only', async () => {
    const r = await tampered((l) => {
      worker(l).containers[0].image =
        'docker.io/vllm/vllm-openai:v0.33.0@sha256:5b2f8c1e0d9a7b6c4e3f2a1908d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2918070';
    });
    expect(r.code).toBe(1);
    expect(r.rules).toContain('SOV-002');
    expect(r.messages).toContain(`SOV-002 ${WORKER}.image`);
    expect(r.messages).not.toContain(`${LEADER}.image`);
  });

  test('a lookalike registry in the leader template only', async () => {
    const r = await tampered((l) => {
      leader(l).containers[0].image = leader(l).containers[0].image.replace(
        'registry.ams.ai-zone.nl.example',
        'registry.ams.ai-zone.nl.example.attacker.example',
      );
    });
    expect(r.code).toBe(1);
    expect(r.messages).toContain(`SOV-002 ${LEADER}.image`);
  });

  test('an unpinned image (tag only) in the worker', async () => {
    const r = await tampered((l) => {
      worker(l).containers[0].image = 'registry.ams.ai-zone.nl.example/vllm/vllm-openai:v0.33.0';
    });
    expect(r.code).toBe(1);
    expect(r.messages).toContain(`SOV-001 ${WORKER}.image`);
  });

  test.each([
    ['the worker', 'MASTER_ADDR', '8.8.8.8', '8.8.8.8'],
    ['the worker', 'VLLM_DP_MASTER_IP', 'dp.attacker.example', 'dp.attacker.example'],
    ['the leader', 'VLLM_HOST_IP', '2001:4860:4860::8888', '2001:4860:4860::8888'],
    ['the leader', 'RAY_ADDRESS', '::ffff:203.0.113.7', '::ffff:203.0.113.7 (IPv4-mapped 203.0.113.7)'],
    [
      'the worker',
      'LWS_LEADER_ADDRESS',
      'leader.ams.ai-zone.nl.example.attacker.example',
      'leader.ams.ai-zone.nl.example.attacker.example',
    ],
    ['the worker', 'NCCL_COMM_ID', '[2606:4700::1111]:29500', '2606:4700::1111'],
  ])('%s is handed a peer address outside in its environment (%s=%s)', async (who, name, value, host) => {
    const r = await tampered((l) => {
      const c = (who === 'the worker' ? worker(l) : leader(l)).containers[0];
      c.env.push({ name, value });
    });
    expect(r.code).toBe(1);
    const at = who === 'the worker' ? WORKER : LEADER;
    const container = who === 'the worker' ? 'vllm-worker' : 'vllm';
    expect(r.messages).toMatch(
      new RegExp(
        `SOV-012 ${at.replace(/[.[\]]/g, '\\$&')}\\.env\\[\\d+\\]\\.value container ${container}: ${name}=`,
      ),
    );
    expect(r.messages).toContain(` names ${host}, outside the jurisdiction's declared hosts and CIDRs: `);
  });

  test('a peer address from a ConfigMap the stack creates, handed to the worker by envFrom', async () => {
    const d = join(tmp, 'env-from', 'cdktf.out');
    mkdirSync(join(d, '..'), { recursive: true });
    cpSync(pristine, d, { recursive: true });
    const j = JSON.parse(readFileSync(file(d), 'utf8')) as Json;
    const lws = Object.values(j.resource.kubernetes_manifest as Record<string, Json>).find(
      (x) => x.manifest.kind === 'LeaderWorkerSet',
    ).manifest;
    j.resource.kubernetes_manifest.peers = {
      manifest: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'peers', namespace: lws.metadata.namespace },
        data: { MASTER_ADDR: 'rendezvous.attacker.example' },
      },
    };
    worker(lws).containers[0].envFrom = [{ configMapRef: { name: 'peers' } }];
    writeFileSync(file(d), JSON.stringify(j, null, 2));
    const r = await audit(d);
    expect(r.code).toBe(1);
    expect(r.messages).toContain(
      `SOV-012 ${WORKER}.envFrom[0] container vllm-worker: MASTER_ADDR=rendezvous.attacker.example (from ConfigMap peers key MASTER_ADDR) names rendezvous.attacker.example, outside the jurisdiction's declared hosts and CIDRs: torch.distributed would join its rendezvous there`,
    );
  });

  describe("the worker's script points its rendezvous elsewhere, however the shell spells it", () => {
    const why = "outside the jurisdiction's declared hosts and CIDRs";
    const script = (s: string) =>
      tampered((l) => {
        worker(l).containers[0].command = ['sh', '-c', `${s}\nexec torchrun --nnodes 2 train.py`];
        worker(l).containers[0].args = [];
      }, sov012);
    test.each([
      ["MASTER_ADDR=ev'il'.example", "MASTER_ADDR=ev'il'.example (evil.example)"],
      ['export MASTER_ADDR="evil".example', 'MASTER_ADDR="evil".example (evil.example)'],
      ['MASTER_ADDR=evil\\.example', 'MASTER_ADDR=evil\\.example (evil.example)'],
      ['export MASTER_\\\nADDR=evil.example', 'MASTER_ADDR=evil.example'],
      ['MASTER_ADDR+=evil.example', 'MASTER_ADDR+=evil.example'],
      ["MASTER_ADDR=$'\\x65vil.example'", "MASTER_ADDR=$'\\x65vil.example' (evil.example)"],
      ['export PET_MASTER_ADDR=evil.example', 'PET_MASTER_ADDR=evil.example'],
    ])('fails on %j', async (s, shown) => {
      const role = shown.startsWith('PET_')
        ? 'torchrun would join its static rendezvous there'
        : 'torch.distributed would join its rendezvous there';
      expect(await script(s)).toEqual({
        code: 1,
        findings: [`failed ${WORKER}.command[2] ${shown} names evil.example, ${why}: ${role}`],
      });
    });
    test('fails on torchrun --rdzv-endpoint and --rdzv_endpoint=, host or host:port', async () => {
      expect(
        await script(
          'torchrun --rdzv-endpoint evil.example train.py; torchrun --rdzv_endpoint="evil2".example:29400',
        ),
      ).toEqual({
        code: 1,
        findings: [
          `failed ${WORKER}.command[2] --rdzv-endpoint evil.example names evil.example, ${why}: the process would join or send work there`,
          `failed ${WORKER}.command[2] --rdzv_endpoint "evil2".example:29400 (evil2.example:29400) names evil2.example, ${why}: the process would join or send work there`,
        ],
      });
    });
    test('an address read from a file when the script runs is unknown: the gate fails it (deny by default)', async () => {
      const message = `${WORKER}.command[2] MASTER_ADDR=$(cat /etc/peer): the address comes from a value the audit cannot follow (a Secret, a ConfigMap, a shell variable or a command's output)`;
      expect(await script('MASTER_ADDR=$(cat /etc/peer)')).toEqual({
        code: 1,
        findings: [`failed ${message}`],
      });
      expect(
        await tampered(
          (l) => {
            worker(l).containers[0].command = [
              'sh',
              '-c',
              'MASTER_ADDR=$(cat /etc/peer)\nexec torchrun x.py',
            ];
          },
          (d) => sov012(d, 'peers are read from a file the image ships'),
        ),
      ).toEqual({ code: 0, findings: [`unknown ${message}`] });
    });
    test("a label named like Object's members is read as the pod's own label: no crash", async () => {
      expect(
        await tampered((l) => {
          worker(l).containers[0].env.push({
            name: 'MASTER_ADDR',
            valueFrom: { fieldRef: { fieldPath: "metadata.labels['constructor']" } },
          });
        }, sov012),
      ).toEqual({ code: 0, findings: [] });
    });
    test('an envFrom Secret that may set the rendezvous address is unknown, unless env sets it', async () => {
      const secret = (l: Json) => {
        worker(l).containers[0].envFrom = [{ secretRef: { name: 'x' } }];
        worker(l).containers[0].command = ['sh', '-c', 'exec torchrun --nnodes 2 train.py'];
        worker(l).containers[0].args = [];
      };
      const message = `${WORKER}.envFrom[0] container vllm-worker: Secret x may set MASTER_ADDR, PET_MASTER_ADDR, PET_RDZV_ENDPOINT, PET_LOCAL_ADDR, VLLM_HOST_IP, VLLM_DP_MASTER_IP, VLLM_NIXL_SIDE_CHANNEL_HOST, VLLM_LOOPBACK_IP, RAY_ADDRESS, NCCL_COMM_ID, LLAMA_ARG_RPC, which the audit cannot follow: a process would connect to the peer address it names`;
      expect(await tampered(secret, sov012)).toEqual({ code: 1, findings: [`failed ${message}`] });
      expect(await tampered(secret, (d) => sov012(d, 'the Secret holds tokens only'))).toEqual({
        code: 0,
        findings: [`unknown ${message}`],
      });
      // env sets the address itself: it wins over the Secret.
      expect(
        await tampered((l) => {
          secret(l);
          worker(l).containers[0].envFrom[0].prefix = 'VLLM_';
          worker(l).containers[0].env.push(
            { name: 'VLLM_HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
            { name: 'VLLM_DP_MASTER_IP', value: '$(LWS_LEADER_ADDRESS)' },
            { name: 'VLLM_NIXL_SIDE_CHANNEL_HOST', value: '10.60.0.7' },
            { name: 'VLLM_LOOPBACK_IP', value: '127.0.0.1' },
          );
        }, sov012),
      ).toEqual({ code: 0, findings: [] });
      expect(
        await tampered((l) => {
          secret(l);
          worker(l).containers[0].envFrom[0].prefix = 'TOKEN_';
        }, sov012),
      ).toEqual({ code: 0, findings: [] });
    });
  });

  test("passes: the pod's own address, the leader the controller provides and in-CIDR addresses in the environment", async () => {
    const r = await tampered((l) => {
      for (const c of [worker(l).containers[0], leader(l).containers[0]])
        c.env.push(
          { name: 'VLLM_HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'MASTER_ADDR', value: '$(LWS_LEADER_ADDRESS)' },
          { name: 'RAY_ADDRESS', value: 'auto' },
          { name: 'VLLM_DP_MASTER_IP', value: '10.60.0.7' },
          { name: 'NCCL_COMM_ID', value: '[::ffff:10.60.0.7]:29500' },
        );
    });
    expect(r).toEqual({ code: 0, rules: [], messages: '' });
  });

  test('a hub endpoint in a worker environment variable', async () => {
    const r = await tampered((l) => {
      worker(l).containers[0].env.push({ name: 'HF_ENDPOINT', value: 'https://huggingface.co' });
    });
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(/HF_ENDPOINT|huggingface\.co/);
    expect(r.messages).toContain(WORKER);
  });

  test('hub access switched back on in the worker only (HF_HUB_OFFLINE=0)', async () => {
    const r = await tampered((l) => {
      const e = worker(l).containers[0].env.find((x: Json) => x.name === 'HF_HUB_OFFLINE');
      e.value = '0';
    });
    expect(r.code).toBe(1);
    expect(r.messages).toContain(`SOV-008 ${WORKER}.env`);
  });

  test('a public host written without a scheme in the worker command (tools add https://)', async () => {
    for (const dl of [
      'curl -sL hf.co/deepseek-ai/x -o /tmp/x',
      'wget -q HUGGINGFACE.CO/x',
      'pip install -i pypi.org/simple x',
    ])
      expect(
        await tampered((l) => {
          // The worker runs `vllm` directly; the edit wraps it in a shell that downloads first.
          worker(l).containers[0].command = ['/bin/sh', '-c', `${dl}\nexec vllm "$@"`, 'vllm'];
        }),
      ).toMatchObject({ code: 1, messages: expect.stringContaining(`SOV-012 ${WORKER}.command[2]`) });
  });

  test("the worker's own resolvers outside the jurisdiction (dnsPolicy None)", async () => {
    const r = await tampered((l) => {
      worker(l).dnsPolicy = 'None';
      worker(l).dnsConfig = { nameservers: ['10.60.0.53', '8.8.8.8'] };
    });
    expect(r.code).toBe(1);
    expect(r.messages).toContain(
      'SOV-012 manifest.spec.leaderWorkerTemplate.workerTemplate.spec.dnsConfig.nameservers[1]',
    );
    expect(r.messages).not.toContain('nameservers[0]');
  });

  test('a download hidden in the worker command argument', async () => {
    const r = await tampered((l) => {
      worker(l).containers[0].command = [
        '/bin/sh',
        '-c',
        'curl -fsSL https://huggingface.co/deepseek-ai/DeepSeek-R1/resolve/main/x -o /tmp/x\nexec vllm "$@"',
        'vllm',
      ];
    });
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(/huggingface\.co/);
    expect(r.messages).toContain(`${WORKER}.command[2]`);
  });

  test('a hub id as the model in the leader argument', async () => {
    const r = await tampered((l) => {
      leader(l).containers[0].args[1] = 'deepseek-ai/DeepSeek-R1';
    });
    expect(r.code).toBe(1);
    expect(r.messages).toContain(`SOV-009 ${LEADER}.args[1]`);
  });

  test('the worker mounts the weights writable', async () => {
    const r = await tampered((l) => {
      delete worker(l).containers[0].volumeMounts.find((v: Json) => v.name === 'weights').readOnly;
    });
    expect(r.code).toBe(1);
    expect(r.messages).toMatch(/SOV-009 .*workerTemplate.*the weights mount \/models is not read-only/);
  });

  test('the worker privileged, on the host network, with a hostPath', async () => {
    const r = await tampered((l) => {
      worker(l).containers[0].securityContext.privileged = true;
      worker(l).hostNetwork = true;
      worker(l).volumes.push({ name: 'host', hostPath: { path: '/' } });
    });
    expect(r.code).toBe(1);
    expect(r.rules).toEqual(expect.arrayContaining(['K8S-001', 'K8S-007', 'K8S-008']));
    expect(r.messages).toContain('workerTemplate');
  });

  test('a capability beyond the one the spec justified (SYS_ADMIN next to IPC_LOCK)', async () => {
    const r = await tampered((l) => {
      worker(l).containers[0].securityContext.capabilities.add.push('SYS_ADMIN');
    });
    // The K8S-006 suppression names the LeaderWorkerSet as a whole; SYS_ADMIN is refused by the
    // rule no suppression reaches.
    expect(r.code).toBe(1);
    expect(r.messages).toContain(
      `SOV-016 ${WORKER}.securityContext.capabilities.add LeaderWorkerSet container adds SYS_ADMIN: only IPC_LOCK may be added, with a reason`,
    );
  });

  test('IPC_LOCK added without the spec declaring it: K8S-006 fails, nothing suppresses it', async () => {
    const d = join(tmp, 'no-ipc-lock', 'cdktf.out');
    const { synthesize: synth } = await import('../../bin/lib/synthesize');
    const spec = join(tmp, 'no-ipc-lock.yaml');
    writeFileSync(
      spec,
      readFileSync(join(EXAMPLES, 'frontier.yaml'), 'utf8').replace(
        /\n {10}ipcLock:\n {12}reason: .*\n/,
        '\n',
      ),
    );
    expect((await synth({ spec, outdir: d })).exitCode).toBe(0);
    const j = JSON.parse(readFileSync(file(d), 'utf8')) as Json;
    const lws = Object.values(j.resource.kubernetes_manifest as Record<string, Json>).find(
      (x) => x.manifest.kind === 'LeaderWorkerSet',
    ).manifest;
    lws.spec.leaderWorkerTemplate.workerTemplate.spec.containers[0].securityContext.capabilities.add = [
      'IPC_LOCK',
    ];
    writeFileSync(file(d), JSON.stringify(j, null, 2));
    const r = await audit(d);
    expect(r.code).toBe(1);
    expect(r.messages).toContain(
      `K8S-006 ${WORKER}.securityContext.capabilities.add container vllm-worker: adds IPC_LOCK`,
    );
  });
});

describe("the audit report shows how each group is launched, read from the group's pod templates", () => {
  async function reportOf(dir: string, opts: Parameters<typeof run>[1] = {}) {
    const out: string[] = [];
    await run(dir, { format: 'json', today: '2026-12-07', ...opts, write: (s) => void out.push(s) });
    return JSON.parse(out.join('')) as AuditReport;
  }
  const groupsOf = (r: AuditReport, stack = 0) =>
    Object.fromEntries(r.stacks[stack].inventory.models.map((m) => [m.name, m.multiNode]));
  /** A copy of the synthesized example with its LeaderWorkerSet edited. */
  function edited(edit: (lws: Json) => void): string {
    const d = join(tmp, `case${String(++n).padStart(2, '0')}`, 'cdktf.out');
    mkdirSync(join(d, '..'), { recursive: true });
    cpSync(pristine, d, { recursive: true });
    const j = JSON.parse(readFileSync(file(d), 'utf8')) as Json;
    edit(
      Object.values(j.resource.kubernetes_manifest as Record<string, Json>).find(
        (r) => r.manifest.kind === 'LeaderWorkerSet',
      ).manifest,
    );
    writeFileSync(file(d), JSON.stringify(j, null, 2));
    return d;
  }

  test('v0.33.0: 2 nodes × 8 GPUs, multiprocessing (mp), in the text and the JSON report', async () => {
    const out: string[] = [];
    await run(pristine, { format: 'text', today: '2026-12-07', write: (s) => void out.push(s) });
    expect(out.join('')).toContain(
      '  model deepseek-r1 multi-node: 2 nodes × 8 GPUs, multiprocessing (mp)\n',
    );
    const groups = groupsOf(await reportOf(pristine));
    expect(groups['mistral-7b']).toBeUndefined();
    expect(groups['deepseek-r1']).toEqual([
      expect.objectContaining({ nodes: 2, gpusPerNode: 8, backend: 'mp', disagreements: [] }),
    ]);
  });

  test("v0.12.0 pinned: a Ray cluster (ray), the workers joining the leader's head", async () => {
    const d = join(tmp, 'ray', 'cdktf.out');
    const spec = join(tmp, 'ray.yaml');
    writeFileSync(
      spec,
      readFileSync(join(EXAMPLES, 'frontier.yaml'), 'utf8')
        .replace('engines: { vllm: v0.33.0 }', 'engines: { vllm: v0.12.0 }')
        .replace('vllm-openai:v0.33.0@', 'vllm-openai:v0.12.0@'),
    );
    expect((await synthesize({ spec, outdir: d })).exitCode).toBe(0);
    expect(groupsOf(await reportOf(d))['deepseek-r1']).toEqual([
      expect.objectContaining({
        nodes: 2,
        gpusPerNode: 8,
        backend: 'ray',
        leader: 'ray',
        workers: 'ray',
        disagreements: [],
      }),
    ]);
  });

  test('fails to agree: workers tampered to join a Ray cluster while the leader runs multiprocessing are named', async () => {
    const d = edited((l) => {
      const w = worker(l).containers[0];
      w.command = [
        '/bin/sh',
        '-c',
        'until ray start --address="$LWS_LEADER_ADDRESS:6379" --block; do sleep 5; done',
      ];
      delete w.args;
    });
    const [g] = groupsOf(await reportOf(d))['deepseek-r1'] ?? [];
    expect(g).toMatchObject({ backend: 'disagree', leader: 'mp', workers: 'ray' });
    expect(g.disagreements[0]).toBe(
      'the leader launches multiprocessing (mp), the workers a Ray cluster (ray)',
    );
    const md: string[] = [];
    await run(d, { format: 'markdown', today: '2026-12-07', write: (s) => void md.push(s) });
    expect(md.join('')).toContain('### Multi-node groups whose leader and workers disagree');
  });

  test('fails to agree in the plan: the planned group, not the synthesized one, is read and named', async () => {
    const j = JSON.parse(readFileSync(file(pristine), 'utf8')) as Json;
    const [name, r] = Object.entries(j.resource.kubernetes_manifest as Record<string, Json>).find(
      ([, x]) => x.manifest.kind === 'LeaderWorkerSet',
    )!;
    const after = JSON.parse(JSON.stringify(r)) as Json;
    delete after['//'];
    delete after.depends_on;
    const a = worker(after.manifest).containers[0].args as string[];
    a[a.indexOf('--nnodes') + 1] = '3';
    const plan = join(tmp, 'lws-plan.json');
    writeFileSync(
      plan,
      JSON.stringify({
        format_version: '1.2',
        terraform_version: '1.10.5',
        resource_changes: [
          {
            address: `kubernetes_manifest.${name}`,
            mode: 'managed',
            type: 'kubernetes_manifest',
            name,
            change: { actions: ['update'], before: r, after },
          },
        ],
      }),
    );
    const report = await reportOf(pristine, { plan });
    expect(
      report.stacks.map((s) => [
        s.name,
        groupsOf(report, report.stacks.indexOf(s))['deepseek-r1']?.[0].disagreements,
      ]),
    ).toEqual([
      [STACK, []],
      [`${STACK} (plan ${plan})`, ['--nnodes: the leader 2, the workers 3']],
    ]);
  });
});
