import { endpointsIn, hostAllowed, isInternalHost, normalizeHost } from '../../core/hosts';
import { LABEL_GATEWAY_API_KEYS } from '../../core/annotations';
import { parseImage, registryAllowed } from '../../core/images';
import { helmValues } from '../images';
import { isObj, stringList, strings, str, type Obj } from '../json';
import { MODELLED_KINDS } from '../k8s';
import { expressionsIn } from '../terraform-syntax';
import type { Outcome, StackRule } from '../types';
import { imageRepositoriesFor } from '../../core/gpu-operator-images';
import { declaredHosts, judgeEndpoint } from './private/endpoint';

/** Resource types the rules model; any other kubernetes_* or helm_* type is not judged. */
const KNOWN_OTHER_TYPES = new Set([
  'helm_release',
  'kubernetes_manifest',
  'kubernetes_labels',
  'kubernetes_node_taint',
]);

/** Environment variables that switch hub access or telemetry back on, or point a server at a hub. */
const HUB_ENV =
  /^(HF_HUB_OFFLINE|TRANSFORMERS_OFFLINE|HF_DATASETS_OFFLINE|HF_HUB_DISABLE_TELEMETRY|VLLM_NO_USAGE_STATS|DO_NOT_TRACK|VLLM_USAGE_STATS_SERVER|HF_ENDPOINT|HF_HUB_ENDPOINT|HUGGING_FACE_HUB_TOKEN|HF_TOKEN|LLAMA_ARG_HF_REPO|LLAMA_ARG_HF_FILE|LLAMA_ARG_MODEL_URL|LLAMA_ARG_DOCKER_REPO|VLLM_USE_MODELSCOPE|MODELSCOPE_.*|.*_PROXY|.*_proxy)$/;

const MODELLED_TYPES = MODELLED_KINDS.map((k) => {
  const snake = k.replace(/[A-Z]/g, (c, i: number) => (i ? '_' : '') + c.toLowerCase());
  return new RegExp(`^kubernetes_${snake.replace('daemon_set', 'daemon_?set')}(_v[12])?$`);
});
const typedKnown = new Map<string, boolean>();
const isTypedKnown = (type: string): boolean => {
  let known = typedKnown.get(type);
  if (known === undefined) {
    known = KNOWN_OTHER_TYPES.has(type) || MODELLED_TYPES.some((re) => re.test(type));
    // Bounded: hostile stacks may name any number of types; past this, judged each time.
    if (typedKnown.size < 1024) typedKnown.set(type, known);
  }
  return known;
};

/** Every pod spec inside a manifest, wherever it sits (`spec.template.spec`, `spec.jobTemplate…`, a CRD's field). */
function podSpecs(v: unknown, path: string, out: { pod: Obj; path: string }[]): void {
  if (Array.isArray(v)) v.forEach((x, i) => podSpecs(x, `${path}[${i}]`, out));
  else if (isObj(v)) {
    if (Array.isArray(v.containers) || Array.isArray(v.initContainers)) out.push({ pod: v, path });
    for (const [k, x] of Object.entries(v)) podSpecs(x, path === '' ? k : `${path}.${k}`, out);
  }
}

/**
 * Kubernetes names that are DNS-shaped by design, not endpoints: a manifest's API group
 * (`cluster.x-k8s.io/v1beta2`), and qualified keys (`nvidia.com/gpu`) where Kubernetes reads a
 * key — a taint's, toleration's or selector requirement's `key` — or a list of them with values
 * (or the GPU resource name of the autoscaler's `gpu-type`) in label-selector or taint syntax (`sovereign-stack.io/pool=h100,…`, `nvidia.com/gpu=present:NoSchedule`),
 * as the cluster-autoscaler's capacity annotations carry them. Nothing downloads from these.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 */
const QUALIFIED_KEY = '[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?';
const KEY_VALUE_LIST = new RegExp(
  `^${QUALIFIED_KEY}(=[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?(:(NoSchedule|PreferNoSchedule|NoExecute))?(,${QUALIFIED_KEY}(=[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?(:(NoSchedule|PreferNoSchedule|NoExecute))?)*$`,
);
function isKubernetesName(path: string, value: string): boolean {
  if (path === 'manifest.apiVersion') return true;
  // An object reference's API group (Gateway API `targetRefs[].group`, `parentRefs[].group`,
  // `backendRefs[].group`, agentgateway's `parametersRef.group`): only the exact groups of the
  // kinds the toolkit writes; any other value there is judged as a host.
  if (/\.(targetRefs|parentRefs|backendRefs)\[\d+\]\.group$|\.parametersRef\.group$/.test(path))
    return MODELLED_GROUPS.has(value);
  // A ClusterClass's template reference (`….templateRef.apiVersion`): group/version of a modelled kind.
  if (/\.templateRef\.apiVersion$/.test(path))
    return MODELLED_GROUPS.has(value.slice(0, Math.max(0, value.lastIndexOf('/'))));
  if (!KEY_VALUE_LIST.test(value)) return false;
  // A bare `domain/name` is a key only where Kubernetes reads a key; with `=` or an effect it is
  // selector or taint syntax wherever it stands.
  return (
    /[=:]/.test(value) ||
    /\.key$/.test(path) ||
    /\.annotations\.capacity\.cluster-autoscaler\.kubernetes\.io\/gpu-type$/.test(path)
  );
}

/**
 * Custom resources the toolkit writes and the rules model, by API group and kind. Besides the
 * generic scans below (any pod spec, every host-shaped string), each has a rule that reads its
 * fields: a Cluster API Cluster's addresses and ranges are judged by SOV-012, its node-pool
 * deletions and replacement by the plan review. A kind of the same name in another group is
 * not modelled.
 */
const MODELLED_CUSTOM_KINDS: readonly { readonly group: string; readonly kind: string }[] = [
  { group: 'cluster.x-k8s.io', kind: 'Cluster' },
  // The toolkit's ClusterClass and its templates (constructs/cluster-api-cluster.ts): SOV-012
  // judges every address and range in their spec, the time servers (`ntp.servers`) as hosts,
  // and any URL (a bare-metal disk image) as an endpoint; the plan review reads the class's
  // worker classes.
  { group: 'cluster.x-k8s.io', kind: 'ClusterClass' },
  { group: 'controlplane.cluster.x-k8s.io', kind: 'KubeadmControlPlaneTemplate' },
  { group: 'bootstrap.cluster.x-k8s.io', kind: 'KubeadmConfigTemplate' },
  { group: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackClusterTemplate' },
  { group: 'infrastructure.cluster.x-k8s.io', kind: 'OpenStackMachineTemplate' },
  { group: 'infrastructure.cluster.x-k8s.io', kind: 'Metal3ClusterTemplate' },
  { group: 'infrastructure.cluster.x-k8s.io', kind: 'Metal3MachineTemplate' },
  // The inference gateway (constructs/inference-gateway.ts). SOV-012 judges the Gateway's
  // listener hostnames and the HTTPRoutes' hostnames; SOV-001/002 read the images the
  // AgentgatewayParameters name in its spec (chart-values conventions). The policies and the
  // pool carry no image or endpoint of their own: the generic scans below cover them.
  { group: 'gateway.networking.k8s.io', kind: 'Gateway' },
  { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' },
  { group: 'inference.networking.k8s.io', kind: 'InferencePool' },
  { group: 'agentgateway.dev', kind: 'AgentgatewayParameters' },
  { group: 'agentgateway.dev', kind: 'AgentgatewayPolicy' },
  // KEDA's ScaledObject (constructs/engine-autoscaler.ts): its Prometheus trigger's serverAddress
  // is an endpoint SOV-012 judges like any URL in the stack.
  { group: 'keda.sh', kind: 'ScaledObject' },
  // Prometheus Operator objects (constructs/monitoring.ts): scrape selectors and alert rules;
  // any URL in them (a runbook link) is judged by SOV-012, every host-shaped string below.
  { group: 'monitoring.coreos.com', kind: 'PodMonitor' },
  { group: 'monitoring.coreos.com', kind: 'PrometheusRule' },
  // LeaderWorkerSet (constructs/multi-node-vllm-server.ts, kubernetes-sigs/lws): a workload
  // whose leader and worker pod templates every K8S and SOV workload rule judges as it
  // judges a Deployment's (policy/k8s.ts podViews).
  { group: 'leaderworkerset.x-k8s.io', kind: 'LeaderWorkerSet' },
];
/** API groups of the modelled custom kinds: what an object reference's `group` may name. */
const MODELLED_GROUPS = new Set(MODELLED_CUSTOM_KINDS.map((k) => k.group));
function isModelledCustomKind(apiVersion: string | undefined, kind: string): boolean {
  const group = apiVersion?.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : undefined;
  return MODELLED_CUSTOM_KINDS.some((k) => k.group === group && k.kind === kind);
}

/**
 * The one patch of a Secret the toolkit writes: the gateway labels the tenants' key Secrets
 * (created out of band, never written by the stack) with `sovereign-stack.io/gateway-api-keys`
 * so agentgateway's API-key authentication selects exactly those (LABEL_GATEWAY_API_KEYS in
 * core/annotations.ts). A label changes no image, endpoint or pod the rules judge;
 * any other label, annotation or kind stays unknown.
 */
function isApiKeySecretLabel(type: string, body: Obj): boolean {
  if (type !== 'kubernetes_labels' || str(body.kind) !== 'Secret' || str(body.api_version) !== 'v1')
    return false;
  const labels = isObj(body.labels) ? Object.keys(body.labels) : [];
  return labels.length === 1 && labels[0] === LABEL_GATEWAY_API_KEYS;
}

/** A host-shaped string (trimmed): what bareHosts reads. */
const HOST_SHAPED = /^([a-z0-9-]+(?:[.\u3002\uff0e\uff61][a-z0-9-]+)+)(?::\d+)?(?:\/\S*)?$/i;
/** A number an environment value may give an IPv4 address as (`134744072`, `0x8080808`). */
const NUMBER_SHAPED = /^\s*(0x[0-9a-f]+|[0-9.]+)\s*$/i;

/** Host-shaped strings with a public suffix (`huggingface.co`, `github.com/org/repo`), not only URLs. */
function bareHosts(s: string): string[] {
  const m = HOST_SHAPED.exec(s.trim());
  if (!m) return [];
  const host = normalizeHost(m[1]);
  if (!host || /^\d+(\.\d+)*$/.test(host)) return [];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tldts = require('tldts') as typeof import('tldts');
  const p = tldts.parse(host);
  return p.isIcann && p.domain ? [host] : [];
}

export const rule: StackRule = {
  id: 'SOV-016',
  title: 'Everything the stack applies can be judged (deny by default)',
  severity: 'critical',
  fix: 'Write the values into the stack literally (no file(), yamldecode(), variables or post-renderers), use kinds the rules model, or accept the named unknowns explicitly with `sovereign audit --allow-unknown <reason>`.',
  anchors: ['sovereign-stack trust model (docs/trust-model.md)', 'GDPR Art. 44', 'SecNumCloud 3.2 §19'],
  suppressible: false,
  scope: 'stack',
  check: (ctx) => {
    const out: Outcome[] = [];
    const unknown = (address: string, path: string, message: string) =>
      out.push({ status: 'unknown', address, path, message });
    const bad = (address: string, path: string, message: string) =>
      out.push({ status: 'non-compliant', address, path, message });
    const m = ctx.metadata;
    // The same strings recur across a stack's resources (scripts, images, labels): each is read once.
    const opaqueIn = new Map<string, readonly string[]>();
    const opaqueOf = (v: string) => {
      let o = opaqueIn.get(v);
      if (o === undefined) {
        const found: string[] = [];
        for (const e of expressionsIn(v)) if (e.opaque) found.push(e.opaque);
        opaqueIn.set(v, (o = found));
      }
      return o;
    };
    for (const r of [...ctx.stack.resources, ...ctx.stack.data]) {
      const before = out.length;
      // Values computed from what the artifact does not hold.
      const all = stringList(r.body, '');
      for (const s of all) {
        // Only a string with a `{` holds an expression (expressionsIn); its path is read after.
        if (!s.value.includes('{')) continue;
        if (s.path === 'depends_on' || s.path.startsWith('depends_on[') || s.path === 'provider') continue;
        for (const opaque of opaqueOf(s.value))
          unknown(
            r.address,
            s.path,
            `${s.path} is ${opaque}: the audit cannot see the value Terraform will use`,
          );
      }
      // Environment values name endpoints without a scheme or port too (`HF_ENDPOINT=huggingface.co`,
      // `UPSTREAM=134744072`): judged as hosts when the variable's name says it holds one.
      for (const s of all) {
        if (
          // What can name a host below (bareHosts, or a number read as an IPv4 address), before
          // the path: most strings are neither.
          !(HOST_SHAPED.test(s.value.trim()) || NUMBER_SHAPED.test(s.value)) ||
          !s.path.endsWith('.value') ||
          !/(?:^|\.)env(?:\[\d+\])?\.value$/.test(s.path) ||
          endpointsIn(s.value).length > 0
        )
          continue;
        const nameAt = s.path.replace(/\.value$/, '.name');
        // The first string at that path (a few values per resource get here: a search is
        // cheaper than a table of every path).
        const name = all.find((x) => x.path === nameAt)?.value ?? '';
        const hostish = /HOST|ENDPOINT|URL|URI|PROXY|SERVER|ADDR|REGISTRY|MIRROR|REMOTE|UPSTREAM/i.test(name);
        const hosts = bareHosts(s.value);
        if (hostish && hosts.length === 0 && NUMBER_SHAPED.test(s.value)) {
          const h = normalizeHost(s.value);
          if (h && /^\d+\.\d+\.\d+\.\d+$/.test(h)) hosts.push(h);
        }
        for (const host of hosts)
          if (judgeEndpoint({ host, text: s.value, unresolved: false }, m) !== 'inside')
            bad(
              r.address,
              s.path,
              `${name || 'an environment variable'} names ${host}, outside the jurisdiction's declared hosts`,
            );
      }
      if (
        r.mode === 'managed' &&
        (r.type.startsWith('kubernetes_') || r.type.startsWith('helm_')) &&
        !isTypedKnown(r.type)
      ) {
        const env = r.type === 'kubernetes_env' ? r.body.env : undefined;
        const envs = Array.isArray(env) ? env : isObj(env) ? [env] : [];
        envs.forEach((e, i) => {
          const name = isObj(e) ? str(e.name) : undefined;
          if (name && HUB_ENV.test(name))
            bad(
              r.address,
              `env[${i}].name`,
              `${r.type} sets ${name} on a running workload: hub access, telemetry or a proxy changed outside the workload's own definition`,
            );
        });
        unknown(
          r.address,
          '',
          `${r.type} is not a resource type the rules model; it changes objects the audit judged`,
        );
      }
      if (r.type === 'helm_release') {
        for (const k of ['set_sensitive', 'postrender'] as const) {
          if (r.body[k] === undefined) continue;
          const what =
            k === 'postrender'
              ? 'a post-renderer rewrites the rendered manifests with a program the audit never runs'
              : k === 'set_sensitive'
                ? 'set_sensitive values are hidden from plans and reports'
                : `${k} entries override the values the audit read`;
          unknown(r.address, k, `${k}: ${what}`);
        }
        for (const p of helmValues(r.body).problems) bad(r.address, p.path, `values ${p.message}`);
        // A chart pulls its own default images for every repository the values leave unset.
        if (/(^|\/)gpu-operator$/.test(str(r.body.chart) ?? '')) {
          const trees = helmValues(r.body).trees.map((t) => t.tree);
          // The image keys of the chart version the release installs (all versions' when unknown).
          for (const [key, upstream] of Object.entries(imageRepositoriesFor(str(r.body.version)))) {
            const set = trees.some((t) => {
              let cur: unknown = t;
              for (const k of [...key.split('.'), 'repository']) cur = isObj(cur) ? cur[k] : undefined;
              return typeof cur === 'string' && cur !== '';
            });
            if (!set)
              bad(
                r.address,
                'values',
                `${key}.repository is not set: the chart pulls its default ${upstream}, outside the jurisdiction`,
              );
          }
        }
        const values = r.body.values;
        (Array.isArray(values) ? values : values === undefined ? [] : [values]).forEach((v, i) => {
          if (typeof v !== 'string')
            unknown(r.address, `values[${i}]`, 'a values document that is not a literal string');
        });
      }
      if (['kubernetes_labels', 'kubernetes_annotations', 'kubernetes_node_taint'].includes(r.type)) {
        const kind = str(r.body.kind) ?? (r.type === 'kubernetes_node_taint' ? 'Node' : '');
        if (kind !== 'Node' && !isApiKeySecretLabel(r.type, r.body))
          unknown(
            r.address,
            'kind',
            `${r.type} patches a ${kind || '(kind unset)'} the audit judged as written; only Node patches are modelled`,
          );
        const labels = isObj(r.body.labels) ? r.body.labels : {};
        for (const k of Object.keys(labels))
          if (k.startsWith('pod-security.kubernetes.io/'))
            bad(r.address, `labels.${k}`, `${r.type} overrides the Pod Security label ${k}`);
      }
      if (r.type === 'kubernetes_manifest') {
        const man = r.body.manifest;
        if (!isObj(man)) {
          unknown(
            r.address,
            'manifest',
            'the manifest is not a literal object (built by an expression): the audit cannot see it',
          );
        } else {
          const kind = str(man.kind) ?? '';
          if (!MODELLED_KINDS.includes(kind) && !isModelledCustomKind(str(man.apiVersion), kind))
            unknown(
              r.address,
              'manifest.kind',
              `kind ${kind || '(none)'} is not one the rules model; judged generically for images and endpoints only`,
            );
          // Any pod spec, wherever it sits: images and host access.
          const pods: { pod: Obj; path: string }[] = [];
          podSpecs(man, 'manifest', pods);
          if (!MODELLED_KINDS.includes(kind))
            for (const { pod, path } of pods) {
              for (const f of ['hostNetwork', 'hostPID', 'hostIPC'])
                if (pod[f] === true || pod[f] === 'true')
                  bad(r.address, `${path}.${f}`, `${f} in a ${kind} pod`);
              (Array.isArray(pod.volumes) ? pod.volumes : []).forEach((v, i) => {
                if (isObj(v) && v.hostPath !== undefined)
                  bad(r.address, `${path}.volumes[${i}].hostPath`, `hostPath volume in a ${kind} pod`);
              });
              for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
                (Array.isArray(pod[list]) ? (pod[list] as unknown[]) : []).forEach((c, i) => {
                  if (!isObj(c)) return;
                  const cp = `${path}.${list}[${i}]`;
                  const image = str(c.image);
                  if (image !== undefined) {
                    const img = parseImage(image);
                    if (!registryAllowed(img, m.allowed.registries))
                      bad(
                        r.address,
                        `${cp}.image`,
                        `image ${image} in a ${kind} comes from ${img.registry}, not an allowed registry`,
                      );
                    else if (!img.digest)
                      bad(r.address, `${cp}.image`, `image ${image} in a ${kind} is not pinned by digest`);
                  }
                  const sc = isObj(c.securityContext) ? c.securityContext : {};
                  if (sc.privileged === true || sc.privileged === 'true')
                    bad(r.address, `${cp}.securityContext.privileged`, `privileged container in a ${kind}`);
                  // In a custom kind's pod, IPC_LOCK (RDMA memory registration) is the one added
                  // capability a spec may justify, through a K8S-006 suppression with its reason;
                  // any other is refused here, where no suppression reaches.
                  const caps = isObj(sc.capabilities) ? sc.capabilities : {};
                  const added = (Array.isArray(caps.add) ? caps.add : [])
                    .map((x) => String(x).toUpperCase().replace(/^CAP_/, ''))
                    .filter((x) => x !== 'NET_BIND_SERVICE' && x !== 'IPC_LOCK');
                  if (added.length > 0)
                    bad(
                      r.address,
                      `${cp}.securityContext.capabilities.add`,
                      `${kind} container adds ${added.join(', ')}: only IPC_LOCK may be added, with a reason`,
                    );
                  (Array.isArray(c.env) ? c.env : []).forEach((e, j) => {
                    const name = isObj(e) ? str(e.name) : undefined;
                    if (
                      name &&
                      HUB_ENV.test(name) &&
                      !(
                        isObj(e) &&
                        /^(1|true)$/i.test(String(e.value)) &&
                        /OFFLINE|DISABLE|NO_USAGE|DO_NOT_TRACK/.test(name)
                      )
                    )
                      bad(
                        r.address,
                        `${cp}.env[${j}]`,
                        `${name} in a ${kind} container: hub access, telemetry or proxy`,
                      );
                  });
                });
              }
            }
          // Every host-shaped string, URL or not, in a kind the rules do not model.
          if (!MODELLED_KINDS.includes(kind))
            for (const s of strings(man, 'manifest')) {
              if (isKubernetesName(s.path, s.value)) continue;
              for (const host of bareHosts(s.value)) {
                if (isInternalHost(host) || hostAllowed(host, undefined, declaredHosts(m))) continue;
                if (endpointsIn(s.value).some((e) => judgeEndpoint(e, m) !== 'inside')) continue; // SOV-012 names it
                bad(
                  r.address,
                  s.path,
                  `${s.value.slice(0, 80)} names ${host}, outside the jurisdiction's declared hosts`,
                );
              }
            }
        }
      }
      if (out.length === before) out.push({ status: 'compliant', address: r.address });
    }
    return out.length ? out : [{ status: 'compliant', address: 'stack' }];
  },
};
