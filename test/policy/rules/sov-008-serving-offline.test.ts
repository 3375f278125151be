import { rule } from '../../../policy/rules/sov-008-serving-offline';
import { everyKind, runOnResource } from '../fixtures';
import { expectCompliantInEveryKind, expectFailsInEveryKind, expectUnknownInEveryKind } from './helpers';

describe('SOV-008 serving pods offline, no telemetry', () => {
  test('passes the offline vLLM server in every workload kind', () => expectCompliantInEveryKind(rule));
  test('fails when usage stats are on', () =>
    expectFailsInEveryKind(
      rule,
      (p) =>
        (p.container[0].env = p.container[0].env.filter(
          (e: { name: string }) => e.name !== 'VLLM_NO_USAGE_STATS',
        )),
      { tf: 'container[0].env', k8s: 'containers[0].env' },
      /VLLM_NO_USAGE_STATS must be 1, is unset/,
    ));
  test('fails when HF_HUB_OFFLINE is 0', () =>
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].env[0].value = '0'),
      { tf: 'env[0]', k8s: 'env[0]' },
      /HF_HUB_OFFLINE must be 1, is "0"/,
    ));
  test('is unknown when an offline flag is a reference', () =>
    expectUnknownInEveryKind(rule, (p) => (p.container[0].env[0].value = '${var.offline}')));
  test('fails a llama.cpp server started with --hf-repo', () =>
    expectFailsInEveryKind(
      rule,
      (p) => {
        p.container[0].image = 'registry.de.example/ggml-org/llama.cpp:server@sha256:' + 'a'.repeat(64);
        p.container[0].args = ['--hf-repo', 'bartowski/Llama-3.2-3B-Instruct-GGUF'];
      },
      { tf: 'container[0].args', k8s: 'containers[0].args' },
      /--hf-repo downloads the model from a hub/,
    ));
  test('does not apply to pods that are not model servers', () => {
    for (const r of everyKind(
      (p) => (p.container[0].image = 'registry.de.example/tools/x@sha256:' + 'a'.repeat(64)),
      undefined,
    )) {
      const b = JSON.parse(
        JSON.stringify(r.body)
          .replace(/"server"/g, '"tool"')
          .replace(/vllm/g, 'tool'),
      );
      expect(runOnResource(rule, { ...r, body: b }).map((o) => o.status)).toEqual(['not-applicable']);
    }
  });
});
