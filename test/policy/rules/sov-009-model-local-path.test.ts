import { rule } from '../../../policy/rules/sov-009-model-local-path';
import { expectCompliantInEveryKind, expectFailsInEveryKind, expectUnknownInEveryKind } from './helpers';

describe('SOV-009 model from a local read-only path', () => {
  test('passes --model /models/... on a read-only mount in every workload kind', () =>
    expectCompliantInEveryKind(rule));
  test('fails on a hub model id', () =>
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].args[1] = 'meta-llama/Llama-3.1-8B-Instruct'),
      { tf: 'container[0].args[1]', k8s: 'containers[0].args[1]' },
      /meta-llama\/Llama-3.1-8B-Instruct is not a local path/,
    ));
  test('fails on `vllm serve <hub id>` and on --model=<hub id>', () => {
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].args = ['serve', 'Qwen/Qwen2.5-7B-Instruct']),
      { tf: 'args[1]', k8s: 'args[1]' },
      /Qwen\/Qwen2.5-7B-Instruct is not a local path/,
    );
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].args = ['--model=Qwen/Qwen2.5-7B']),
      { tf: 'args[0]', k8s: 'args[0]' },
      /not a local path/,
    );
  });
  test('fails when the weights mount is writable or missing', () => {
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].volume_mount[0].read_only = false),
      { tf: 'volume_mount[0].read_only', k8s: 'volumeMounts[0].readOnly' },
      /weights mount \/models is not read-only/,
    );
    expectFailsInEveryKind(
      rule,
      (p) => p.container[0].volume_mount.shift(),
      { tf: 'args[1]', k8s: 'args[1]' },
      /no volume is mounted at/,
    );
  });
  test('fails when no model argument is given', () =>
    expectFailsInEveryKind(
      rule,
      (p) => (p.container[0].args = ['--port', '8000']),
      { tf: 'container[0].args', k8s: 'containers[0].args' },
      /no model argument/,
    ));
  test('reads llama.cpp -m', () =>
    expectFailsInEveryKind(
      rule,
      (p) => {
        p.container[0].image = 'registry.de.example/ggml-org/llama.cpp:server@sha256:' + 'a'.repeat(64);
        p.container[0].args = ['-m', 'models/x.gguf'];
      },
      { tf: 'args[1]', k8s: 'args[1]' },
      /models\/x.gguf is not a local path/,
    ));
  test('is unknown for a referenced model path', () =>
    expectUnknownInEveryKind(rule, (p) => (p.container[0].args[1] = '${var.model}')));
});
