/**
 * The inference gateway of examples/sovereign.yaml, read back from the real synthesized JSON:
 * custom resources against the upstream CRD schemas, tenants' keys, models and limits in the
 * gateway's configuration, who can reach an engine, and the refusals of a bad gateway spec.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { App, TerraformStack } from 'cdktf';
import { type SovereignError } from '../../core/errors';
import {
  API_KEYS_LABEL,
  eppConfig,
  InferenceGateway,
  splitImage,
  tenantOrder,
} from '../../constructs/inference-gateway';
import { PrivateCluster } from '../../constructs/private-cluster';
import { parseSpec } from '../../stacks/spec/load';
import { NetworkModel, type Pod } from '../support/netpol';
import { FIXTURES, REPO_ROOT } from '../support/paths';
import { resources, synthExample, type Json } from '../support/synth';

beforeAll(() => process.chdir(REPO_ROOT));

// ------------------------------------------------------------------ CRD schemas
/** Go's RE2 inline flag `(?i)` (in the Prometheus Operator CRDs) as a JavaScript flag. */
const re2 = Object.assign(
  (pattern: string, flags: string) =>
    pattern.includes('(?i)')
      ? new RegExp(pattern.replace('(?i)', ''), `${flags}i`)
      : new RegExp(pattern, flags),
  { code: 'new RegExp' },
);
const ajv = new Ajv({ allErrors: true, strict: false, code: { regExp: re2 } });
addFormats(ajv);
for (const f of ['int32', 'int64', 'byte', 'double', 'float']) ajv.addFormat(f, true);
const CRD_DIR = path.join(FIXTURES, 'crds');
const validators = new Map<string, ValidateFunction>();
// The CRDs of the objects the gateway, the autoscaler and monitoring write (the Cluster API
// fixtures beside them have their own layout and test).
const CRD_DIRS = [
  'agentgateway-v1.4.1',
  'gateway-api-inference-extension-v1.6.0',
  'gateway-api-v1.6.1',
  'keda-v2.20.2',
  'prometheus-operator-v0.93.0',
];
for (const dir of CRD_DIRS) {
  const d = path.join(CRD_DIR, dir);
  if (!fs.statSync(d).isDirectory()) continue;
  for (const f of fs.readdirSync(d).sort()) {
    const crd = JSON.parse(fs.readFileSync(path.join(d, f), 'utf8')) as {
      group: string;
      kind: string;
      version: string;
      schema: object;
    };
    validators.set(`${crd.group}/${crd.version}/${crd.kind}`, ajv.compile(crd.schema));
  }
}
function schemaErrors(manifest: Json): string[] {
  const v = validators.get(`${manifest.apiVersion}/${manifest.kind}`);
  if (v === undefined) return [`no CRD schema fixture for ${manifest.apiVersion} ${manifest.kind}`];
  return v(manifest) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const examples = (() => {
  let out: ReturnType<typeof synthExample> | undefined;
  return () => (out ??= synthExample('examples/sovereign.yaml', true));
})();
const manifests = (stack: Json): Json[] =>
  resources(stack, 'kubernetes_manifest').map((r) => r.manifest as Json);
const byKind = (stack: Json, kind: string) => manifests(stack).filter((m) => m.kind === kind);
const named = (stack: Json, kind: string, name: string) =>
  byKind(stack, kind).find((m) => m.metadata.name === name) as Json;

describe('every custom resource the stacks emit fits its CRD schema at the pinned release', () => {
  test('a schema fixture for each kind', () => expect(validators.size).toBe(8));
  test.each(['de-fra', 'fr-par', 'eu-edge-vie'])('%s', (j) => {
    const stack = examples().stacks[j];
    const ms = manifests(stack);
    expect(new Set(ms.map((m) => m.kind))).toEqual(
      new Set([
        'Gateway',
        'HTTPRoute',
        'InferencePool',
        'AgentgatewayPolicy',
        'AgentgatewayParameters',
        ...(j === 'de-fra' ? ['ScaledObject'] : []),
        ...(j === 'fr-par' ? [] : ['PodMonitor', 'PrometheusRule']),
      ]),
    );
    for (const m of ms)
      expect({ [`${m.kind} ${m.metadata.name}`]: schemaErrors(m) }).toEqual({
        [`${m.kind} ${m.metadata.name}`]: [],
      });
  });

  test('the schemas refuse what the API server would: a misspelt enum, a missing field, an unknown kind', () => {
    const stack = examples().stacks['de-fra'];
    const pool = structuredClone(named(stack, 'InferencePool', 'llama-3-1-8b'));
    pool.spec.endpointPickerRef.failureMode = 'FailClosed';
    expect(schemaErrors(pool).join('\n')).toMatch(/failureMode must be equal to one of the allowed values/);
    const route = structuredClone(named(stack, 'HTTPRoute', 'llama-3-1-8b'));
    route.spec.rules[0].matches[0].path.type = 'Prefix';
    expect(schemaErrors(route)).not.toEqual([]);
    const tenants = structuredClone(named(stack, 'AgentgatewayPolicy', 'tenants'));
    tenants.spec.traffic.rateLimit.conditional[0].policy.local[0].unit = 'Days';
    expect(schemaErrors(tenants).join('\n')).toMatch(/unit must be equal to one of the allowed values/);
    const gw = structuredClone(named(stack, 'Gateway', 'inference-gateway'));
    delete gw.spec.listeners[0].protocol;
    expect(schemaErrors(gw).join('\n')).toMatch(/must have required property 'protocol'/);
    expect(
      schemaErrors({ apiVersion: 'inference.networking.x-k8s.io/v1alpha2', kind: 'InferencePool' }),
    ).toEqual(['no CRD schema fixture for inference.networking.x-k8s.io/v1alpha2 InferencePool']);
  });
});

describe('the gateway: one endpoint, routed by the body’s model, from the jurisdiction’s mirror', () => {
  test('all three jurisdictions, the CPU edge site too, get a gateway with a pool and a picker per model', () => {
    const want: Record<string, string[]> = {
      'de-fra': ['llama-3-1-70b', 'llama-3-1-8b'],
      'fr-par': ['mistral-7b'],
      'eu-edge-vie': ['qwen-7b'],
    };
    for (const [j, models] of Object.entries(want)) {
      const stack = examples().stacks[j];
      expect(byKind(stack, 'Gateway')).toHaveLength(1);
      expect(
        byKind(stack, 'InferencePool')
          .map((p) => p.metadata.name)
          .sort(),
      ).toEqual(models);
      const epps = resources(stack, 'kubernetes_deployment_v1').filter(
        (d) => d.metadata.labels['app.kubernetes.io/component'] === 'endpoint-picker',
      );
      expect(epps.map((d) => d.metadata.name).sort()).toEqual(models.map((m) => `${m}-epp`));
      expect(stack.output.gateway_endpoint.value).toMatch(/^https:\/\/llm\.[a-z.-]+\.example:8443$/);
    }
  });

  test('routes: the OpenAI paths to the pool of the model the body names; /v1/models answered by the gateway', () => {
    const stack = examples().stacks['de-fra'];
    const route = named(stack, 'HTTPRoute', 'llama-3-1-70b');
    expect(route.spec.hostnames).toEqual(['llm.fra.sovereign-cloud.de.example']);
    expect(route.spec.rules[0].matches).toEqual(
      ['/v1/chat/completions', '/v1/completions', '/v1/embeddings'].map((p) => ({
        path: { type: 'Exact', value: p },
        method: 'POST',
        headers: [{ type: 'Exact', name: 'x-gateway-model-name', value: 'llama-3-1-70b' }],
      })),
    );
    expect(route.spec.rules[0].backendRefs).toEqual([
      { group: 'inference.networking.k8s.io', kind: 'InferencePool', name: 'llama-3-1-70b', port: 8000 },
    ]);
    const header = named(stack, 'AgentgatewayPolicy', 'model-from-body');
    expect(header.spec.traffic).toEqual({
      phase: 'PreRouting',
      transformation: {
        request: { set: [{ name: 'x-gateway-model-name', value: 'json(request.body).model' }] },
      },
    });
    const models = named(stack, 'AgentgatewayPolicy', 'openai-models');
    expect(JSON.parse(models.spec.traffic.directResponse.body).data.map((m: Json) => m.id)).toEqual([
      'llama-3-1-70b',
      'llama-3-1-8b',
    ]);
    // The pool selects exactly the model's server pods.
    const pool = named(stack, 'InferencePool', 'llama-3-1-70b');
    const server = resources(stack, 'kubernetes_deployment_v1').find(
      (d) => d.metadata.name === 'llama-3-1-70b',
    ) as Json;
    const podLabels = server.spec.template.metadata.labels as Record<string, string>;
    for (const [k, v] of Object.entries(pool.spec.selector.matchLabels)) expect(podLabels[k]).toBe(v);
    expect(pool.spec.endpointPickerRef).toEqual({
      kind: 'Service',
      name: 'llama-3-1-70b-epp',
      port: { number: 9002 },
      failureMode: 'FailClose',
    });
  });

  test('TLS from the certificate Secret; the engine key is presented by the gateway, not by tenants', () => {
    const stack = examples().stacks['de-fra'];
    const gw = named(stack, 'Gateway', 'inference-gateway');
    expect(gw.spec.listeners).toEqual([
      expect.objectContaining({
        protocol: 'HTTPS',
        port: 8443,
        hostname: 'llm.fra.sovereign-cloud.de.example',
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'llm-gateway-tls' }] },
      }),
    ]);
    expect(named(stack, 'AgentgatewayPolicy', 'llama-3-1-70b-engine-key').spec.backend).toEqual({
      auth: { secretRef: { name: 'llm-api-keys', key: 'llama-70b' } },
    });
  });

  test('controller and CRDs from the chart mirror at v1.4.1; every image from the registry by digest', () => {
    const stack = examples().stacks['fr-par'];
    const releases = resources(stack, 'helm_release').filter((r) => r.chart.startsWith('agentgateway'));
    expect(releases.map((r) => [r.chart, r.repository, r.version]).sort()).toEqual([
      ['agentgateway', 'https://charts.par.cloud-souverain.fr.example/nvidia', 'v1.4.1'],
      ['agentgateway-crds', 'https://charts.par.cloud-souverain.fr.example/nvidia', 'v1.4.1'],
    ]);
    const values = JSON.parse((releases.find((r) => r.chart === 'agentgateway') as Json).values[0]);
    expect(values.controller.image).toEqual({
      registry: 'harbor.par.cloud-souverain.fr.example/agentgateway',
      repository: 'controller',
      tag: 'v1.4.1@sha256:2d2defc6b26773f7ea12856b440c0e2cfa76b5ed75070e946b0c869713ef6713',
      pullPolicy: 'IfNotPresent',
    });
    expect(values.image.registry).toBe('harbor.par.cloud-souverain.fr.example/agentgateway');
    expect(values.inferenceExtension).toEqual({ enabled: true });
    expect(named(stack, 'AgentgatewayParameters', 'inference-gateway-proxy').spec.image).toEqual({
      registry: 'harbor.par.cloud-souverain.fr.example/agentgateway',
      repository: 'agentgateway',
      digest: 'sha256:d3caa16b4492f48449c0a0b3141c3ffc08a03f09732ace316ee8da7ee8aa4f89',
    });
    expect(named(stack, 'AgentgatewayParameters', 'inference-gateway-proxy').spec.service).toEqual({
      spec: { type: 'ClusterIP' },
    });
  });

  test('the endpoint picker is hardened like the servers: non-root, read-only, no default token', () => {
    const stack = examples().stacks['eu-edge-vie'];
    const d = resources(stack, 'kubernetes_deployment_v1').find(
      (x) => x.metadata.name === 'qwen-7b-epp',
    ) as Json;
    const pod = d.spec.template.spec;
    expect(pod.automount_service_account_token).toBe(false);
    const c = pod.container[0];
    expect(c.image).toBe(
      'registry.vie.edge.eu.example/llm-d/llm-d-router-endpoint-picker:v0.10.0@sha256:c415c065385c8eeeb66a829abca98b0e2c3ee294138154ce3e64828b7fbb32b2',
    );
    expect(c.security_context).toEqual(
      expect.objectContaining({
        allow_privilege_escalation: false,
        read_only_root_filesystem: true,
        run_as_non_root: true,
        capabilities: { drop: ['ALL'] },
      }),
    );
    expect(c.args.slice(0, 6)).toEqual([
      '--pool-name',
      'qwen-7b',
      '--pool-namespace',
      'llm-serving',
      '--pool-group',
      'inference.networking.k8s.io',
    ]);
    // llama.cpp: its own queue gauges, no KV-cache scorer (llama-server exports no KV gauge).
    const cm = resources(stack, 'kubernetes_config_map_v1').find(
      (x) => x.metadata.name === 'qwen-7b-epp',
    ) as Json;
    expect(cm.data['config.yaml']).toBe(eppConfig('llama-cpp'));
    expect(eppConfig('llama-cpp')).toContain('llamacpp:requests_deferred');
    expect(eppConfig('llama-cpp')).not.toContain('kv-cache-utilization-scorer');
    expect(eppConfig('vllm')).toContain('kv-cache-utilization-scorer');
  });

  test('splitImage keeps the registry path and pins tag and digest', () => {
    expect(splitImage('r.example/mirror/agentgateway/controller:v1.4.1@sha256:' + 'a'.repeat(64))).toEqual({
      registry: 'r.example/mirror/agentgateway',
      repository: 'controller',
      tagAndDigest: `v1.4.1@sha256:${'a'.repeat(64)}`,
      digest: `sha256:${'a'.repeat(64)}`,
    });
  });
});

describe('tenants: key, models and limits reach the gateway configuration', () => {
  test('de-fra: two tenants, each Secret labelled for the key selector, limits per tenant', () => {
    const stack = examples().stacks['de-fra'];
    const labelled = resources(stack, 'kubernetes_labels').filter((l) => l.kind === 'Secret');
    expect(labelled.map((l) => [l.metadata.name, l.metadata.namespace, l.labels])).toEqual([
      ['tenant-chat-frontend-keys', 'llm-serving', { [API_KEYS_LABEL]: 'inference-gateway' }],
      ['tenant-rag-pipeline-keys', 'llm-serving', { [API_KEYS_LABEL]: 'inference-gateway' }],
    ]);
    const t = named(stack, 'AgentgatewayPolicy', 'tenants').spec.traffic;
    expect(t.apiKeyAuthentication).toEqual({
      mode: 'Strict',
      secretSelector: { matchLabels: { [API_KEYS_LABEL]: 'inference-gateway' } },
    });
    expect(t.rateLimit.conditional).toEqual([
      {
        condition: 'apiKey.tenant == "chat-frontend"',
        policy: {
          local: [
            { requests: 600, unit: 'Minutes' },
            { tokens: 5000000, unit: 'Hours' },
          ],
        },
      },
      {
        condition: 'apiKey.tenant == "rag-pipeline"',
        policy: {
          local: [
            { requests: 120, unit: 'Minutes' },
            { tokens: 1000000, unit: 'Hours' },
          ],
        },
      },
    ]);
  });

  test('each tenant is allowed its models only (one Allow rule each; anything no rule allows is refused)', () => {
    const stack = examples().stacks['de-fra'];
    const rule = (tenant: string) =>
      named(stack, 'AgentgatewayPolicy', `tenant-${tenant}`).spec.traffic.authorization;
    expect(rule('rag-pipeline')).toEqual({
      action: 'Allow',
      policy: {
        matchExpressions: [
          'apiKey.tenant == "rag-pipeline"',
          'request.path == "/v1/models" || request.headers["x-gateway-model-name"] in ["llama-3-1-8b"]',
        ],
      },
    });
    expect(rule('chat-frontend').policy.matchExpressions[1]).toContain(
      'in ["llama-3-1-70b", "llama-3-1-8b"]',
    );
    // No tenant policy is anything but Allow: a Deny rule whose expression errors would let a request through.
    for (const p of byKind(stack, 'AgentgatewayPolicy').filter((x) => x.spec.traffic?.authorization))
      expect(p.spec.traffic.authorization.action).toBe('Allow');
  });

  test('fr-par: a tenant bound to its network works only from there', () => {
    const a = named(examples().stacks['fr-par'], 'AgentgatewayPolicy', 'tenant-assistant').spec.traffic
      .authorization;
    expect(a.policy.matchExpressions[2]).toBe('cidr("172.20.8.0/24").containsIP(source.address)');
  });

  test('no key value, only Secret names, appears in the synthesized JSON', () => {
    for (const f of Object.values(examples().files))
      expect(f).not.toMatch(/"key":\s*"k-|stringData|"data":\s*\{\s*"tenant/);
  });
});

describe('who can reach an engine: the gateway, its picker and monitoring; nothing else', () => {
  const serving = 'llm-serving';
  const podOf = (stack: Json, name: string, ip?: string): Pod => {
    const d = resources(stack, 'kubernetes_deployment_v1').find((x) => x.metadata.name === name) as Json;
    return { namespace: d.metadata.namespace, labels: d.spec.template.metadata.labels, ip };
  };
  const proxy: Pod = {
    namespace: serving,
    labels: {
      'gateway.networking.k8s.io/gateway-name': 'inference-gateway',
      'app.kubernetes.io/name': 'inference-gateway',
    },
    ip: '10.40.3.3',
  };

  test('de-fra', () => {
    const stack = examples().stacks['de-fra'];
    const net = new NetworkModel(stack);
    const big = podOf(stack, 'llama-3-1-70b', '10.40.1.10');
    const small = podOf(stack, 'llama-3-1-8b', '10.40.1.11');
    const epp70 = podOf(stack, 'llama-3-1-70b-epp');
    const epp8 = podOf(stack, 'llama-3-1-8b-epp');
    const client: Pod = { namespace: 'chat-frontend', labels: { app: 'web' }, ip: '10.40.7.7' };
    const rag: Pod = { namespace: 'rag-pipeline', labels: { app: 'rag' } };
    const monitoring: Pod = { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } };
    const stranger: Pod = { namespace: 'default', labels: { app: 'x' } };
    const neighbour: Pod = { namespace: serving, labels: { 'app.kubernetes.io/component': 'weights-sync' } };
    const lookalike: Pod = {
      namespace: 'chat-frontend',
      labels: { 'gateway.networking.k8s.io/gateway-name': 'inference-gateway' },
    };
    const sources: Record<string, Pod | { ip: string }> = {
      proxy,
      epp70,
      epp8,
      client,
      rag,
      monitoring,
      stranger,
      neighbour,
      lookalike,
      small,
      outside: { ip: '10.40.9.9' },
    };
    const reaching = (to: Pod, port: number) =>
      Object.entries(sources)
        .filter(([, from]) => from !== to && net.allows(from, to, port))
        .map(([n]) => n)
        .sort();
    expect(reaching(big, 8000)).toEqual(['epp70', 'monitoring', 'proxy']);
    expect(reaching(small, 8000).sort()).toEqual(['epp8', 'monitoring', 'proxy']);
    for (const port of [22, 8080, 9090]) expect(reaching(big, port)).toEqual([]);
    // A pod carrying the proxy's label in a client namespace is a client: it reaches the gateway,
    // never an engine (checked above).
    expect(reaching(proxy, 8443)).toEqual(['client', 'lookalike', 'rag']);
    expect(reaching(proxy, 15020)).toEqual(['monitoring']);
    expect(reaching(proxy, 8000)).toEqual([]);
    expect(reaching(epp70, 9002)).toEqual(['proxy']);
    expect(reaching(epp70, 9090)).toEqual(['monitoring']);
  });

  test('eu-edge-vie: the branch network reaches the gateway, never the llama.cpp server', () => {
    const stack = examples().stacks['eu-edge-vie'];
    const net = new NetworkModel(stack);
    const server = podOf(stack, 'qwen-7b', '192.168.20.4');
    const branch = { ip: '192.168.40.7' };
    expect(net.allows(branch, { ...proxy, ip: '192.168.20.9' }, 8443)).toBe(true);
    expect(net.allows({ ip: '192.168.41.7' }, proxy, 8443)).toBe(false);
    expect(net.allows(branch, server, 8000)).toBe(false);
    expect(net.allows(proxy, server, 8000)).toBe(true);
    // monitoring (declared for the edge) scrapes the server's port; nobody else in the cluster reaches it.
    expect(net.allows({ namespace: 'monitoring', labels: {} }, server, 8000)).toBe(true);
    expect(net.allows({ namespace: 'monitoring', labels: {} }, server, 22)).toBe(false);
    expect(net.allows({ namespace: 'default', labels: {} }, server, 8000)).toBe(false);
  });
});

describe('a bad gateway spec is refused, located', () => {
  const base = fs.readFileSync('examples/sovereign.yaml', 'utf8');
  const problemsOf = (text: string): string[] => {
    try {
      parseSpec(text, 'sovereign.yaml');
    } catch (e) {
      return (e as SovereignError).problems.map((p) => `${p.line}:${p.col} ${p.path}  ${p.message}`);
    }
    return [];
  };

  test('fails when the endpoint host is outside sovereignty.hosts (a lookalike suffix too)', () => {
    for (const host of [
      'llm.fra.sovereign-cloud.de.example.attacker.example',
      'llm.fra-sovereign-cloud.de.example',
    ]) {
      const ps = problemsOf(base.replace('host: llm.fra.sovereign-cloud.de.example', `host: ${host}`));
      expect(ps).toEqual([
        expect.stringMatching(
          new RegExp(
            `^\\d+:\\d+ jurisdictions\\.de-fra\\.gateway\\.host  the endpoint host "${host.replace(/\./g, '\\.')}" is outside the jurisdiction: it is not in sovereignty\\.hosts`,
          ),
        ),
      ]);
    }
  });

  test('fails when a tenant names a model the jurisdiction does not serve', () => {
    const ps = problemsOf(
      base.replace(
        'models: [llama-3-1-8b]\n          apiKeySecret: tenant-rag',
        'models: [llama-3-1-9b]\n          apiKeySecret: tenant-rag',
      ),
    );
    expect(ps).toEqual([
      expect.stringMatching(
        /^\d+:\d+ jurisdictions\.de-fra\.gateway\.tenants\.rag-pipeline\.models\.0 {2}model "llama-3-1-9b" is not declared in this jurisdiction\. Did you mean "llama-3-1-8b"\?/,
      ),
    ]);
  });

  test('fails on a foreign gateway image, an API server range outside the jurisdiction, an open tenant network', () => {
    const text = base
      .replace(
        'endpointPicker: registry.fra.sovereign-cloud.de.example/llm-d/',
        'endpointPicker: ghcr.io/llm-d/',
      )
      .replace('cidrs: [10.40.0.10/32]', 'cidrs: [8.8.8.8/32]')
      .replace('          cidrs: [172.20.8.0/24]', '          cidrs: [0.0.0.0/0]');
    const ps = problemsOf(text).map((p) => p.replace(/^\d+:\d+ /, ''));
    expect(ps).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^jurisdictions\.de-fra\.gateway\.images\.endpointPicker {2}registry "ghcr\.io" is not in sovereignty\.registries/,
        ),
        expect.stringMatching(
          /^jurisdictions\.de-fra\.gateway\.apiServer\.cidrs\.0 {2}8\.8\.8\.8\/32 is not inside sovereignty\.cidrs/,
        ),
        expect.stringMatching(
          /^jurisdictions\.fr-par\.gateway\.tenants\.assistant\.cidrs\.0 {2}0\.0\.0\.0\/0 would admit every address/,
        ),
      ]),
    );
    expect(ps).toHaveLength(3);
  });

  test('the construct refuses a tenant model it does not route and an empty pool selector', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'gw-')) });
    const stack = new TerraformStack(app, 's');
    const cluster = new PrivateCluster(stack, 'cluster', {
      jurisdiction: 'lab',
      connection: { kind: 'kubeconfig', configPath: '~/.kube/config', context: 'lab' },
    });
    const img = (n: string) => `registry.lab.example/${n}:v1@sha256:${'b'.repeat(64)}`;
    let err: SovereignError | undefined;
    try {
      new InferenceGateway(stack, 'gw', {
        cluster,
        jurisdiction: 'lab',
        namespace: 'llm-serving',
        chartRepository: 'oci://registry.lab.example/charts',
        host: 'llm.lab.example',
        allowedHosts: ['*.lab.example'],
        tlsSecretName: 'tls',
        images: { controller: img('c'), proxy: img('p'), endpointPicker: img('e') },
        models: [{ name: 'm', engine: 'vllm', port: 8000, selector: {} }],
        tenants: [{ name: 't', models: ['other'], apiKeySecret: 'keys', namespaces: ['apps'], cidrs: [] }],
        apiServer: { cidrs: ['10.0.0.1/32'], port: 6443 },
      });
    } catch (e) {
      err = e as SovereignError;
    } finally {
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
    expect(err?.code).toBe('PROPS_INVALID');
    expect(err?.problems.map((p) => `${p.path}  ${p.message}`)).toEqual([
      'models[0].selector  empty: the pool would select every pod',
      'tenants[0].models[0]  "other" is not a model of this gateway; models: m',
    ]);
  });
});

describe('tenant order', () => {
  const sorted = (names: string[]) =>
    names
      .map((name) => ({ name }))
      .sort(tenantOrder(names.map((name) => ({ name }))))
      .map((t) => t.name);
  const byLocale = (names: string[]) => [...names].sort((a, b) => a.localeCompare(b));

  test('DNS-label names come out as localeCompare orders them (hyphens, digits, prefixes)', () => {
    const names = [
      'rag-pipeline',
      'a-b',
      'ab',
      'a0',
      'a-',
      'a',
      '0a',
      'chat-frontend',
      'chat',
      'chat2',
      'z9-1',
    ];
    expect(sorted(names)).toEqual(byLocale(names));
    expect(sorted(names)).toEqual([
      '0a',
      'a',
      'a-',
      'a-b',
      'a0',
      'ab',
      'chat',
      'chat-frontend',
      'chat2',
      'rag-pipeline',
      'z9-1',
    ]);
  });

  test('any other name (a library caller may pass one) keeps localeCompare for all', () => {
    const names = ['b', 'B', 'a', 'Ä', 'a-b', 'ab'];
    expect(sorted(names)).toEqual(byLocale(names));
    // Code-unit order would differ here: upper case before lower case.
    expect(sorted(names)).not.toEqual([...names].sort());
  });
});
