/**
 * Hostile specs: boundaries no jurisdiction owns, public services without a reasoned
 * exception, and credentials anywhere. `validate` and `synth` refuse them (exit 2, located),
 * never echoing a secret, and write nothing; an accepted public service is shown as
 * "declared public" in every report.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { sovereign, STACK_TRACE } from '../../support/cli';
import { EXAMPLES } from '../../support/paths';

let tmp: string;
beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'sovereign-hostile-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const MINIMAL = readFileSync(join(EXAMPLES, 'minimal.yaml'), 'utf8');
const FULL = readFileSync(join(EXAMPLES, 'sovereign.yaml'), 'utf8');
let n = 0;
function spec(text: string): string {
  const f = join(tmp, `spec${++n}.yaml`);
  writeFileSync(f, text);
  return f;
}
const edit = (base: string, from: string, to: string) => {
  expect(base).toContain(from);
  return base.replace(from, to);
};

describe.each([
  [
    'registries: [docker.io]',
    MINIMAL,
    'registries: [registry.lab.example]',
    'registries: [registry.lab.example, docker.io]',
    /sovereignty\.registries\.1 {2}docker\.io is docker\.io, a global public service/,
  ],
  [
    "hosts: ['*.co']",
    MINIMAL,
    "hosts: ['*.lab.example']",
    "hosts: ['*.lab.example', '*.co']",
    /sovereignty\.hosts\.1 {2}\*\.co admits every name under the public suffix "co"/,
  ],
  ["hosts: ['*.co.uk']", MINIMAL, "hosts: ['*.lab.example']", "hosts: ['*.co.uk']", /public suffix "co\.uk"/],
  [
    'hosts: [huggingface.co]',
    MINIMAL,
    "hosts: ['*.lab.example']",
    "hosts: ['*.lab.example', huggingface.co]",
    /huggingface\.co, a global public service/,
  ],
  [
    'cidrs: [0.0.0.0/1, 128.0.0.0/1]',
    MINIMAL,
    'cidrs: [10.10.0.0/16]',
    'cidrs: [10.10.0.0/16, 0.0.0.0/1, 128.0.0.0/1]',
    /sovereignty\.cidrs {2}the ranges together cover \d+ public IPv4 addresses/,
  ],
  [
    'a public /24 among the ranges, undeclared',
    MINIMAL,
    'cidrs: [10.10.0.0/16]',
    'cidrs: [10.10.0.0/16, 8.8.8.0/24]',
    /sovereignty\.cidrs\.1 {2}8\.8\.8\.0\/24 holds public addresses \(256 IPv4\) that the jurisdiction has not declared its own/,
  ],
  [
    'a public range declared for another range',
    MINIMAL,
    'cidrs: [10.10.0.0/16]',
    "cidrs: [10.10.0.0/16, 8.8.8.0/24]\n      declaredPublic: [{ host: 8.8.4.0/24, reason: 'our national research network allocation' }]",
    /8\.8\.8\.0\/24 holds public addresses/,
  ],
  [
    'cidrs: [::/1, 8000::/1]',
    MINIMAL,
    'cidrs: [10.10.0.0/16]',
    "cidrs: [10.10.0.0/16, '::/1', '8000::/1']",
    /public IPv6 space/,
  ],
  [
    'a public provider registry mirror',
    MINIMAL,
    'cidrs: [10.10.0.0/16]',
    'cidrs: [10.10.0.0/16]\n      providerRegistry: app.terraform.io',
    /sovereignty\.providerRegistry {2}app\.terraform\.io/,
  ],
])('%s', (_name, base, from, to, message) => {
  test('is refused by validate and synth (exit 2, located), writing nothing', async () => {
    const f = spec(edit(base, from, to));
    const v = await sovereign(['validate', f]);
    expect(v.code).toBe(2);
    expect(v.stderr).toMatch(message);
    expect(v.stderr).toMatch(new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+`));
    const out = join(tmp, `out${n}`);
    const s = await sovereign(['synth', f, '--out', out]);
    expect(s.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});

test('a public range the jurisdiction owns, declared with a reason, passes and is shown as declared public', async () => {
  const f = spec(
    edit(
      MINIMAL,
      'cidrs: [10.10.0.0/16]',
      "cidrs: [10.10.0.0/16, 192.0.2.0/24]\n      declaredPublic: [{ host: 192.0.2.0/24, reason: 'the institute holds this allocation from its national registry' }]",
    ),
  );
  expect((await sovereign(['validate', f])).code).toBe(0);
  const out = join(tmp, `declared-range${n}`);
  expect((await sovereign(['synth', f, '--out', out])).code).toBe(0);
  const r = await sovereign(['audit', out, '--format', 'json']);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout).trust.declaredPublic).toContainEqual(
    expect.objectContaining({ host: '192.0.2.0/24' }),
  );
});

test('a public service admitted by a reasoned exception is shown as declared public in every report', async () => {
  const f = spec(
    edit(
      MINIMAL,
      'registries: [registry.lab.example]',
      "registries: [registry.lab.example, quay.io]\n      declaredPublic: [{ host: quay.io, reason: 'upstream operator images, mirrored by 2027-01' }]",
    ),
  );
  expect((await sovereign(['validate', f])).code).toBe(0);
  const out = join(tmp, `declared${n}`);
  expect((await sovereign(['synth', f, '--out', out])).code).toBe(0);
  for (const format of ['text', 'markdown', 'json']) {
    const r = await sovereign(['audit', out, '--format', format]);
    expect(r.code).toBe(0);
    if (format === 'json')
      expect(JSON.parse(r.stdout).trust.declaredPublic).toContainEqual(
        expect.objectContaining({ host: 'quay.io' }),
      );
    else expect(r.stdout).toMatch(/declared public/i);
    expect(r.stdout).toContain('upstream operator images, mirrored by 2027-01');
  }
  // A reason too short is refused.
  const short = spec(
    edit(
      MINIMAL,
      'registries: [registry.lab.example]',
      'registries: [registry.lab.example, quay.io]\n      declaredPublic: [{ host: quay.io, reason: ok }]',
    ),
  );
  expect((await sovereign(['validate', short])).code).toBe(2);
});

describe('no secret reaches any file, report or output', () => {
  const SECRETS = {
    password: 'Sup3rS3cretPassw0rd',
    oidc: 'oidc-client-secret-value-123',
    hf: `hf_${'Q'.repeat(34)}`,
    jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlc2lnbmF0dXJl',
    key: 'AKIAIOSFODNN7EXAMPLE',
  };
  const hostile = () => {
    let t = FULL;
    t = edit(t, 'host: https://api.k8s.fra', `host: https://admin:${SECRETS.password}@api.k8s.fra`);
    t = edit(t, 'endpoint: https://s3.fra', `endpoint: https://u:${SECRETS.password}@s3.fra`);
    t = edit(t, '--oidc-client-id,', `--oidc-client-secret=${SECRETS.oidc}, --oidc-client-id,`);
    t = edit(
      t,
      '        engine: vllm\n        pool: h100\n',
      `        engine: vllm\n        pool: h100\n        extraArgs: ['--hf-overrides', '{"token": "${SECRETS.hf}"}', '--api-key', '${SECRETS.jwt}']\n`,
    );
    t = edit(t, 'description: Federal AI platform', `description: Federal AI platform ${SECRETS.key}`);
    return spec(t);
  };
  test('validate and synth refuse each credential, located, without echoing it; no output is written', async () => {
    const f = hostile();
    const v = await sovereign(['validate', f]);
    expect(v.code).toBe(2);
    for (const where of [
      /cluster\.api\.host {2}holds URL credentials/,
      /backend\.endpoint {2}holds URL credentials/,
      /cluster\.api\.exec\.args\.\d {2}holds secret-shaped argument --oidc-client-secret/,
      /extraArgs\.1 {2}holds Hugging Face token/,
      /extraArgs\.3 {2}(holds JSON Web Token|is a literal value for --api-key)/,
      /description {2}holds AWS access key id/,
    ])
      expect(v.stderr).toMatch(where);
    const out = join(tmp, 'secret-out');
    const s = await sovereign(['synth', f, '--out', out, '--report', join(tmp, 'secret-report.md')]);
    expect(s.code).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(tmp, 'secret-report.md'))).toBe(false);
    const json = await sovereign(['validate', f, '--json']);
    for (const r of [v, s, json]) {
      expect(r.stdout + r.stderr).not.toMatch(STACK_TRACE);
      for (const secret of Object.values(SECRETS)) expect(r.stdout + r.stderr).not.toContain(secret);
    }
  });
  test('nothing is left in the temporary directory but what the tests wrote', async () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const x of readdirSync(d)) {
        const p = join(d, x);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(tmp);
    for (const f of files)
      for (const secret of Object.values(SECRETS)) {
        if (f.endsWith('.yaml')) continue; // the hostile specs themselves
        expect({ f, leaked: readFileSync(f, 'utf8').includes(secret) }).toEqual({ f, leaked: false });
      }
  });
});
