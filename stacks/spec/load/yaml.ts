/** The YAML library behind the spec reader, required on first use. */

/** The full YAML reader, loaded only when a spec needs it (about 30 ms of start-up). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const yaml = (): typeof import('yaml') => require('yaml') as typeof import('yaml');
