/**
 * The stacks layer's public API: the per-jurisdiction stack made from a spec, the record a
 * hand-written stack adds to pass the policy gate, the spec loader and the profiles.
 */
export { JurisdictionStack, PROVIDER_VERSIONS, SERVING_PORT } from './jurisdiction-stack';
export type { JurisdictionStackProps } from './jurisdiction-stack';
export { JurisdictionRecord } from './jurisdiction-record';
export type { JurisdictionRecordProps } from './jurisdiction-record';
export { buildApp } from './app';
export type { BuildOptions, BuiltApp } from './app';
export { loadSpec } from './spec/load';
export type { LoadedSpec } from './spec/load';
export { PROFILES } from './profiles';
export type { Profile, ProfileId } from './profiles';
export type { SovereignSpec, JurisdictionSpec, ModelSpec } from './spec/schema';
