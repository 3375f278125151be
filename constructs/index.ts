export * from './errors';
export * from './interfaces';
