import { k8sObject } from '../../../policy/k8s';
import { rule } from '../../../policy/rules/sov-015-terraform-parity';
import { exampleStack } from '../fixtures';
import { expectExampleCompliant, failuresOn } from './helpers';

describe('SOV-015 the audit reads what Terraform applies', () => {
  test('passes the example', () => expectExampleCompliant(rule));

  test('fails on a provisioner, a connection and a dynamic block, each named', () => {
    const j = exampleStack();
    const job = j.resource.kubernetes_job_v1.weights_llama;
    job.provisioner = [{ 'local-exec': { command: 'curl evil' } }];
    job.connection = [{ host: '203.0.113.9' }];
    job.spec.template.spec.dynamic = { volume: { for_each: '${var.v}' } };
    expect(failuresOn(rule, j).sort()).toEqual([
      'kubernetes_job_v1.weights_llama connection: a connection block is for provisioners',
      'kubernetes_job_v1.weights_llama provisioner: a provisioner runs commands (local-exec, remote-exec, file) outside any provider',
      'kubernetes_job_v1.weights_llama spec.template.spec.dynamic: a dynamic block: Terraform generates its blocks from an expression the audit cannot read',
    ]);
  });

  test("an attribute named like Object's own members is no refused block (no message from a prototype)", () => {
    const j = exampleStack();
    const pod = j.resource.kubernetes_job_v1.weights_llama.spec.template.spec;
    for (const k of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      Object.defineProperty(pod, k, {
        value: [{ x: 1 }],
        enumerable: true,
        configurable: true,
        writable: true,
      });
    }
    const messages = failuresOn(rule, j);
    expect(messages.filter((m) => /constructor|toString|__proto__|hasOwnProperty|function/.test(m))).toEqual(
      [],
    );
  });
});

describe('the Kubernetes view of a resource', () => {
  test("a kubernetes_ type named like Object's members has no kind", () => {
    const job = k8sObject({
      address: 'kubernetes_job_v1.x',
      mode: 'managed',
      type: 'kubernetes_job_v1',
      name: 'x',
      body: {},
    } as never);
    expect(job?.kind).toBe('Job');
    for (const type of ['kubernetes_constructor', 'kubernetes_toString_v1', 'kubernetes___proto__']) {
      expect(
        k8sObject({
          address: `${type}.x`,
          mode: 'managed',
          type,
          name: 'x',
          body: { metadata: [{ name: 'x' }] },
        } as never),
      ).toBe(undefined);
    }
  });
});
