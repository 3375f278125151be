export * from './errors';
export * from './interfaces';
export * from './capacity';
export * from './model-catalogue';
export * from './vllm-server';
export * from './llama-cpp-server';
export type { SecretKeyRef, ServerAutoscaling, ServingBaseProps } from './private/serving';
