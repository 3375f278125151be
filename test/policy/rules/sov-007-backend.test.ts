import { rule } from '../../../policy/rules/sov-007-backend';
import { exampleStack, runOn, unknowns } from '../fixtures';
import { expectExampleCompliant, failuresOn } from './helpers';

describe('SOV-007 state backend explicit and in-jurisdiction', () => {
  test('passes s3 with an in-jurisdiction endpoint', () => expectExampleCompliant(rule));
  test('fails s3 without endpoint (Amazon) and with a foreign endpoint', () => {
    const j = exampleStack();
    delete j.terraform.backend.s3.endpoints;
    expect(failuresOn(rule, j)).toEqual([
      'terraform.backend.s3 endpoints.s3: no endpoint: state goes to Amazon S3',
    ]);
    j.terraform.backend.s3.endpoint = 'https://s3.us-east-1.amazonaws.com';
    expect(failuresOn(rule, j)).toEqual([
      "terraform.backend.s3 endpoint: endpoint https://s3.us-east-1.amazonaws.com is outside the jurisdiction's declared hosts",
    ]);
  });
  test('fails remote, cloud, implicit and absolute local backends; pg with a conn_str', () => {
    const cases: [unknown, string][] = [
      [
        { remote: { organization: 'x' } },
        'terraform.backend.remote remote: backend remote is not one of local, s3, kubernetes, pg',
      ],
      [
        undefined,
        'terraform.backend backend: no backend declared: cdktf falls back to an implicit local backend with a machine path',
      ],
      [
        { local: { path: '/home/ci/terraform.de.tfstate' } },
        'terraform.backend.local path: path /home/ci/terraform.de.tfstate is an absolute machine path',
      ],
      [
        { pg: { conn_str: 'postgres://u:p@db.de.example/tf' } },
        'terraform.backend.pg conn_str: conn_str is written into the stack; pass it as PG_CONN_STR instead',
      ],
    ];
    for (const [backend, msg] of cases) {
      const j = exampleStack();
      if (backend) j.terraform.backend = backend;
      else delete j.terraform.backend;
      expect(failuresOn(rule, j)).toEqual([msg]);
    }
    const c = exampleStack();
    c.terraform.cloud = { organization: 'acme' };
    expect(failuresOn(rule, c)).toEqual([
      'terraform.cloud cloud: state and runs live in HCP Terraform / Terraform Enterprise (`cloud` block)',
    ]);
  });
  test('passes relative local, kubernetes and pg from the environment', () => {
    for (const backend of [
      { local: { path: 'terraform.de.tfstate' } },
      { kubernetes: { secret_suffix: 'de' } },
      { pg: {} },
    ]) {
      const j = exampleStack();
      j.terraform.backend = backend;
      expect(failuresOn(rule, j)).toEqual([]);
    }
  });
  test('is not suppressible', () => expect(rule.suppressible).toBe(false));
  test('is unknown for a referenced endpoint', () => {
    const j = exampleStack();
    j.terraform.backend.s3.endpoints.s3 = 'https://${var.s3_host}';
    expect(unknowns(runOn(rule, j))).toHaveLength(1);
  });
});
