/** Small IGpuPool / IModelWeights implementations with real cdktf resources as dependables. */
import { type Construct } from 'constructs';
import { Testing } from 'cdktf';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { Labels } from '@cdktf/provider-kubernetes/lib/labels';
import type { IGpuPool, IModelWeights } from '../../constructs/interfaces';

export const IMAGE_VLLM = `registry.gov.example/ai/vllm-openai:v0.33.0@sha256:${'a'.repeat(64)}`;
export const IMAGE_LLAMA = `registry.gov.example/ai/llama.cpp:server-cuda-b11459@sha256:${'b'.repeat(64)}`;

export function pool(scope: Construct, over: Partial<IGpuPool> = {}): IGpuPool {
  const labels = new Labels(scope, 'pool-labels', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'gpu-node-1' },
    labels: { 'sovereign-stack.io/pool': 'h100' },
  });
  return {
    poolName: 'h100',
    gpuProduct: 'NVIDIA-H100-80GB-HBM3',
    gpusPerNode: 8,
    gpuMemoryGiB: 80,
    nodeCount: 2,
    resourceName: 'nvidia.com/gpu',
    nodeSelector: { 'sovereign-stack.io/pool': 'h100' },
    tolerations: [{ key: 'sovereign-stack.io/gpu', operator: 'Equal', value: 'h100', effect: 'NoSchedule' }],
    dependables: [labels],
    ...over,
  };
}

export function weights(scope: Construct, over: Partial<IModelWeights> = {}): IModelWeights {
  const verification = new ConfigMapV1(scope, 'weights-verified', {
    metadata: { name: 'llama-verified', namespace: 'ai' },
    data: { ok: 'true' },
  });
  return {
    modelName: 'llama',
    namespace: 'ai',
    claimName: 'model-store',
    subPath: 'models/llama/abc123',
    revision: 'abc123',
    manifestSha256: 'c'.repeat(64),
    verification,
    ...over,
  };
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Json = Record<string, any>;

/** Synthesizes what `build` creates and returns the parsed Terraform JSON. */
export function synth(build: (scope: Construct) => void): Json {
  return JSON.parse(Testing.synthScope(build)) as Json;
}

/** The single resource of a type. */
export function only(json: Json, type: string): Json {
  const all = Object.values(json.resource?.[type] ?? {}) as Json[];
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

export function envMap(container: Json): Record<string, Json> {
  return Object.fromEntries((container.env as Json[]).map((e) => [e.name, e]));
}

/** Throws-and-returns the message, for "fails when" tests. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}
