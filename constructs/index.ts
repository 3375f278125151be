export * from './errors';
export * from './interfaces';
export * from './private-cluster';
export * from './gpu-node-pool';
export * from './gpu-operator';
