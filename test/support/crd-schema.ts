/**
 * Validation of custom resources against the upstream CRD OpenAPI schemas kept under
 * test/fixtures/crds (see the README there for repository, tag, commit and path).
 *
 * Kubernetes prunes unknown fields of a structural schema; here an unknown field is an error
 * instead, so a misspelt field fails the test rather than vanishing on the API server. Defaults
 * are applied first, as the API server does. CEL rules (`x-kubernetes-validations`) are not
 * evaluated.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { REPO_ROOT } from './paths';

export const CRD_FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'crds');

type Schema = Record<string, unknown>;

/** Closes every object schema that lists its properties and does not keep unknown fields. */
function closed(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(closed);
  if (s === null || typeof s !== 'object') return s;
  const o = Object.fromEntries(
    Object.entries(s as Schema).map(([k, v]) => [k, k === 'default' || k === 'example' ? v : closed(v)]),
  );
  if (
    o.type === 'object' &&
    o.properties !== undefined &&
    o.additionalProperties === undefined &&
    o['x-kubernetes-preserve-unknown-fields'] !== true
  )
    o.additionalProperties = false;
  return o;
}

// The API server applies a schema's defaults before it validates (structural defaulting): so
// does this, on a copy of the value. `code.source` keeps each validator's code, shared below.
const AJV_OPTIONS = { strict: false, allErrors: true, validateFormats: false, useDefaults: true } as const;
const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });

export function readFixture(rel: string): Schema {
  return JSON.parse(fs.readFileSync(path.join(CRD_FIXTURES, rel), 'utf8')) as Schema;
}

// Compiled once per schema text in a test run: a CRD schema takes ajv 0.1–1 s to compile, tests
// check many objects against the same few, and four test files check the Cluster API kinds.
// The first file to need a schema compiles it and writes the validator's code (ajv's
// standalone code: the very function ajv compiled, as JavaScript) to the run's temporary root
// (test/temp-root.js), keyed by the closed schema, the options and ajv's version; later files,
// in any worker, load that code (~20 times faster than compiling, for the largest CRD).
const compiled = new Map<string, ValidateFunction>();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AJV_VERSION = (require('ajv/package.json') as { version: string }).version;

function compile(schema: unknown): ValidateFunction {
  const closedSchema = closed(schema) as Schema;
  const root = process.env.SOVEREIGN_TEST_TMP_ROOT;
  if (root === undefined) return ajv.compile(closedSchema);
  const key = createHash('sha256')
    .update(`${AJV_VERSION}\0${JSON.stringify(AJV_OPTIONS)}\0${JSON.stringify(closedSchema)}`)
    .digest('hex')
    .slice(0, 24);
  const file = path.join(root, 'crd-validators', `${key}.js`);
  if (fs.existsSync(file)) {
    const module = { exports: {} as { default?: ValidateFunction } };
    // The code requires ajv's runtime helpers (ajv/dist/runtime/*): resolved from here.
    new Function('require', 'module', 'exports', fs.readFileSync(file, 'utf8'))(
      require,
      module,
      module.exports,
    );
    if (typeof module.exports.default !== 'function') throw new Error(`${file}: not a validator`);
    return module.exports.default;
  }
  const validate = ajv.compile(closedSchema);
  // Written whole, then renamed: a reader in another worker never sees half a file.
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, standaloneCode(ajv, validate));
  fs.renameSync(partial, file);
  return validate;
}

/** Problems of `value` against an OpenAPI v3 schema, as `path: message` lines. */
export function schemaProblems(schema: unknown, value: unknown): string[] {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (validate === undefined) {
    validate = compile(schema);
    compiled.set(key, validate);
  }
  if (validate(structuredClone(value))) return [];
  return (validate.errors ?? []).map(
    (e: ErrorObject) =>
      `${e.instancePath || '/'}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
  );
}

/** Problems of a custom resource against the CRD fixture of its kind and version. */
export function crdProblems(fixture: string, object: unknown): string[] {
  const crd = readFixture(fixture);
  const o = object as { apiVersion?: string; kind?: string };
  const out: string[] = [];
  if (o.apiVersion !== `${String(crd.group)}/${String(crd.version)}`)
    out.push(`apiVersion ${String(o.apiVersion)} is not ${String(crd.group)}/${String(crd.version)}`);
  if (o.kind !== crd.kind) out.push(`kind ${String(o.kind)} is not ${String(crd.kind)}`);
  return [...out, ...schemaProblems(crd.openAPIV3Schema, object)];
}

export const CLUSTER_CRD = 'cluster-api-v1.14.0/cluster.x-k8s.io_clusters.v1beta2.json';

/** The CRD fixture of each Cluster API kind the stacks write (test/fixtures/crds/README.md). */
export const CRD_OF_KIND: Record<string, string> = {
  Cluster: CLUSTER_CRD,
  ClusterClass: 'cluster-api-v1.14.0/cluster.x-k8s.io_clusterclasses.v1beta2.json',
  KubeadmControlPlaneTemplate:
    'cluster-api-v1.14.0/controlplane.cluster.x-k8s.io_kubeadmcontrolplanetemplates.v1beta2.json',
  KubeadmConfigTemplate: 'cluster-api-v1.14.0/bootstrap.cluster.x-k8s.io_kubeadmconfigtemplates.v1beta2.json',
  OpenStackClusterTemplate:
    'cluster-api-provider-openstack-v0.14.7/infrastructure.cluster.x-k8s.io_openstackclustertemplates.v1beta1.json',
  OpenStackMachineTemplate:
    'cluster-api-provider-openstack-v0.14.7/infrastructure.cluster.x-k8s.io_openstackmachinetemplates.v1beta1.json',
  Metal3ClusterTemplate:
    'cluster-api-provider-metal3-v1.13.2/infrastructure.cluster.x-k8s.io_metal3clustertemplates.v1beta2.json',
  Metal3MachineTemplate:
    'cluster-api-provider-metal3-v1.13.2/infrastructure.cluster.x-k8s.io_metal3machinetemplates.v1beta2.json',
};

/**
 * The CRD fixtures of the Cluster API kinds at each Cluster API release the objects are written
 * for (core/cluster-api-releases.ts CLUSTER_API_RELEASES; test/fixtures/crds/README.md).
 */
export const CLUSTER_API_CRDS: Record<string, Record<string, string>> = Object.fromEntries(
  ['v1.14.0', 'v1.13.5'].map((release) => [
    release,
    {
      Cluster: `cluster-api-${release}/cluster.x-k8s.io_clusters.v1beta2.json`,
      ClusterClass: `cluster-api-${release}/cluster.x-k8s.io_clusterclasses.v1beta2.json`,
      KubeadmControlPlaneTemplate: `cluster-api-${release}/controlplane.cluster.x-k8s.io_kubeadmcontrolplanetemplates.v1beta2.json`,
      KubeadmConfigTemplate: `cluster-api-${release}/bootstrap.cluster.x-k8s.io_kubeadmconfigtemplates.v1beta2.json`,
    },
  ]),
);

/**
 * The CRD fixture of a kind written for a Cluster API release: that release's own CRD for a
 * Cluster API kind, the provider's pinned one for an infrastructure template.
 */
export function crdFixtureFor(kind: string, clusterApiRelease: string): string {
  const crds = CLUSTER_API_CRDS[clusterApiRelease];
  if (crds === undefined) throw new Error(`no CRD fixtures for Cluster API ${clusterApiRelease}`);
  const fixture = crds[kind] ?? (kind in CLUSTER_API_CRDS['v1.14.0'] ? undefined : CRD_OF_KIND[kind]);
  if (fixture === undefined) throw new Error(`no CRD fixture for ${kind}`);
  return fixture;
}
