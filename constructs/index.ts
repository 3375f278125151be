export * from './errors';
export * from './interfaces';
export * from './weights-manifest';
export * from './model-weight-store';
export * from './model-weights';
