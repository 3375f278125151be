/**
 * Checks beyond types, on the parsed spec: references between sections, images and
 * endpoints inside the jurisdiction's declared boundary, layouts the engines can serve.
 * Each problem names the field path; the loader turns paths into file positions.
 */
import {
  cidrPrefix,
  cidrWithin,
  endpointsIn,
  hostAllowed as boundaryAllows,
  ipLiteral,
  parseIp,
  publicServiceOf,
} from '../../core/hosts';
import { checkSourceUrl } from '../../core/source-url';
import { homedir } from 'os';
import { posix } from 'path';
import { CAPM3, CAPO, clusterApiReleaseFor, kubernetesVersionProblem } from '../../core/cluster-api-releases';
import { capacityProblems } from './plan';
import { canonicalManifest, checkManifest, MAX_MANIFEST_BYTES } from '../../constructs/weights-manifest';
import { readCaPem } from './ca';
import { boundaryProblems, declaredPublicFor } from '../../policy/boundary';
import { secretArgPairs, secretsIn } from '../../policy/secrets';
import type { JurisdictionSpec, SovereignSpec } from './schema';
import { didYouMean } from '../../core/suggest';
import { PROFILES } from '../profiles';
import { MODEL_CATALOGUE } from '../../constructs/model-catalogue';
import { checkExtraArgs, imageReleaseMismatch } from '../../core/engines/flags';
import { diskImageProblems } from '../../constructs/infrastructure/metal3';
import { IMAGE_REPOSITORIES_BY_CHART } from '../../core/gpu-operator-images';
import { VLLM_QUANTIZATION_FORMAT, VLLM_TABLE } from '../../core/engines/vllm';
import { LLAMA_CPP_TABLE } from '../../core/engines/llama-cpp';
import type { SpecPath } from './load';
import { gatingLicenceVerdicts } from '../../policy/licences/judge';
import { todayUtc } from '../../policy/suppressions';

export interface SemanticProblem {
  readonly path: SpecPath;
  readonly message: string;
}

/** Host part of a URL or `host[:port]`, lower-cased, without the port. */
export function hostOf(value: string): string {
  // User information (`user:password@`) is never part of the host, nor shown.
  const m = /^[a-z0-9+.-]+:\/\/(?:[^/?#\s@]*@)?([^/:?#\s]+)/i.exec(value);
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

/** Name of the stack that builds a jurisdiction's cluster. */
export function provisionStackName(jurisdiction: string): string {
  return `${jurisdiction}-provision`;
}

export function semanticProblems(spec: SovereignSpec): SemanticProblem[] {
  const out: SemanticProblem[] = [];
  for (const [name, j] of Object.entries(spec.jurisdictions)) {
    out.push(...jurisdictionProblems(['jurisdictions', name], j));
    // The provisioning stack is named `<jurisdiction>-provision`: no jurisdiction may take that name.
    if (j.cluster.provision && spec.jurisdictions[provisionStackName(name)] !== undefined)
      out.push({
        path: ['jurisdictions', provisionStackName(name)],
        message: `the name is taken by the provisioning stack of jurisdiction "${name}"; rename one of them`,
      });
    out.push(...gatewayProblems(['jurisdictions', name], j));
    out.push(...autoscalerProblems(['jurisdictions', name], j));
  }
  out.push(...sharedManagementProblems(spec));
  return out;
}

/**
 * Jurisdictions whose provisioning stacks name the same management cluster (the same kubeconfig
 * file and context): that cluster runs one Cluster API release, so their providers must pair with
 * the same one, and their Cluster objects (and the templates and kubeconfig Secret named after
 * them) must not share a namespace and name, or one jurisdiction's apply would take over the
 * other's objects and its destroy delete them. Each refusal is located at the later jurisdiction
 * in name order. Two files or contexts that reach the same cluster cannot be told apart here.
 */
function sharedManagementProblems(spec: SovereignSpec): SemanticProblem[] {
  const out: SemanticProblem[] = [];
  const first = new Map<string, { name: string; release?: string; provider: string }>();
  const clusters = new Map<string, string>();
  for (const name of Object.keys(spec.jurisdictions).sort()) {
    const p = spec.jurisdictions[name].cluster.provision;
    if (p === undefined) continue;
    const k = p.management.kubeconfig;
    const where = `${k.path}${k.context !== undefined ? `, context ${k.context}` : ''}`;
    // `~/x` and the same file written from the home directory are one file (the spec is
    // synthesized and applied by the same user).
    const file = posix.normalize(k.path.startsWith('~/') ? `${homedir()}/${k.path.slice(2)}` : k.path);
    const key = JSON.stringify([file, k.context ?? null]);
    const provider = p.infrastructure === 'metal3' ? CAPM3 : CAPO;
    const release = clusterApiReleaseFor(provider.clusterApi)?.release;
    const at = ['jurisdictions', name, 'cluster', 'provision'];
    const seen = first.get(key);
    if (seen === undefined) first.set(key, { name, release, provider: p.infrastructure });
    else if (release !== undefined && seen.release !== undefined && release !== seen.release)
      out.push({
        path: [...at, 'management'],
        message: `the management cluster (${where}) is also "${seen.name}"'s, whose provider (${seen.provider}) pairs with Cluster API ${seen.release}; this one's (${p.infrastructure}) pairs with ${release}, and a management cluster runs one Cluster API release: give each its own management cluster`,
      });
    const cluster = JSON.stringify([key, p.namespace, p.name ?? name]);
    const owner = clusters.get(cluster);
    if (owner === undefined) clusters.set(cluster, name);
    else
      out.push({
        path: [...at, p.name !== undefined ? 'name' : 'namespace'],
        message: `"${owner}" writes its Cluster ${p.namespace}/${p.name ?? name} on the same management cluster (${where}): the objects would be the same, and destroying one jurisdiction would delete the other's cluster; give each its own namespace or name`,
      });
  }
  return out;
}

function jurisdictionProblems(base: SpecPath, j: JurisdictionSpec): SemanticProblem[] {
  const out: SemanticProblem[] = [];
  const add = (path: SpecPath, message: string) => out.push({ path: [...base, ...path], message });

  // No credential anywhere in the spec: it would be copied into cdk.tf.json and the reports.
  // `path` is the walk's one stack of keys, copied only where a problem is reported.
  const path: (string | number)[] = [];
  const secrets = (v: unknown) => {
    if (typeof v === 'string') {
      for (const h of secretsIn(v))
        add(
          [...path],
          `holds ${h.kind} (value not shown); reference a Secret, a file or an environment variable instead`,
        );
    } else if (Array.isArray(v)) {
      for (const p of secretArgPairs(v))
        add(
          [...path, p.index],
          `is a literal value for ${p.flag} (value not shown); pass it through the environment or a file`,
        );
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        secrets(v[i]);
        path.pop();
      }
    } else if (typeof v === 'object' && v !== null)
      for (const k of Object.keys(v)) {
        path.push(k);
        secrets((v as Record<string, unknown>)[k]);
        path.pop();
      }
  };
  secrets(j);

  // Operand digests name images of the chart version installed (v26 dropped operator.initContainer).
  const chartImages = IMAGE_REPOSITORIES_BY_CHART[j.gpuOperator.chartVersion];
  for (const key of Object.keys(j.gpuOperator.imageDigests).sort()) {
    if (!(key in chartImages))
      add(
        ['gpuOperator', 'imageDigests', key],
        `chart ${j.gpuOperator.chartVersion} has no ${key} image (removed in v26): drop it, or pin gpuOperator.chartVersion v25.10.0`,
      );
  }

  // A boundary one jurisdiction can own: same checks as the audit's SOV-014.
  const sovField: Record<string, string> = {
    registries: 'registries',
    hosts: 'hosts',
    cidrs: 'cidrs',
    chartRepositories: 'chartRepository',
    providerHosts: 'providerRegistry',
    declaredPublic: 'declaredPublic',
  };
  for (const p of boundaryProblems({
    registries: j.sovereignty.registries,
    hosts: j.sovereignty.hosts,
    cidrs: j.sovereignty.cidrs,
    chartRepositories: j.sovereignty.allowPublicChartRepository ? [] : [j.sovereignty.chartRepository],
    providerHosts: [j.sovereignty.providerRegistry],
    declaredPublic: j.sovereignty.declaredPublic,
  })) {
    // A /0 range is refused on its own, above.
    if (p.field === 'cidrs' && p.index === undefined && j.sovereignty.cidrs.some((c) => c.endsWith('/0')))
      continue;
    const one = p.field === 'chartRepositories' || p.field === 'providerHosts';
    add(['sovereignty', sovField[p.field], ...(p.index !== undefined && !one ? [p.index] : [])], p.message);
  }
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

  // Cluster access: exactly one way. Without caCertificateFile the API server's certificate is
  // verified against the system's trusted CAs.
  if ((j.cluster.kubeconfig === undefined) === (j.cluster.api === undefined)) {
    add(
      ['cluster'],
      'give exactly one of kubeconfig (path + context) or api (host, optional CA file, exec plugin or KUBE_TOKEN)',
    );
  }
  if (j.cluster.api) inside(['cluster', 'api', 'host'], j.cluster.api.host, 'the cluster API');
  if (j.backend.type === 'kubernetes' && j.cluster.api?.caCertificateFile !== undefined) {
    const ca = readCaPem(j.cluster.api.caCertificateFile);
    if ('problem' in ca) add(['cluster', 'api', 'caCertificateFile'], ca.problem);
  }
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
    if (cidrPrefix(c) === 0)
      add(['sovereignty', 'cidrs', i], `${c} is the whole internet, not a range inside the jurisdiction`);
  }
  for (const [i, c] of j.clients.cidrs.entries()) {
    if (cidrPrefix(c) === 0)
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

  /** Image fields already judged against the pinned engine release (one problem per field). */
  const releaseChecked = new Set<string>();

  const poolNames = [...Object.keys(j.pools), ...Object.keys(j.cpuPools)];
  for (const pname of Object.keys(j.pools)) {
    // The pool's resources are named pool-<name>-…: at most 58 characters.
    if (pname.length > 58)
      add(['pools', pname], `pool name "${pname}" is ${pname.length} characters; at most 58`);
    if (j.cpuPools[pname] !== undefined)
      add(
        ['cpuPools', pname],
        `"${pname}" names a GPU pool too: pool names are unique across pools and cpuPools`,
      );
  }
  for (const [pname, cp] of Object.entries(j.cpuPools)) {
    if ((cp.nodes === undefined) === (cp.nodeSelector === undefined)) {
      add(
        ['cpuPools', pname],
        'give exactly one of nodes (names of existing nodes, labelled by the pool) or nodeSelector (labels they already carry)',
      );
    }
    if (cp.nodeSelector !== undefined && Object.keys(cp.nodeSelector).length === 0)
      add(
        ['cpuPools', pname, 'nodeSelector'],
        'an empty selector would select every node: give at least one label',
      );
  }
  for (const [sname, st] of Object.entries(j.stores)) {
    if (st.existingClaim !== undefined && st.localVolume !== undefined)
      add(['stores', sname], 'give existingClaim or localVolume, not both');
    if (st.existingClaim === undefined && st.storageClass === undefined)
      add(
        ['stores', sname, 'storageClass'],
        'is required: the StorageClass of the claim the stack creates (or name an existingClaim)',
      );
    const gpuNode =
      st.localVolume &&
      Object.entries(j.pools).find(([, p]) => (p.nodes ?? []).includes(st.localVolume!.node));
    if (gpuNode)
      add(
        ['stores', sname, 'localVolume', 'node'],
        `node "${st.localVolume!.node}" is in GPU pool "${gpuNode[0]}": its taint admits GPU workloads only, so the verification Job cannot run there; use existingClaim or a CPU node`,
      );
    if (st.existingClaim !== undefined && (st.storageClass !== undefined || st.accessMode !== undefined))
      add(
        ['stores', sname, 'existingClaim'],
        'an existing claim keeps its own StorageClass and access mode: leave storageClass and accessMode out',
      );
  }
  const storeNames = Object.keys(j.stores);
  const seenNodes = new Map<string, string>();
  out.push(...provisionProblems(base, j));
  for (const [pname, pool] of Object.entries(j.pools)) {
    for (const [i, node] of (pool.nodes ?? []).entries()) {
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
    const cpuOnly = m.pool === undefined || (!j.pools[m.pool] && j.cpuPools[m.pool] !== undefined);
    if (m.pool !== undefined && !j.pools[m.pool] && !j.cpuPools[m.pool]) {
      add(
        mp('pool'),
        `pool "${m.pool}" is not declared in this jurisdiction.${didYouMean(m.pool, poolNames)} Pools: ${poolNames.join(', ') || 'none'}`,
      );
    }
    if (
      m.engine === 'vllm' &&
      (m.pool === undefined || (j.cpuPools[m.pool] !== undefined && !j.pools[m.pool]))
    )
      add(mp('pool'), 'vLLM needs a GPU pool (pools); only llama-cpp runs CPU-only');
    // The server's Service and Deployment are named after the model: at most 56 characters, a letter first.
    if (mname.length > 56 || !/^[a-z]/.test(mname))
      add(
        ['models', mname],
        `model name "${mname.length > 60 ? mname.slice(0, 57) + '...' : mname}" names the server's Service: at most 56 characters, starting with a letter`,
      );
    if (m.engine === 'llama-cpp' && m.maxConcurrentSequences > 256)
      add(
        mp('maxConcurrentSequences'),
        `${m.maxConcurrentSequences} slots: llama.cpp serves at most 256 at once here`,
      );
    if (m.cpu !== undefined && m.cpu < 0.001) add(mp('cpu'), `${m.cpu} cores is less than 1m (0.001)`);
    const st = j.stores[m.store];
    if (
      st &&
      m.weights.source.type === 'volume' &&
      st.existingClaim === undefined &&
      st.localVolume === undefined
    ) {
      add(
        mp('weights', 'source'),
        `source volume means the weights are already on the store, but store "${m.store}" is a claim the stack creates empty: name the pre-seeded claim (stores.${m.store}.existingClaim) or the node's directory (stores.${m.store}.localVolume); see docs/weights.md`,
      );
    }
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
        : cpuOnly
          ? (images.llamaCppCpu ?? images.llamaCpp)
          : images.llamaCpp);
    if (engineImage === undefined) {
      add(
        mp('image'),
        `no image for ${m.engine}: set models.${mname}.image or images.${m.engine === 'vllm' ? 'vllm' : cpuOnly ? 'llamaCppCpu' : 'llamaCpp'}`,
      );
    }
    fromRegistry(mp('image'), m.image);
    if (engineImage !== undefined) {
      const imagePath: SpecPath =
        m.image !== undefined
          ? mp('image')
          : [
              'images',
              m.engine === 'vllm' ? 'vllm' : cpuOnly && images.llamaCppCpu ? 'llamaCppCpu' : 'llamaCpp',
            ];
      const key = imagePath.join('.');
      const [table, pinned, field] =
        m.engine === 'vllm'
          ? [VLLM_TABLE, j.engines.vllm, 'engines.vllm']
          : [LLAMA_CPP_TABLE, j.engines.llamaCpp, 'engines.llamaCpp'];
      const named = imageReleaseMismatch(table, engineImage, pinned);
      if (named !== undefined && !releaseChecked.has(key)) {
        releaseChecked.add(key);
        add(
          imagePath,
          `the image is tagged ${table.engine} ${named} but the jurisdiction runs ${table.engine} ${pinned} (${field}): flags${m.engine === 'vllm' ? ' and environment' : ''} are checked for the pinned release, so tag and pin must agree; set ${field} to the image's release if it is supported, or mirror the ${pinned} image (docs/engines.md)`,
        );
      }
    }
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
        ? checkExtraArgs('extraArgs', m.extraArgs, VLLM_TABLE, j.engines.vllm)
        : checkExtraArgs('extraArgs', m.extraArgs, LLAMA_CPP_TABLE, j.engines.llamaCpp);
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
    if (
      m.autoscaling &&
      m.autoscaling.minReplicas <= m.autoscaling.maxReplicas &&
      (m.replicas < m.autoscaling.minReplicas || m.replicas > m.autoscaling.maxReplicas)
    ) {
      add(
        mp('replicas'),
        `${m.replicas} replicas is outside the autoscaler's ${m.autoscaling.minReplicas}-${m.autoscaling.maxReplicas}: with autoscaling, replicas is the initial count`,
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

    // Weights: the manifest check ModelWeights makes, then a layout the engine can serve.
    const files = Object.keys(m.weights.files);
    for (const p of checkManifest('files', m.weights.files)) {
      add(mp('weights', 'files', ...(p.path === 'files' ? [] : [p.path.slice('files.'.length)])), p.message);
    }
    if (
      files.length > 0 &&
      Buffer.byteLength(canonicalManifest(m.weights.files), 'utf8') > MAX_MANIFEST_BYTES
    ) {
      add(
        mp('weights', 'files'),
        `the manifest is larger than ${MAX_MANIFEST_BYTES} bytes, more than its ConfigMap holds`,
      );
    }
    const ggufs = files.filter((f) => f.toLowerCase().endsWith('.gguf'));
    if (m.engine === 'llama-cpp' && files.length > 0 && ggufs.length !== 1) {
      add(mp('weights', 'files'), `llama-cpp serves one .gguf file; the manifest has ${ggufs.length}`);
    }
    if (m.engine === 'vllm' && files.length > 0 && !files.includes('config.json')) {
      add(mp('weights', 'files'), 'vLLM loads a model directory with config.json; the manifest has none');
    }
    // Licence: the same judgement the LIC-* rules apply to the synthesized record.
    for (const v of gatingLicenceVerdicts(
      mname,
      { license: m.weights.license, acceptance: m.weights.licenseAcceptance, territories: j.territories },
      PROFILES[j.profile].packs,
      j.suppressions,
      todayUtc(),
    )) {
      add(
        mp('weights', v.field === 'acceptance' ? 'licenseAcceptance' : 'license'),
        `${v.rule} ${v.message}${v.rule === 'LIC-001' || v.rule === 'LIC-006' ? '' : ` (profile ${j.profile} fails on it; accept it with a suppression { rule: ${v.rule}, resource: model.${mname}, reason })`}`,
      );
    }
    // The weights source: the URL check ModelWeights makes, with the policy gate's host matcher.
    const src = m.weights.source;
    if (src.type !== 'volume') {
      const field = src.type === 's3' ? 'endpoint' : 'url';
      const found: { path: string; message: string }[] = [];
      checkSourceUrl(
        field,
        src.type === 's3' ? src.endpoint : src.url,
        { allowedEndpoints: hosts },
        found,
        src.type === 'https',
      );
      for (const f of found) add(mp('weights', 'source', field), f.message);
    }
  }
  out.push(...capacityProblems(j).map((p) => ({ path: [...base, ...p.path], message: p.message })));
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

/**
 * A cluster built with Cluster API: the pools it builds, its network ranges, nameservers, the
 * Keystone endpoint and the ClusterClass source all inside the jurisdiction; existing pools
 * name their nodes.
 */
function provisionProblems(base: SpecPath, j: JurisdictionSpec): SemanticProblem[] {
  const out: SemanticProblem[] = [];
  const add = (path: SpecPath, message: string) => out.push({ path: [...base, ...path], message });
  const p = j.cluster.provision;
  if (p === undefined) {
    for (const [pname, pool] of Object.entries(j.pools)) {
      if (pool.nodes === undefined)
        add(
          ['pools', pname],
          'nodes is required: name the existing nodes of the pool, or build them with cluster.provision.pools',
        );
    }
    return out;
  }
  const at = ['cluster', 'provision'];
  if (j.cluster.api !== undefined)
    add(
      ['cluster', 'api'],
      'a provisioned cluster is reached through cluster.kubeconfig: the file written from the <name>-kubeconfig Secret Cluster API creates',
    );
  const hosts = j.sovereignty.hosts;
  const judgeHost = (path: SpecPath, value: string, what: string) => {
    // Named as the gate reads it (after any user-info part), so a lookalike shows what it is.
    if (!hostAllowed(value, hosts))
      add(
        path,
        `${what} host "${endpointsIn(value)[0]?.host ?? hostOf(value)}" is outside the jurisdiction: it is not in sovereignty.hosts (${hosts.join(', ')})`,
      );
  };
  const cidrs = j.sovereignty.cidrs;
  const within = (path: SpecPath, value: string, what: string) => {
    if (!cidrWithin(value, cidrs))
      add(
        path,
        `${what} ${value} is not inside sovereignty.cidrs (${cidrs.length > 0 ? cidrs.join(', ') : 'none declared'})`,
      );
  };
  const provider = p.infrastructure === 'metal3' ? CAPM3 : CAPO;
  const k8s = kubernetesVersionProblem(p.kubernetesVersion, provider.provider, provider.clusterApi);
  if (k8s !== undefined) add([...at, 'kubernetesVersion'], k8s);
  const DOTTED_V4 = /^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$/;
  within([...at, 'network', 'pods'], p.network.pods, 'the pod range');
  within([...at, 'network', 'services'], p.network.services, 'the service range');
  if (p.network.nodes !== undefined) within([...at, 'network', 'nodes'], p.network.nodes, 'the node subnet');

  // Time servers: judged as the gate judges them (SOV-012), with the IP forms a resolver accepts.
  p.ntpServers.forEach((server, i) => {
    const path = [...at, 'ntpServers', i];
    const v = server.trim().toLowerCase();
    if (DOTTED_V4.test(v)) return within(path, v, 'the time server');
    // An IPv6 form, read as the gate reads it (IpLiteral): named with the IPv4 address it carries.
    // The nodes' time servers are host names or IPv4 addresses (ClusterApiCluster refuses the rest).
    const ip = v.includes(':') ? ipLiteral(v) : undefined;
    if (ip !== undefined) {
      add(
        path,
        ip.carries
          ? `"${server}" carries the IPv4 address ${ip.address} (${ip.carries}): write it as ${ip.address}`
          : `"${server}" is an IPv6 address: time servers are host names or IPv4 addresses`,
      );
      return;
    }
    const e = /^[a-z0-9.-]+$/.test(v) ? endpointsIn(`ntp://${v}`)[0] : undefined;
    if (e === undefined || e.host === '') {
      add(path, `"${server}" is not a host name or IPv4 address (no scheme, port or path)`);
      return;
    }
    if (parseIp(e.host) !== undefined) {
      add(path, `"${server}" is the address ${e.host} written another way: write it as ${e.host}`);
      return;
    }
    if (!e.host.includes('.')) {
      add(
        path,
        `"${server}" is not a fully qualified host name: the nodes resolve it through their search domains`,
      );
      return;
    }
    const svc = publicServiceOf(e.host);
    if (svc !== undefined && !declaredPublicFor(svc, e.host, j.sovereignty.declaredPublic)) {
      add(
        path,
        `the time server "${e.host}" is ${svc}, a public time service, not the jurisdiction's own: run NTP servers inside the jurisdiction, or add a declaredPublic exception with a reason`,
      );
      return;
    }
    judgeHost(path, `ntp://${e.host}`, 'the time server');
  });

  const forbid = (path: SpecPath, what: string, why: string) => add(path, `${what}: ${why}`);
  const machineAt = (
    m: { flavor?: string; image?: string; hostSelector?: object; diskImage?: object },
    path: SpecPath,
  ) => {
    if (p.infrastructure === 'openstack') {
      if (m.flavor === undefined) add(path, 'flavor is required: the OpenStack flavor of the machines');
      if (m.hostSelector !== undefined)
        forbid(
          [...path, 'hostSelector'],
          'hostSelector is a Metal3 field',
          'infrastructure is openstack; give flavor',
        );
      if (m.diskImage !== undefined)
        forbid(
          [...path, 'diskImage'],
          'diskImage is a Metal3 field',
          'infrastructure is openstack; give image',
        );
    } else {
      if (m.hostSelector === undefined || Object.keys(m.hostSelector).length === 0)
        add(path, 'hostSelector is required: the labels of the BareMetalHosts the machines are placed on');
      if (m.flavor !== undefined)
        forbid(
          [...path, 'flavor'],
          'flavor is an OpenStack field',
          'infrastructure is metal3; give hostSelector',
        );
      if (m.image !== undefined)
        forbid([...path, 'image'], 'image is an OpenStack field', 'infrastructure is metal3; give diskImage');
    }
  };
  // The disk image's URL and digest as Metal3Infrastructure judges them at synth (one check).
  const imageForm = (path: SpecPath, image: Parameters<typeof diskImageProblems>[1]) => {
    for (const q of diskImageProblems('', image))
      add([...path, ...q.path.split('.').filter((x) => x !== '')], q.message);
  };
  machineAt(p.controlPlane, [...at, 'controlPlane']);
  for (const [pname, m] of Object.entries(p.pools)) {
    machineAt(m, [...at, 'pools', pname]);
    if (m.diskImage !== undefined) {
      judgeHost([...at, 'pools', pname, 'diskImage', 'url'], m.diskImage.url, 'the disk image');
      imageForm([...at, 'pools', pname, 'diskImage'], m.diskImage);
    }
  }

  if (p.infrastructure === 'openstack') {
    if (p.metal3 !== undefined)
      add(
        [...at, 'metal3'],
        'metal3 is given but infrastructure is openstack: remove it, or set infrastructure: metal3',
      );
    if (p.openstack === undefined) add(at, 'openstack is required when infrastructure is openstack');
    else {
      judgeHost([...at, 'openstack', 'authUrl'], p.openstack.authUrl, 'the OpenStack endpoint');
      p.openstack.dnsNameservers.forEach((d, i) => {
        if (!DOTTED_V4.test(d))
          add([...at, 'openstack', 'dnsNameservers', i], `"${d}" is not an IPv4 address`);
        else within([...at, 'openstack', 'dnsNameservers', i], d, 'the nameserver');
      });
    }
    if (p.network.nodes === undefined)
      add(
        [...at, 'network'],
        "nodes is required with OpenStack: the subnet CAPO creates for the machines (CAPO's default range is nobody's declared one)",
      );
  } else {
    if (p.openstack !== undefined)
      add(
        [...at, 'openstack'],
        'openstack is given but infrastructure is metal3: remove it, or set infrastructure: openstack',
      );
    if (p.network.nodes !== undefined)
      add(
        [...at, 'network', 'nodes'],
        'nodes is an OpenStack field: bare-metal hosts keep the addresses their network gives them',
      );
    if (p.metal3 === undefined) add(at, 'metal3 is required when infrastructure is metal3');
    else {
      const host = p.metal3.controlPlaneEndpoint.host;
      if (!DOTTED_V4.test(host))
        add(
          [...at, 'metal3', 'controlPlaneEndpoint', 'host'],
          `"${host}" is not an IPv4 address: give the control plane's virtual IP`,
        );
      else within([...at, 'metal3', 'controlPlaneEndpoint', 'host'], host, 'the control-plane address');
      judgeHost([...at, 'metal3', 'image', 'url'], p.metal3.image.url, 'the disk image');
      imageForm([...at, 'metal3', 'image'], p.metal3.image);
    }
  }
  if (p.controlPlane.replicas % 2 === 0)
    add(
      [...at, 'controlPlane', 'replicas'],
      `${p.controlPlane.replicas} control-plane machines: use an odd number (1, 3, 5) so etcd keeps a quorum`,
    );
  for (const [pname, m] of Object.entries(p.pools)) {
    if ((m.replicas === undefined) === (m.autoscaling === undefined))
      add(
        [...at, 'pools', pname],
        'give exactly one of replicas (a fixed count) or autoscaling (minReplicas and maxReplicas)',
      );
    if (m.autoscaling && m.autoscaling.maxReplicas < m.autoscaling.minReplicas)
      add(
        [...at, 'pools', pname, 'autoscaling', 'maxReplicas'],
        `${m.autoscaling.maxReplicas} is below minReplicas (${m.autoscaling.minReplicas})`,
      );
  }
  for (const [pname, pool] of Object.entries(j.pools)) {
    const m = p.pools[pname];
    if (m !== undefined && m.autoscaling === undefined && m.replicas === 0)
      add(
        [...at, 'pools', pname, 'replicas'],
        `GPU pool "${pname}" with 0 machines cannot serve its models: give at least 1, or autoscaling`,
      );
    if (m === undefined)
      add(
        ['pools', pname],
        `GPU pool "${pname}" has no machines: add cluster.provision.pools.${pname} (flavor, replicas or autoscaling)`,
      );
    if (pool.nodes !== undefined)
      add(
        ['pools', pname, 'nodes'],
        'the nodes of a provisioned cluster are machines Cluster API creates: leave nodes out and size cluster.provision.pools instead',
      );
  }
  return out;
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
