/**
 * Checks beyond types, on the parsed spec: references between sections, images and
 * endpoints inside the jurisdiction's declared boundary, layouts the engines can serve.
 * Each problem names the field path; the loader turns paths into file positions.
 */
import { cidrWithin, endpointsIn, hostAllowed as boundaryAllows } from '../../policy/hosts';
import type { JurisdictionSpec, SovereignSpec } from './schema';
import { didYouMean } from '../../constructs/private/suggest';
import { PROFILES } from '../profiles';
import { MODEL_CATALOGUE } from '../../constructs/model-catalogue';
import { checkExtraArgs } from '../../constructs/private/flags';
import { VLLM_FLAGS, VLLM_QUANTIZATION_FORMAT, VLLM_RELEASE } from '../../constructs/private/vllm-flags';
import { LLAMA_CPP_FLAGS, LLAMA_CPP_RELEASE } from '../../constructs/private/llama-cpp-flags';
import type { SpecPath } from './load';

export interface SemanticProblem {
  readonly path: SpecPath;
  readonly message: string;
}

/** Host part of a URL or `host[:port]`, lower-cased, without the port. */
export function hostOf(value: string): string {
  const m = /^[a-z0-9+.-]+:\/\/([^/:?#\s]+)/i.exec(value);
  return (m ? m[1] : value.split('/')[0].split(':')[0]).toLowerCase();
}

/**
 * Whether the endpoint a URL (or `host:port`) names is one of `patterns`, judged exactly as the
 * policy gate judges the synthesized endpoint (SOV-012), so validate and the gate agree.
 */
export function hostAllowed(value: string, patterns: readonly string[]): boolean {
  const [e] = endpointsIn(value);
  return e === undefined
    ? boundaryAllows(hostOf(value), undefined, patterns)
    : boundaryAllows(e.host, e.port, patterns);
}

function registryOf(image: string): string {
  return image.split('/')[0];
}

export function semanticProblems(spec: SovereignSpec): SemanticProblem[] {
  const out: SemanticProblem[] = [];
  for (const [name, j] of Object.entries(spec.jurisdictions)) {
    out.push(...jurisdictionProblems(['jurisdictions', name], j));
    out.push(...gatewayProblems(['jurisdictions', name], j));
    out.push(...autoscalerProblems(['jurisdictions', name], j));
  }
  return out;
}

function jurisdictionProblems(base: SpecPath, j: JurisdictionSpec): SemanticProblem[] {
  const out: SemanticProblem[] = [];
  const add = (path: SpecPath, message: string) => out.push({ path: [...base, ...path], message });
  const hosts = j.sovereignty.hosts;
  const inside = (path: SpecPath, value: string, what: string) => {
    if (!hostAllowed(value, hosts)) {
      add(
        path,
        `${what} host "${hostOf(value)}" is outside the jurisdiction: it is not in sovereignty.hosts (${hosts.join(', ')})`,
      );
    }
  };
  const fromRegistry = (path: SpecPath, image: string | undefined) => {
    if (image !== undefined && !j.sovereignty.registries.includes(registryOf(image))) {
      add(
        path,
        `registry "${registryOf(image)}" is not in sovereignty.registries (${j.sovereignty.registries.join(', ')})`,
      );
    }
  };

  // Cluster access: exactly one way, and an API server's certificate authority to trust.
  if (j.cluster.api && j.cluster.api.caCertificateFile === undefined) {
    add(
      ['cluster', 'api'],
      "caCertificateFile is required: the PEM file of the API server's certificate authority",
    );
  }
  if ((j.cluster.kubeconfig === undefined) === (j.cluster.api === undefined)) {
    add(
      ['cluster'],
      'give exactly one of kubeconfig (path + context) or api (host + CA + exec plugin or KUBE_TOKEN)',
    );
  }
  if (j.cluster.api) inside(['cluster', 'api', 'host'], j.cluster.api.host, 'the cluster API');
  if (j.backend.type === 's3') inside(['backend', 'endpoint'], j.backend.endpoint, 'the state backend');
  if (j.backend.type === 'kubernetes' && /-[0-9]+$/.test(j.backend.secretSuffix)) {
    add(
      ['backend', 'secretSuffix'],
      `"${j.backend.secretSuffix}" ends in -<number>, which the kubernetes backend reserves for state chunks; set backend.secretSuffix`,
    );
  }
  if (
    j.backend.type === 'local' &&
    (j.backend.path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(j.backend.path))
  ) {
    add(
      ['backend', 'path'],
      'must be relative to the project directory, not an absolute path of one machine',
    );
  }
  if (
    !j.sovereignty.allowPublicChartRepository ||
    !/nvidia\.com|ngc\.nvidia/.test(j.sovereignty.chartRepository)
  ) {
    inside(['sovereignty', 'chartRepository'], j.sovereignty.chartRepository, 'the chart mirror');
  }
  for (const [i, c] of j.sovereignty.cidrs.entries()) {
    if (c.endsWith('/0'))
      add(['sovereignty', 'cidrs', i], `${c} is the whole internet, not a range inside the jurisdiction`);
  }
  for (const [i, c] of j.clients.cidrs.entries()) {
    if (c.endsWith('/0'))
      add(
        ['clients', 'cidrs', i],
        `${c} would open the endpoints to every address; name the client networks`,
      );
  }

  const images = j.images;
  fromRegistry(['images', 'vllm'], images.vllm);
  fromRegistry(['images', 'llamaCpp'], images.llamaCpp);
  fromRegistry(['images', 'llamaCppCpu'], images.llamaCppCpu);
  fromRegistry(['images', 'weightsSync'], images.weightsSync);

  const poolNames = Object.keys(j.pools);
  const storeNames = Object.keys(j.stores);
  const seenNodes = new Map<string, string>();
  for (const [pname, pool] of Object.entries(j.pools)) {
    for (const [i, node] of pool.nodes.entries()) {
      const other = seenNodes.get(node);
      if (other !== undefined)
        add(
          ['pools', pname, 'nodes', i],
          `node "${node}" is already in pool "${other}"; a node belongs to one pool`,
        );
      seenNodes.set(node, pname);
    }
  }

  const models = Object.entries(j.models);
  // A ReadWriteOnce volume is mounted by pods on one node only: every replica of every model
  // on the store mounts it.
  for (const [sname, store] of Object.entries(j.stores)) {
    const onStore = models.filter(([, m]) => m.store === sname);
    const pods = onStore.reduce((n, [, m]) => n + Math.max(m.replicas, m.autoscaling?.maxReplicas ?? 0), 0);
    if (pods > 1 && store.accessMode === 'ReadWriteOnce') {
      add(
        ['stores', sname, 'accessMode'],
        `${pods} server pods (${onStore.map(([n]) => n).join(', ')}) mount store "${sname}", which is ReadWriteOnce and may be attached to one node only; use ReadWriteMany or one replica`,
      );
    }
  }
  // NetworkPolicies take addresses: copying weights over the network needs the source's range.
  const remote = models.filter(([, m]) => m.weights.source.type !== 'volume');
  if (remote.length > 0 && j.sovereignty.cidrs.length === 0) {
    const hosts = [
      ...new Set(
        remote.map(([, m]) => {
          const s = m.weights.source;
          return hostOf(s.type === 's3' ? s.endpoint : s.type === 'https' ? s.url : '');
        }),
      ),
    ];
    add(
      ['sovereignty', 'cidrs'],
      `weights are copied from ${hosts.join(', ')}, but no network range is declared: the weight Jobs' egress NetworkPolicy needs the CIDR of each source in sovereignty.cidrs`,
    );
  }
  if (models.length > 0 && images.weightsSync === undefined) {
    add(['images'], 'images.weightsSync is required: the Job that copies and verifies weights runs it');
  }
  for (const [mname, m] of models) {
    const mp = (...p: (string | number)[]) => ['models', mname, ...p];
    if (m.pool !== undefined && !j.pools[m.pool]) {
      add(
        mp('pool'),
        `pool "${m.pool}" is not declared in this jurisdiction.${didYouMean(m.pool, poolNames)} Pools: ${poolNames.join(', ') || 'none'}`,
      );
    }
    if (m.pool === undefined && m.engine === 'vllm')
      add(mp('pool'), 'vLLM needs a GPU pool; only llama-cpp runs CPU-only');
    if (!j.stores[m.store]) {
      add(
        mp('store'),
        `store "${m.store}" is not declared in this jurisdiction.${didYouMean(m.store, storeNames)} Stores: ${storeNames.join(', ') || 'none'}`,
      );
    }
    const engineImage =
      m.image ??
      (m.engine === 'vllm'
        ? images.vllm
        : m.pool === undefined
          ? (images.llamaCppCpu ?? images.llamaCpp)
          : images.llamaCpp);
    if (engineImage === undefined) {
      add(
        mp('image'),
        `no image for ${m.engine}: set models.${mname}.image or images.${m.engine === 'vllm' ? 'vllm' : m.pool === undefined ? 'llamaCppCpu' : 'llamaCpp'}`,
      );
    }
    fromRegistry(mp('image'), m.image);
    if (typeof m.architecture === 'string' && MODEL_CATALOGUE[m.architecture] === undefined) {
      const names = Object.keys(MODEL_CATALOGUE);
      add(
        mp('architecture'),
        `"${m.architecture}" is not in the built-in catalogue.${didYouMean(m.architecture, names)} Catalogue: ${names.join(', ')}; or give the numbers (parametersBillion, layers, attentionHeads, kvHeads, headDim)`,
      );
    }
    if (
      m.engine === 'vllm' &&
      m.quantization !== undefined &&
      !(m.quantization in VLLM_QUANTIZATION_FORMAT)
    ) {
      const known = Object.keys(VLLM_QUANTIZATION_FORMAT);
      add(
        mp('quantization'),
        `"${m.quantization}" is not a vLLM quantization this toolkit sizes.${didYouMean(m.quantization, known)} Allowed: ${known.join(', ')}`,
      );
    }
    const flagProblems =
      m.engine === 'vllm'
        ? checkExtraArgs('extraArgs', m.extraArgs, VLLM_FLAGS, `vLLM ${VLLM_RELEASE}`)
        : checkExtraArgs('extraArgs', m.extraArgs, LLAMA_CPP_FLAGS, `llama.cpp ${LLAMA_CPP_RELEASE}`);
    for (const p of flagProblems) {
      const index = Number(/\[(\d+)\]$/.exec(p.path)?.[1] ?? 0);
      add(mp('extraArgs', index), inSpecTerms(p.message));
    }
    if (PROFILES[j.profile].requireApiKey && m.apiKeySecret === undefined) {
      add(
        mp('apiKeySecret'),
        `profile ${j.profile} requires every endpoint to demand an API key: set apiKeySecret { name, key }`,
      );
    }
    if (m.autoscaling && m.autoscaling.minReplicas > m.autoscaling.maxReplicas) {
      add(
        mp('autoscaling', 'minReplicas'),
        `minReplicas ${m.autoscaling.minReplicas} is above maxReplicas ${m.autoscaling.maxReplicas}`,
      );
    }
    if (
      m.engine === 'vllm' &&
      m.dtype === 'auto' &&
      m.quantization !== undefined &&
      /^q[0-9]/i.test(m.quantization)
    ) {
      add(
        mp('quantization'),
        `${m.quantization} is a GGUF quantization; serve GGUF files with engine llama-cpp`,
      );
    }

    // Weights: a manifest that names a servable layout.
    const files = Object.keys(m.weights.files);
    if (files.length === 0)
      add(
        mp('weights', 'files'),
        'the manifest is empty; run `sovereign weights manifest <dir>` and paste its files',
      );
    for (const f of files) {
      if (f.startsWith('/') || f.split('/').includes('..') || f.includes('\\') || f.split('/').includes('')) {
        add(
          mp('weights', 'files', f),
          `"${f}" must be a relative path inside the model directory (no leading /, no .., no backslash)`,
        );
      }
    }
    const ggufs = files.filter((f) => f.toLowerCase().endsWith('.gguf'));
    if (m.engine === 'llama-cpp' && files.length > 0 && ggufs.length !== 1) {
      add(mp('weights', 'files'), `llama-cpp serves one .gguf file; the manifest has ${ggufs.length}`);
    }
    if (m.engine === 'vllm' && files.length > 0 && !files.includes('config.json')) {
      add(mp('weights', 'files'), 'vLLM loads a model directory with config.json; the manifest has none');
    }
    const src = m.weights.source;
    if (src.type === 's3') inside(mp('weights', 'source', 'endpoint'), src.endpoint, 'the weights source');
    if (src.type === 'https') inside(mp('weights', 'source', 'url'), src.url, 'the weights source');
  }
  return out;
}

/** The construct prop a flag is managed by, as the spec field a user sets instead. */
const SPEC_FIELD: Readonly<Record<string, string>> = {
  apiKeySecret: 'apiKeySecret',
  contextTokensPerSlot: 'maxModelLenTokens',
  'contextTokensPerSlot × parallelSlots': 'maxModelLenTokens × maxConcurrentSequences',
  cpu: 'cpu',
  dtype: 'dtype',
  enablePrefixCaching: 'prefixCaching',
  gpuMemoryUtilization: 'gpuMemoryUtilization',
  maxModelLenTokens: 'maxModelLenTokens',
  maxNumSeqs: 'maxConcurrentSequences',
  parallelSlots: 'maxConcurrentSequences',
  quantization: 'quantization',
  servedModelName: 'the model name (its key under models)',
  tensorParallelSize: 'tensorParallelSize',
  weights: 'weights',
};

function inSpecTerms(message: string): string {
  return message.replace(
    /is set by the construct; use the prop "([^"]+)" instead/,
    (_whole, prop: string) => {
      const field = SPEC_FIELD[prop];
      if (field !== undefined) return `is set by the toolkit from ${field}: set that in the spec instead`;
      return `is set by the toolkit${prop.startsWith('(') ? ` ${prop.slice(1, -1)}` : ''}`;
    },
  );
}

/** The gateway section: host and addresses inside the jurisdiction, tenants' models declared. */
function gatewayProblems(base: SpecPath, j: JurisdictionSpec): SemanticProblem[] {
  const g = j.gateway;
  if (g === undefined) return [];
  const out: SemanticProblem[] = [];
  const add = (path: SpecPath, message: string) => out.push({ path: [...base, 'gateway', ...path], message });
  const hosts = j.sovereignty.hosts;
  if (/[*:/]/.test(g.host) || !g.host.includes('.')) {
    add(
      ['host'],
      `"${g.host}" is not a host name: give the endpoint's DNS name, without scheme, port or wildcard`,
    );
  } else if (!hostAllowed(g.host, hosts)) {
    add(
      ['host'],
      `the endpoint host "${g.host}" is outside the jurisdiction: it is not in sovereignty.hosts (${hosts.join(', ')})`,
    );
  }
  for (const [key, ref] of Object.entries(g.images)) {
    const reg = ref.split('/')[0];
    if (!j.sovereignty.registries.includes(reg)) {
      add(
        ['images', key],
        `registry "${reg}" is not in sovereignty.registries (${j.sovereignty.registries.join(', ')})`,
      );
    }
  }
  for (const [i, c] of g.apiServer.cidrs.entries()) {
    if (!cidrWithin(c, j.sovereignty.cidrs)) {
      add(
        ['apiServer', 'cidrs', i],
        `${c} is not inside sovereignty.cidrs (${j.sovereignty.cidrs.join(', ') || 'none declared'}): egress NetworkPolicies may only name the jurisdiction's ranges`,
      );
    }
  }
  const modelNames = Object.keys(j.models);
  if (modelNames.length === 0) add([], 'a gateway needs at least one model to route to');
  for (const [tname, t] of Object.entries(g.tenants)) {
    for (const [i, m] of t.models.entries()) {
      if (!j.models[m]) {
        add(
          ['tenants', tname, 'models', i],
          `model "${m}" is not declared in this jurisdiction.${didYouMean(m, modelNames)} Models: ${modelNames.join(', ') || 'none'}`,
        );
      }
    }
    for (const [i, c] of t.cidrs.entries()) {
      if (c.endsWith('/0'))
        add(['tenants', tname, 'cidrs', i], `${c} would admit every address; name the tenant's networks`);
    }
  }
  const sources =
    Object.values(g.tenants).some((t) => t.namespaces.length + t.cidrs.length > 0) ||
    j.clients.namespaces.length + j.clients.cidrs.length > 0;
  if (!sources) {
    add(['tenants'], 'no tenant (nor clients) names a namespace or network: nothing could reach the gateway');
  }
  return out;
}

/** Autoscaling: on engine metrics through the jurisdiction autoscaler, or on CPU by explicit choice. */
function autoscalerProblems(base: SpecPath, j: JurisdictionSpec): SemanticProblem[] {
  const out: SemanticProblem[] = [];
  const add = (path: SpecPath, message: string) => out.push({ path: [...base, ...path], message });
  const a = j.autoscaler;
  for (const [mname, m] of Object.entries(j.models)) {
    if (!m.autoscaling) continue;
    if (a === undefined && m.autoscaling.targetCpuUtilization === undefined) {
      add(
        ['models', mname, 'autoscaling'],
        'scales on nothing: declare the jurisdiction autoscaler (KEDA, on the engine queue and KV cache) or set targetCpuUtilization to scale on CPU',
      );
    }
    if (a !== undefined && m.autoscaling.targetCpuUtilization !== undefined) {
      add(
        ['models', mname, 'autoscaling', 'targetCpuUtilization'],
        'the jurisdiction autoscaler scales this model on its engine metrics; remove targetCpuUtilization (an HPA on CPU would fight it)',
      );
    }
    if (m.autoscaling.maxReplicas < m.autoscaling.minReplicas) {
      add(
        ['models', mname, 'autoscaling', 'maxReplicas'],
        `${m.autoscaling.maxReplicas} is below minReplicas ${m.autoscaling.minReplicas}`,
      );
    }
  }
  if (a === undefined) return out;
  for (const [key, ref] of Object.entries(a.images)) {
    const reg = ref.split('/')[0];
    if (!j.sovereignty.registries.includes(reg)) {
      add(
        ['autoscaler', 'images', key],
        `registry "${reg}" is not in sovereignty.registries (${j.sovereignty.registries.join(', ')})`,
      );
    }
  }
  const host = hostOf(a.prometheus.url);
  if (!/\.svc(\.cluster\.local)?$/.test(host) && !hostAllowed(a.prometheus.url, j.sovereignty.hosts)) {
    add(
      ['autoscaler', 'prometheus', 'url'],
      `Prometheus host "${host}" is outside the jurisdiction: use its in-cluster service (<name>.<namespace>.svc) or a host in sovereignty.hosts`,
    );
  }
  const api = a.apiServer ?? j.gateway?.apiServer;
  if (api === undefined) {
    add(
      ['autoscaler'],
      'apiServer is required (where KEDA reaches the Kubernetes API) when there is no gateway.apiServer',
    );
  } else {
    for (const [i, c] of api.cidrs.entries()) {
      if (a.apiServer && !cidrWithin(c, j.sovereignty.cidrs))
        add(
          ['autoscaler', 'apiServer', 'cidrs', i],
          `${c} is not inside sovereignty.cidrs (${j.sovereignty.cidrs.join(', ') || 'none declared'})`,
        );
    }
  }
  return out;
}
