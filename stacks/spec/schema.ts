/**
 * The sovereign.yaml schema: the user-facing contract. Every field carries a description,
 * which `sovereign schema` emits as JSON Schema for editors and the README's spec reference
 * is checked against. Maps are keyed by name, so names are unique by construction.
 *
 * Imports zod and import-free tables only: `sovereign validate` must not load cdktf or the
 * provider bindings.
 */
import { z } from 'zod';
import { DIGEST_PINNABLE_IMAGES } from '../../core/gpu-operator-digest-pinnable';
import {
  GPU_OPERATOR_CHART_VERSIONS,
  GPU_OPERATOR_DEFAULT_CHART_VERSION,
} from '../../core/gpu-operator-images';
import { VLLM_DEFAULT_RELEASE, VLLM_RELEASES } from '../../core/engines/vllm';
import { LLAMA_CPP_DEFAULT_RELEASE, LLAMA_CPP_RELEASES } from '../../core/engines/llama-cpp';
import { GPU_PRODUCTS } from '../../constructs/gpu-products';
import { parseCidr } from '../../core/hosts';
import { PINNED_IMAGE, SHA256_HEX } from '../../core/images';
import { isIsoDate, MIN_REASON_LENGTH } from '../../policy/suppressions';
import { manifestPathProblem } from '../../constructs/weights-manifest';
import { NCCL_ENV } from '../../core/nccl';
import { LWS_RELEASE } from '../../core/lws-pins';

/** A reason the reports show: at least MIN_REASON_LENGTH characters besides spaces. */
const reasonText = () =>
  z.string().refine((r) => r.trim().length >= MIN_REASON_LENGTH, {
    message: `a reason must be at least ${MIN_REASON_LENGTH} characters besides spaces`,
  });

export const SPEC_VERSION = 1;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[0-9]{1,5})?$/;
/** A CIDR as the policy gate reads it (core/hosts.ts), its prefix written without leading zeros. */
const cidr = (example: string) =>
  z.string().refine((c) => parseCidr(c) !== undefined && /\/(0|[1-9][0-9]{0,2})$/.test(c), {
    message: `a CIDR looks like ${example}: an IPv4 or IPv6 address, '/', a prefix length (no leading zeros)`,
  });

/** A Kubernetes DNS label (RFC 1123): namespaces, resource names, map keys. */
export const dnsLabel = (what: string) =>
  z
    .string()
    .max(63)
    .regex(DNS_LABEL, {
      message: `${what} must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter or digit`,
    });

/** A Kubernetes object name that may hold dots (RFC 1123 subdomain): Secrets, ConfigMaps. */
export const dnsSubdomain = (what: string) =>
  z
    .string()
    .max(253)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
      message: `${what} must be a DNS subdomain: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`,
    });

/** A Kubernetes label key (`[prefix/]name`) and value. */
const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

const image = (what: string) =>
  z
    .string()
    .regex(PINNED_IMAGE, {
      message: `${what} must be pinned by digest: <registry-host>/<repository>[:tag]@sha256:<64 hex digits>`,
    })
    .describe(`${what}, pinned by digest, from a registry listed in sovereignty.registries`);

const url = (what: string, schemes: string[]) =>
  z
    .string()
    .refine((v) => schemes.some((s) => v.startsWith(`${s}://`)) && /^[a-z0-9+.-]+:\/\/[^/\s]+/.test(v), {
      message: `${what} must be a URL starting with ${schemes.map((s) => `${s}://`).join(' or ')}`,
    });

/** A string with something besides spaces in it. */
const nonBlank = (what: string) =>
  z.string().refine((v) => v.trim() !== '', { message: `${what} must not be empty or only spaces` });

const secretRef = z
  .strictObject({
    name: dnsLabel('secret name').describe('Name of the Kubernetes Secret (in the same namespace).'),
    key: z
      .string()
      .regex(/^[-._a-zA-Z0-9]{1,253}$/, { message: "a Secret key is letters, digits, '-', '_' and '.'" })
      .describe('Key inside the Secret.'),
  })
  .describe('A reference to a key of a Kubernetes Secret; the value itself never appears in the spec.');

// ---------------------------------------------------------------- cluster provisioning

const LABELS = z.record(
  z.string().max(317).regex(LABEL_KEY, { message: 'a label key looks like example.org/name' }),
  z.string().regex(LABEL_VALUE, { message: "a label value is at most 63 letters, digits, '-', '_' and '.'" }),
);

const diskImageSchema = z
  .strictObject({
    url: url('cluster.provision.metal3.image.url', ['https', 'http']).describe(
      'Where Ironic fetches the image: a mirror inside the jurisdiction.',
    ),
    checksum: z
      .string()
      .regex(/^[0-9a-f]{64}([0-9a-f]{64})?$/, {
        message: 'a checksum is the lower-case hex digest of the image',
      })
      .describe('Hex digest of the image file (not a URL: the digest is pinned in the spec).'),
    checksumType: z.enum(['sha256', 'sha512']).default('sha256').describe('Digest algorithm.'),
    format: z.enum(['raw', 'qcow2']).default('raw').describe('Disk format of the image.'),
  })
  .describe(
    'A disk image for bare-metal hosts, fetched from inside the jurisdiction and checked against its digest.',
  );

const machinePoolSchema = z
  .strictObject({
    flavor: z
      .string()
      .min(1)
      .optional()
      .describe(
        'OpenStack: flavor of each machine; for a GPU pool, one that passes its GPUs through (8 × H100).',
      ),
    image: z
      .string()
      .min(1)
      .optional()
      .describe(
        "OpenStack: Glance image of this pool's machines, when it differs from `openstack.image` (a GPU driver image).",
      ),
    hostSelector: LABELS.optional().describe(
      'Metal3: labels of the BareMetalHosts the machines are placed on (the GPU hosts of the pool).',
    ),
    diskImage: diskImageSchema
      .optional()
      .describe("Metal3: disk image of this pool's hosts, when it differs from `metal3.image`."),
    replicas: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .optional()
      .describe('Machines in the pool. Leave out when `autoscaling` is given.'),
    autoscaling: z
      .strictObject({
        minReplicas: z
          .number()
          .int()
          .min(0)
          .max(1000)
          .describe('Fewest machines (cluster-autoscaler node-group min size).'),
        maxReplicas: z.number().int().min(1).max(1000).describe('Most machines (node-group max size).'),
      })
      .optional()
      .describe('Let the cluster-autoscaler size the pool between these bounds.'),
    failureDomain: z
      .string()
      .min(1)
      .optional()
      .describe('Failure domain (OpenStack availability zone) of the machines.'),
    labels: LABELS.default({}).describe(
      'Further labels of the nodes (a GPU pool also gets its pool labels).',
    ),
    taints: z
      .array(
        z.strictObject({
          key: z
            .string()
            .max(317)
            .regex(LABEL_KEY, { message: 'a taint key looks like example.org/name' })
            .describe('Taint key.'),
          value: z
            .string()
            .regex(LABEL_VALUE, { message: "a taint value is at most 63 letters, digits, '-', '_' and '.'" })
            .optional()
            .describe('Taint value; none when left out.'),
          effect: z
            .enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'])
            .describe('What the taint does to pods that do not tolerate it.'),
        }),
      )
      .default([])
      .describe('Further taints of the nodes (a GPU pool also gets nvidia.com/gpu=present:NoSchedule).'),
  })
  .describe('Machines of one node pool: a MachineDeployment of the cluster topology.');

const provisionSchema = z
  .strictObject({
    management: z
      .strictObject({
        kubeconfig: z
          .strictObject({
            path: z.string().min(1).describe('Path of the kubeconfig file of the management cluster.'),
            context: z.string().min(1).describe('Context inside it.'),
          })
          .describe('How Terraform reaches the Cluster API management cluster.'),
      })
      .describe(
        "The jurisdiction's Cluster API management cluster (Cluster API and the infrastructure provider installed).",
      ),
    name: dnsLabel('cluster.provision.name')
      .optional()
      .describe('Name of the Cluster on the management cluster; default: the jurisdiction name.'),
    namespace: dnsLabel('cluster.provision.namespace').describe(
      'Namespace of the Cluster on the management cluster; the clouds.yaml Secret lives there.',
    ),
    kubernetesVersion: z
      .string()
      .regex(/^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/, {
        message: 'a Kubernetes version looks like v1.34.3',
      })
      .describe(
        "Kubernetes version of every machine: a minor the provider's Cluster API release builds workload clusters on (docs/provisioning.md).",
      ),
    infrastructure: z
      .enum(['openstack', 'metal3'])
      .default('openstack')
      .describe(
        'Infrastructure provider: `openstack` (CAPO, the `openstack` section) or `metal3` (bare metal, the `metal3` section).',
      ),
    ntpServers: z
      .array(z.string().min(1))
      .min(1)
      .describe(
        'NTP servers of every node (kubeadm `ntp.servers`): host names in sovereignty.hosts or addresses inside sovereignty.cidrs; public pools (pool.ntp.org, time.google.com) only with a declaredPublic exception.',
      ),
    controlPlane: z
      .strictObject({
        replicas: z.number().int().min(1).max(7).default(3).describe('Control-plane machines (odd).'),
        flavor: z.string().min(1).optional().describe('OpenStack: flavor of the control-plane machines.'),
        hostSelector: LABELS.optional().describe(
          'Metal3: labels of the BareMetalHosts the control plane is placed on.',
        ),
        failureDomains: z
          .array(z.string().min(1))
          .default([])
          .describe('Availability zones the control plane spreads over; default: the cloud decides.'),
      })
      .describe('The control plane.'),
    network: z
      .strictObject({
        pods: cidr('10.50.64.0/18').describe('Pod range.'),
        services: cidr('10.50.128.0/20').describe('Service range.'),
        nodes: cidr('10.50.0.0/20')
          .optional()
          .describe(
            'OpenStack (required there): subnet CAPO creates for the machines, with the nameservers.',
          ),
      })
      .describe('Address ranges of the new cluster; each inside sovereignty.cidrs.'),
    openstack: z
      .strictObject({
        authUrl: url('cluster.provision.openstack.authUrl', ['https']).describe(
          'Keystone URL the clouds.yaml Secret points at, inside the jurisdiction.',
        ),
        identity: z
          .strictObject({
            secret: dnsSubdomain('cluster.provision.openstack.identity.secret').describe(
              'Secret with key `clouds.yaml` (an application credential), created out of band in `namespace`.',
            ),
            cloudName: z.string().min(1).describe('Entry of clouds.yaml to use.'),
          })
          .describe('The OpenStack credentials, by reference only.'),
        image: z
          .string()
          .min(1)
          .describe('Glance image name of the nodes; the ClusterClass appends -<kubernetesVersion>.'),
        externalNetworkId: z
          .string()
          .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, {
            message: 'a network ID is a UUID',
          })
          .optional()
          .describe('External network of the router, when the cloud has several.'),
        dnsNameservers: z
          .array(z.string().min(1))
          .min(1)
          .describe("Nameservers of the nodes' subnet: addresses inside sovereignty.cidrs."),
      })
      .optional()
      .describe(
        'OpenStack, through Cluster API Provider OpenStack (CAPO); required when infrastructure is openstack.',
      ),
    metal3: z
      .strictObject({
        controlPlaneEndpoint: z
          .strictObject({
            host: z.string().min(1).describe("The control plane's virtual IP, inside sovereignty.cidrs."),
            port: z.number().int().min(1).max(65535).default(6443).describe('API server port.'),
          })
          .describe('Where the API server is reached (a virtual IP kube-vip or keepalived holds).'),
        image: diskImageSchema.describe('Disk image of every host unless a pool gives its own.'),
      })
      .optional()
      .describe(
        'Bare metal, through Cluster API Provider Metal3; required when infrastructure is metal3. BMC credentials stay with the BareMetalHosts, never here.',
      ),
    pools: z
      .record(dnsLabel('pool name'), machinePoolSchema)
      .refine((m) => Object.keys(m).length > 0, { message: 'give at least one worker pool' })
      .describe(
        'Worker pools keyed by name. A name that is also in `pools` is that GPU pool (its nodes are these machines); any other is a CPU pool.',
      ),
  })
  .describe(
    'Build the cluster with Cluster API on the management cluster (a provisioning stack applied before this one). `kubeconfig` then names the file written from the `<name>-kubeconfig` Secret Cluster API creates.',
  );

// ---------------------------------------------------------------- cluster access

const clusterSchema = z
  .strictObject({
    kubeconfig: z
      .strictObject({
        path: nonBlank('a kubeconfig path').describe(
          'Path of the kubeconfig file on the machine that runs Terraform (`~` is expanded by the provider).',
        ),
        context: nonBlank('a context').describe('Context inside the kubeconfig.'),
      })
      .optional()
      .describe('Reach the cluster through a kubeconfig file and context.'),
    api: z
      .strictObject({
        host: url('cluster.api.host', ['https']).describe(
          'URL of the Kubernetes API server, inside the jurisdiction.',
        ),
        caCertificateFile: z
          .string()
          .min(1)
          .optional()
          .describe(
            "Path of the PEM file of the API server's certificate authority; default: the system's trusted CAs (the API server's certificate is verified either way). With the kubernetes state backend its certificates are written into the backend configuration, which takes PEM data, not a file.",
          ),
        exec: z
          .strictObject({
            apiVersion: z
              .enum(['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'])
              .default('client.authentication.k8s.io/v1')
              .describe('ExecCredential API version the plugin speaks.'),
            command: nonBlank('a command').describe(
              'Credential plugin to run (`kubelogin`, `openstack-token`).',
            ),
            args: z.array(z.string()).default([]).describe('Arguments of the plugin.'),
          })
          .optional()
          .describe(
            'Credential plugin that prints an ExecCredential. Without it the providers read the token from the KUBE_TOKEN environment variable at plan time.',
          ),
      })
      .optional()
      .describe('Reach the cluster by API URL, CA and an exec plugin or a KUBE_TOKEN environment variable.'),
    dns: z
      .strictObject({
        namespace: dnsLabel('cluster.dns.namespace')
          .default('kube-system')
          .describe('Namespace of the DNS pods.'),
        podLabels: z
          .record(
            z
              .string()
              .max(317)
              .regex(LABEL_KEY, { message: 'a label key looks like k8s-app or example.org/name' }),
            z.string().regex(LABEL_VALUE, {
              message: "a label value is at most 63 letters, digits, '-', '_' and '.'",
            }),
          )
          .refine((labels) => Object.keys(labels).length > 0, {
            message: 'give at least one label: an empty selector would allow every pod of the DNS namespace',
          })
          .default({ 'k8s-app': 'kube-dns' })
          .describe(
            'Labels that select the DNS pods (OpenShift: `dns.operator.openshift.io/daemonset-dns: default` in namespace `openshift-dns`).',
          ),
        ports: z
          .array(z.number().int().min(1).max(65535))
          .min(1)
          .default([53])
          .describe(
            'Ports the DNS pods listen on, UDP and TCP; NetworkPolicy sees the pod port behind the Service (OpenShift: 5353).',
          ),
        cidrs: z
          .array(cidr('169.254.20.10/32'))
          .default([])
          .describe(
            "Addresses of DNS on the host network, which pod labels cannot select, reachable on `ports` only and recorded for the audit. NodeLocal DNSCache: its address (`169.254.20.10/32`) and, with kube-proxy in iptables mode, the kube-dns Service address it also answers on. Some CNIs (Cilium) do not apply ipBlocks to host-network endpoints: check the CNI's documentation.",
          ),
      })
      .default({ namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' }, ports: [53], cidrs: [] })
      .describe(
        "The cluster's DNS, the one destination every workload may reach besides its own; default: CoreDNS in kube-system. A jurisdiction's replaces the one in `defaults` whole.",
      ),
    provision: provisionSchema.optional(),
  })
  .describe(
    'How Terraform reaches the existing cluster. Exactly one of kubeconfig or api. No credential is ever written to the synthesized JSON.',
  );

// ---------------------------------------------------------------- state backend

const backendSchema = z
  .discriminatedUnion('type', [
    z
      .strictObject({
        type: z.literal('local'),
        path: z
          .string()
          .min(1)
          .default('terraform.<jurisdiction>.tfstate')
          .describe(
            'State file path relative to the project directory (where synth runs), kept outside the synthesized output; `<jurisdiction>` is replaced by the name.',
          ),
      })
      .describe('State in a local file (a path relative to the project, never an absolute one).'),
    z
      .strictObject({
        type: z.literal('s3'),
        endpoint: url('backend.endpoint', ['https']).describe(
          'S3-compatible endpoint inside the jurisdiction (Ceph RGW, MinIO, a sovereign cloud).',
        ),
        bucket: z.string().min(3).describe('Bucket holding the state.'),
        key: z
          .string()
          .min(1)
          .default('<jurisdiction>/terraform.tfstate')
          .describe('Object key of the state; `<jurisdiction>` is replaced by the name.'),
        region: z
          .string()
          .min(1)
          .default('us-east-1')
          .describe('Region string the endpoint expects (many S3-compatible stores ignore it).'),
        usePathStyle: z
          .boolean()
          .default(true)
          .describe('Path-style bucket addressing, as most S3-compatible stores need.'),
        useLockfile: z
          .boolean()
          .default(true)
          .describe(
            'S3-native state locking with a lock object beside the state (Terraform ≥ 1.10, OpenTofu ≥ 1.10).',
          ),
        encrypt: z.boolean().default(true).describe('Server-side encryption of the state object.'),
      })
      .describe(
        'State in an in-jurisdiction S3-compatible store; credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment.',
      ),
    z
      .strictObject({
        type: z.literal('kubernetes'),
        secretSuffix: z
          .string()
          .min(1)
          .default('<jurisdiction>')
          .describe('Suffix of the Secret `tfstate-default-<suffix>` that holds the state.'),
        namespace: dnsLabel('backend.namespace')
          .default('terraform-state')
          .describe('Namespace of the state Secret.'),
      })
      .describe(
        'State in a Secret of the cluster itself; the backend uses the cluster access configured above.',
      ),
    z
      .strictObject({
        type: z.literal('pg'),
        schemaName: z
          .string()
          .min(1)
          .default('<jurisdiction>')
          .describe('PostgreSQL schema holding the state.'),
      })
      .describe(
        'State in PostgreSQL; the connection string comes only from the PG_CONN_STR environment variable.',
      ),
  ])
  .describe(
    'Where Terraform keeps this jurisdiction\'s state. Always explicit; HCP Terraform / Terraform Cloud ("remote", "cloud") are refused because the state would live outside the jurisdiction.',
  );

// ---------------------------------------------------------------- sovereignty boundary

const sovereigntySchema = z
  .strictObject({
    registries: z
      .array(z.string().regex(HOST, { message: 'a registry is a host name with an optional :port' }))
      .min(1)
      .describe('Image registry hosts the jurisdiction runs; every image must come from one of them.'),
    chartRepository: url('sovereignty.chartRepository', ['https', 'oci']).describe(
      'Helm chart mirror inside the jurisdiction (`https://…` repository or `oci://…`).',
    ),
    allowPublicChartRepository: z
      .boolean()
      .default(false)
      .describe("Allow NVIDIA's public NGC chart repository. Off by default; the audit report flags it."),
    hosts: z
      .array(
        z.string().regex(HOST, {
          message: 'a host is a DNS name, optionally `*.` for a whole domain, with an optional :port',
        }),
      )
      .min(1)
      .describe(
        'Hosts and domains (`*.de.example`) the jurisdiction declares its own. Every endpoint the stack names must be one of them.',
      ),
    cidrs: z
      .array(cidr('10.20.0.0/16'))
      .default([])
      .describe('Network ranges inside the jurisdiction that egress may reach. Never 0.0.0.0/0 or ::/0.'),
    declaredPublic: z
      .array(
        z.strictObject({
          host: z
            .string()
            .min(1)
            .describe(
              'The public service (`registry.terraform.io`, `docker.io`), or one of `cidrs` that holds public addresses the jurisdiction owns.',
            ),
          reason: z
            .string()
            .min(10)
            .describe('Why the jurisdiction accepts depending on it (10+ characters).'),
        }),
      )
      .default([])
      .describe(
        'Global public services (registries, model hubs, public clouds) and public address ranges the boundary may name, each with a reason; every audit report lists them as "declared public". Without an entry, naming one is refused.',
      ),
    providerRegistry: z
      .string()
      .regex(HOST, { message: 'a provider registry is a host name' })
      .default('registry.terraform.io')
      .describe(
        'Host the Terraform providers are installed from: a private registry or network mirror for air-gapped sites.',
      ),
  })
  .describe(
    'What the jurisdiction owns: registries, chart mirror, hosts and network ranges. The policy gate checks every synthesized endpoint against it.',
  );

// ---------------------------------------------------------------- GPU pools

const sharingSchema = z
  .discriminatedUnion('mode', [
    z.strictObject({ mode: z.literal('none') }).describe('Each workload gets whole GPUs.'),
    z
      .strictObject({
        mode: z.literal('time-slicing'),
        replicasPerGpu: z.number().int().min(2).max(64).describe('How many workloads share one GPU.'),
      })
      .describe('GPU time-slicing through the device plugin: no memory isolation between the sharers.'),
    z
      .strictObject({
        mode: z.literal('mig'),
        strategy: z
          .enum(['single', 'mixed'])
          .default('single')
          .describe('MIG strategy of the device plugin.'),
        profile: z
          .string()
          .regex(/^[0-9]+g\.[0-9]+gb$/, { message: 'a MIG profile looks like 3g.40gb' })
          .describe('MIG profile every GPU of the pool is partitioned into (`1g.10gb`, `3g.40gb`).'),
      })
      .describe('Multi-Instance GPU partitions (A100, A30, H100, H200, B200).'),
  ])
  .describe("How the pool's GPUs are shared.");

const EXTENDED_RESOURCE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

const multiNodeSchema = z
  .strictObject({
    rdma: z
      .strictObject({
        resourceName: z
          .string()
          .regex(EXTENDED_RESOURCE, {
            message: 'an extended resource name looks like rdma/ib or nvidia.com/hostdev',
          })
          .describe(
            'Extended resource of the RDMA (InfiniBand or RoCE) device plugin on the nodes, e.g. rdma/rdma_shared_device_a (NVIDIA Network Operator).',
          ),
        perPod: z.number().int().min(1).max(64).describe('Devices each pod of a group requests.'),
      })
      .optional()
      .describe('RDMA devices each pod requests; without it NCCL talks over TCP sockets between nodes.'),
    nccl: z
      .partialRecord(
        z.enum(Object.keys(NCCL_ENV) as [string, ...string[]]),
        z
          .string()
          .min(1)
          .max(256)
          .regex(/^[^\s"'`$\\]+$/, { message: 'no spaces, quotes, $ or backslashes' }),
      )
      .default({})
      .describe(
        `NCCL environment of every pod of a group; names NCCL documents (docs.nvidia.com/deeplearning/nccl, "Environment Variables"): ${Object.keys(NCCL_ENV).join(', ')}.`,
      ),
    shmSizeGiB: z
      .number()
      .int()
      .min(1)
      .max(1024)
      .default(16)
      .describe('Size of /dev/shm (a memory-backed emptyDir) in each pod of a group, GiB.'),
    ipcLock: z
      .strictObject({
        reason: reasonText().describe(
          'Why the pods need it; recorded as a K8S-006 suppression and shown in every report.',
        ),
      })
      .optional()
      .describe(
        'Add the IPC_LOCK capability to the pods of a group (RDMA memory registration pins pages): a relaxation of the hardening, reported with its reason.',
      ),
    hostRequirements: z
      .array(z.string().trim().min(1))
      .default([])
      .describe(
        'What the nodes must provide outside Kubernetes (driver, OFED/DOCA, GPUDirect RDMA module, switch settings); written into the audit report.',
      ),
  })
  .describe(
    'Serving one model across several nodes of this pool (a LeaderWorkerSet running vLLM with tensor parallel in a node and pipeline parallel across nodes): what the nodes offer for it.',
  );

const poolSchema = z
  .strictObject({
    product: z
      .string()
      .min(1)
      .describe(
        'GPU product as GPU Feature Discovery labels it (`nvidia.com/gpu.product`), e.g. NVIDIA-H100-80GB-HBM3.',
      ),
    gpusPerNode: z.number().int().min(1).max(16).describe('Physical GPUs in each node.'),
    gpuMemoryGiB: z
      .number()
      .positive()
      .max(1024)
      .optional()
      .describe(
        `Memory of one physical GPU in GiB (nvidia-smi's MiB ÷ 1024). Optional for the products in the GPU table (${Object.keys(GPU_PRODUCTS).join(', ')}), whose figure is used; a stated value that disagrees with it is refused.`,
      ),
    nodes: z
      .array(dnsSubdomain('a node name'))
      .min(1)
      .optional()
      .describe(
        'Names of the existing Kubernetes nodes in the pool; leave out when `cluster.provision.pools` builds them.',
      ),
    sharing: sharingSchema.default({ mode: 'none' }),
    multiNode: multiNodeSchema.optional(),
  })
  .describe('A named set of existing GPU nodes offering one GPU product.');

const taintSchema = z
  .strictObject({
    key: z
      .string()
      .max(317)
      .regex(LABEL_KEY, { message: 'a taint key looks like edge or example.org/dedicated' })
      .describe('Key of the taint.'),
    value: z
      .string()
      .regex(LABEL_VALUE, { message: "a taint value is at most 63 letters, digits, '-', '_' and '.'" })
      .optional()
      .describe('Value of the taint; omitted: any value is tolerated.'),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).describe('Effect of the taint.'),
  })
  .describe('A taint the nodes carry, which the servers tolerate.');

const cpuPoolSchema = z
  .strictObject({
    nodes: z
      .array(dnsSubdomain('a node name'))
      .min(1)
      .optional()
      .describe(
        'Names of existing nodes; they are labelled `sovereign-stack.io/cpu-pool: <pool>` and selected by it.',
      ),
    nodeSelector: z
      .record(
        z
          .string()
          .max(317)
          .regex(LABEL_KEY, { message: 'a label key looks like topology.kubernetes.io/zone' }),
        z
          .string()
          .regex(LABEL_VALUE, { message: "a label value is at most 63 letters, digits, '-', '_' and '.'" }),
      )
      .optional()
      .describe('Labels the nodes already carry, selected as they are (nothing is labelled).'),
    taints: z.array(taintSchema).default([]).describe('Taints of the nodes, tolerated by the servers.'),
  })
  .describe(
    'A named set of existing CPU nodes (an edge site) for CPU-only llama.cpp servers: exactly one of nodes or nodeSelector.',
  );

// ---------------------------------------------------------------- storage and models

const storeSchema = z
  .strictObject({
    storageClass: dnsSubdomain('storageClass')
      .optional()
      .describe('In-jurisdiction StorageClass of the volume; required unless existingClaim names the claim.'),
    existingClaim: dnsSubdomain('existingClaim')
      .optional()
      .describe(
        'Use this existing PersistentVolumeClaim (in the serving namespace), pre-seeded with the weights, instead of creating one; it is never created, changed or deleted.',
      ),
    localVolume: z
      .strictObject({
        node: dnsSubdomain('a node name').describe('Name of the node whose disk holds the weights.'),
        path: z
          .string()
          .regex(/^\/[^\s]*$/, { message: 'an absolute path on the node, e.g. /srv/sovereign' })
          .refine((p) => !p.split('/').includes('..'), { message: 'an absolute path without ..' })
          .describe('Directory on the node that is the volume root (holding `models/`).'),
      })
      .optional()
      .describe(
        "A directory on one node's disk, pre-seeded by hand: a local PersistentVolume on that node and a claim bound to it are created (storageClass names them, e.g. local-storage).",
      ),
    sizeGiB: z.number().int().min(1).describe('Size of the volume in GiB; all models placed on it must fit.'),
    accessMode: z
      .enum(['ReadWriteOnce', 'ReadWriteMany'])
      .optional()
      .describe(
        'Volume access mode. Default: ReadWriteMany when a model on it has more than one replica, else ReadWriteOnce.',
      ),
  })
  .describe(
    'A volume holding pinned model weights: a fresh claim, an existing pre-seeded claim, or a local volume on a named node (docs/weights.md).',
  );

/** A Secret or ConfigMap key (Kubernetes IsConfigMapKey). */
const configKey = z
  .string()
  .regex(/^[-._a-zA-Z0-9]{1,253}$/, { message: "a key is letters, digits, '-', '_' and '.'" })
  .refine((k) => !k.startsWith('..') && k !== '.', { message: 'a key may not be "." or start with ".."' });

const caBundleSchema = z
  .strictObject({
    configMap: dnsSubdomain('caBundle.configMap').describe(
      'ConfigMap in the serving namespace, beside the weight volume, created out of band.',
    ),
    key: z
      .string()
      .regex(/^[-._a-zA-Z0-9]{1,253}$/, { message: "a key is letters, digits, '-', '_' and '.'" })
      .refine((k) => !k.startsWith('..') && k !== '.', {
        message: 'a ConfigMap key may not be "." or start with ".."',
      })
      .default('ca.crt')
      .describe('Key holding the PEM certificates.'),
  })
  .optional()
  .describe(
    "Certificate authorities the copy trusts for the source's TLS (a private PKI); default: the image's system CAs.",
  );

const sourceSchema = z
  .discriminatedUnion('type', [
    z
      .strictObject({
        type: z.literal('s3'),
        endpoint: url('source.endpoint', ['https', 'http']).describe(
          'S3-compatible endpoint inside the jurisdiction.',
        ),
        bucket: z
          .string()
          .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
            message:
              "a bucket name is 3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit",
          })
          .refine((b) => !b.includes('..'), { message: 'a bucket name has no ".."' })
          .describe('Bucket holding the mirrored weights.'),
        prefix: z
          .string()
          .refine(
            (p) => {
              const t = p.replace(/^\/+|\/+$/g, '');
              return t === '' || manifestPathProblem(t) === undefined;
            },
            { message: 'a prefix is a relative path of the bucket (no .., no backslash, no empty parts)' },
          )
          .default('')
          .describe('Key prefix of the model revision inside the bucket.'),
        region: z
          .string()
          .regex(/^[a-z0-9-]{1,64}$/, { message: "a region is lower-case letters, digits and '-'" })
          .default('us-east-1')
          .describe('Region string the endpoint expects.'),
        credentials: z
          .strictObject({
            secret: dnsLabel('credentials.secret').describe(
              'Secret in the serving namespace, beside the weight volume.',
            ),
            accessKeyIdKey: configKey.default('AWS_ACCESS_KEY_ID').describe('Key of the access key id.'),
            secretAccessKeyKey: configKey
              .default('AWS_SECRET_ACCESS_KEY')
              .describe('Key of the secret access key.'),
          })
          .describe('Credentials by Secret reference only.'),
        caBundle: caBundleSchema,
      })
      .describe('Copy from an S3-compatible bucket.'),
    z
      .strictObject({
        type: z.literal('https'),
        url: url('source.url', ['https']).describe(
          'Base URL of the mirrored revision; each manifest path is fetched below it.',
        ),
        caBundle: caBundleSchema,
      })
      .describe('Copy from an HTTPS mirror.'),
    z
      .strictObject({
        type: z.literal('volume'),
      })
      .describe('The weights are already on the volume (NFS, a pre-seeded disk): verify only.'),
  ])
  .describe('Where the weights are copied from; always inside the jurisdiction.');

const architectureSchema = z
  .strictObject({
    parametersBillion: z
      .number()
      .positive()
      .max(100000)
      .describe('Total parameters, in billions (32.76 is 32 760 000 000).'),
    layers: z.number().int().positive().describe('num_hidden_layers from config.json.'),
    attentionHeads: z.number().int().positive().describe('num_attention_heads from config.json.'),
    kvHeads: z.number().int().positive().describe('num_key_value_heads from config.json.'),
    headDim: z
      .number()
      .int()
      .positive()
      .describe('head_dim (hidden_size / num_attention_heads when absent).'),
    maxContextTokens: z
      .number()
      .int()
      .positive()
      .describe('max_position_embeddings from config.json; maxModelLenTokens may not exceed it.'),
    dtype: z
      .enum(['bf16', 'fp16', 'fp32', 'fp8', 'int8', 'int4', 'awq', 'gptq', 'mxfp4'])
      .describe(
        "Storage format of the checkpoint's weights: torch_dtype from config.json (bf16, fp16, fp32), or its quantization_config (fp8, int8, int4, awq, gptq, mxfp4). The planner sizes the weights from it.",
      ),
    hiddenSize: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        'hidden_size from config.json. With vocabSize, quantized weights are sized exactly (embedding and head kept 16-bit).',
      ),
    vocabSize: z.number().int().positive().optional().describe('vocab_size from config.json.'),
    tieWordEmbeddings: z
      .boolean()
      .default(false)
      .describe('tie_word_embeddings from config.json: the output head shares the embedding.'),
    moe: z
      .strictObject({
        experts: z
          .number()
          .int()
          .positive()
          .describe('Routed experts per MoE layer: n_routed_experts, num_experts or num_local_experts.'),
        expertsPerToken: z
          .number()
          .int()
          .positive()
          .describe('num_experts_per_tok: routed experts per token.'),
        sharedExperts: z
          .number()
          .int()
          .min(0)
          .default(0)
          .describe('n_shared_experts (always active; part of parametersBillion).'),
        moeLayers: z
          .number()
          .int()
          .positive()
          .optional()
          .describe('Layers with routed experts: layers − first_k_dense_replace; default every layer.'),
        expertIntermediateSize: z
          .number()
          .int()
          .positive()
          .describe('moe_intermediate_size (intermediate_size where the experts use it).'),
      })
      .optional()
      .describe(
        'Mixture of experts. parametersBillion counts every expert (all are resident); the active parameters are derived. Needs hiddenSize.',
      ),
    mla: z
      .strictObject({
        kvLoraRank: z.number().int().positive().describe('kv_lora_rank from config.json.'),
        qkRopeHeadDim: z.number().int().positive().describe('qk_rope_head_dim from config.json.'),
      })
      .optional()
      .describe(
        'Multi-head latent attention (DeepSeek-V2/V3 family): the KV cache per token is layers × (kvLoraRank + qkRopeHeadDim) elements, held whole on every tensor-parallel GPU.',
      ),
    slidingWindow: z
      .strictObject({
        layers: z
          .number()
          .int()
          .positive()
          .describe(
            'Layers that attend to a sliding window: the "sliding_attention" entries of layer_types in config.json (e.g. 52 of Gemma 3 27B\'s 62, 18 of gpt-oss-120b\'s 36); at most layers.',
          ),
        window: z.number().int().positive().describe('sliding_window from config.json, in tokens.'),
      })
      .optional()
      .describe(
        'Sliding-window attention layers (Gemma 2/3, gpt-oss). The planner sizes their KV cache as the engine keeps it (vLLM hybrid KV cache, llama.cpp SWA cache) instead of at the whole context.',
      ),
  })
  .describe('Architecture numbers of a model that is not in the built-in catalogue.');

const weightsSchema = z
  .strictObject({
    revision: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
        message:
          "a revision is a commit id or tag: letters, digits, '.', '_' and '-', starting with a letter or digit",
      })
      .describe('Pinned revision (commit id or tag) of the weights.'),
    source: sourceSchema,
    files: z
      .record(
        z.string().min(1),
        z.string().regex(SHA256_HEX, { message: 'a file digest is 64 lower-case hex characters (SHA-256)' }),
      )
      .describe(
        'Manifest: every file of the revision and its SHA-256, as `sovereign weights manifest <dir>` prints it.',
      ),
    license: nonBlank('a licence')
      .optional()
      .describe(
        'Licence of the weights: an identifier from the licence catalogue (`Apache-2.0`, `MIT`, `llama3.1`, `llama3.2-multimodal`, `gemma`, `qwen`, … see docs/licences.md), exactly as listed. The policy judges its clauses; the report and ML-BOM carry them.',
      ),
    licenseAcceptance: z
      .strictObject({
        reason: reasonText().describe(
          'Why this licence, which the catalogue does not list, is acceptable here.',
        ),
        url: url('licenseAcceptance.url', ['https']).describe(
          'Where the accepted licence text is published.',
        ),
      })
      .optional()
      .describe(
        'Explicit, reasoned acceptance of a licence the catalogue does not list (`license: LicenseRef-…`); recorded in the stack and every report.',
      ),
  })
  .describe('The exact bytes that are served: a pinned revision and the SHA-256 of every file.');

const modelSchema = z
  .strictObject({
    engine: z.enum(['vllm', 'llama-cpp']).describe('Serving engine.'),
    pool: z
      .string()
      .optional()
      .describe(
        'GPU pool (pools) to run on, or a CPU pool (cpuPools) for a CPU-only llama.cpp server; omit for a CPU-only server on any node.',
      ),
    store: z.string().describe('Weight store holding the model.'),
    replicas: z.number().int().min(1).max(64).default(1).describe('Server replicas.'),
    architecture: z
      .union([z.string().min(1), architectureSchema])
      .describe('A name from the built-in catalogue (`sovereign models`) or the architecture numbers.'),
    dtype: z
      .enum(['auto', 'bfloat16', 'float16'])
      .default('auto')
      .describe("vLLM --dtype; `auto` takes the checkpoint's (bf16 for the catalogue models)."),
    quantization: z
      .string()
      .optional()
      .describe(
        "vLLM: the checkpoint's --quantization (awq, gptq, fp8, compressed-tensors). llama.cpp: the GGUF type (Q4_K_M), read from the file name when omitted.",
      ),
    tensorParallelSize: z
      .number()
      .int()
      .min(1)
      .max(16)
      .optional()
      .describe(
        'GPUs per vLLM replica (--tensor-parallel-size); default: the smallest that fits, from the capacity planner.',
      ),
    prefixCaching: z.boolean().default(true).describe('vLLM automatic prefix caching.'),
    maxModelLenTokens: z
      .number()
      .int()
      .min(256)
      .describe('Context length served (vLLM --max-model-len, llama.cpp --ctx-size per slot).'),
    maxConcurrentSequences: z
      .number()
      .int()
      .min(1)
      .max(4096)
      .default(8)
      .describe('Sequences served at once (vLLM --max-num-seqs, llama.cpp --parallel).'),
    gpuMemoryUtilization: z
      .number()
      .gt(0)
      .max(0.99)
      .default(0.9)
      .describe('Share of each GPU the engine may use (vLLM --gpu-memory-utilization).'),
    cpu: z
      .number()
      .positive()
      .optional()
      .describe('CPU cores requested per replica (llama.cpp CPU-only: also its --threads).'),
    memoryGiB: z.number().positive().optional().describe('Memory requested per replica, in GiB.'),
    image: image('image').optional().describe('Engine image; default from images.vllm / images.llamaCpp.'),
    apiKeySecret: secretRef.optional().describe('Secret holding the API key clients must present.'),
    autoscaling: z
      .strictObject({
        minReplicas: z.number().int().min(1).max(100).describe('Fewest replicas.'),
        maxReplicas: z.number().int().min(1).max(100).describe('Most replicas.'),
        targetCpuUtilization: z
          .number()
          .int()
          .min(1)
          .max(100)
          .optional()
          .describe(
            'Scale on CPU instead (a HorizontalPodAutoscaler keeping this average utilisation, percent of requests); only without the jurisdiction autoscaler.',
          ),
        waitingPerReplica: z
          .number()
          .positive()
          .default(4)
          .describe(
            'With the jurisdiction autoscaler: waiting requests per replica (engine queue) that add a replica.',
          ),
        kvCacheUsage: z
          .number()
          .gt(0)
          .max(1)
          .default(0.8)
          .describe(
            'With the jurisdiction autoscaler (vLLM): KV-cache use, 0–1, above which a replica is added.',
          ),
      })
      .optional()
      .describe(
        'Replica bounds; replicas is then the initial count. Scaled on the engine queue and KV cache by the jurisdiction autoscaler (KEDA), or on CPU when targetCpuUtilization is set.',
      ),
    extraArgs: z
      .array(z.string())
      .default([])
      .describe('Further engine flags; each must be a flag the pinned engine release knows.'),
    weights: weightsSchema,
  })
  .describe('One open-weight model served behind an OpenAI-compatible endpoint.');

// ---------------------------------------------------------------- the rest of a jurisdiction

const namespacesSchema = z
  .strictObject({
    serving: dnsLabel('namespaces.serving')
      .default('llm-serving')
      .describe(
        'Namespace of the model servers and of the weight volumes and verification Jobs they mount (a volume claim is mounted only in its own namespace).',
      ),
    gpuOperator: dnsLabel('namespaces.gpuOperator')
      .default('gpu-operator')
      .describe(
        'Namespace of the NVIDIA GPU Operator: privileged by necessity, the one documented exception to `restricted`.',
      ),
  })
  .describe('Namespaces the stack creates.');

const clientsSchema = z
  .strictObject({
    namespaces: z
      .array(dnsLabel('clients.namespaces[]'))
      .default([])
      .describe('Namespaces whose pods may call the model endpoints.'),
    cidrs: z.array(cidr('10.20.0.0/16')).default([]).describe('Networks that may call the model endpoints.'),
  })
  .describe('Who may reach the serving port; everything else is denied.');

const gpuOperatorSchema = z
  .strictObject({
    chartVersion: z
      .enum(GPU_OPERATOR_CHART_VERSIONS)
      .default(GPU_OPERATOR_DEFAULT_CHART_VERSION)
      .describe(
        'gpu-operator chart version installed from the chart mirror; its values and images are the ones the toolkit emits (docs/engines.md).',
      ),
    driver: z
      .enum(['operator', 'preinstalled'])
      .default('operator')
      .describe('Whether the operator installs the NVIDIA driver or the nodes already have it.'),
    driverVersion: z
      .string()
      .optional()
      .describe("Driver version the operator installs; default: the chart's."),
    containerToolkit: z
      .enum(['operator', 'preinstalled'])
      .default('operator')
      .describe('Whether the operator installs the NVIDIA container toolkit or the nodes already have it.'),
    nodeFeatureDiscovery: z
      .enum(['operator', 'existing'])
      .default('operator')
      .describe('Whether the chart deploys Node Feature Discovery or the cluster already runs it.'),
    dcgmExporter: z.boolean().default(true).describe('Run the DCGM exporter for GPU metrics.'),
    timeoutSeconds: z
      .number()
      .int()
      .min(60)
      .default(1200)
      .describe('How long Terraform waits for the release.'),
    imageDigests: z
      .partialRecord(
        z.enum(DIGEST_PINNABLE_IMAGES),
        z.string().regex(/^sha256:[a-f0-9]{64}$/, { message: 'a digest looks like sha256:<64 hex digits>' }),
      )
      .default({})
      .describe(
        'Digests of the mirrored operand images (driver, toolkit, device plugin, …), so they are pinned beyond their tags.',
      ),
  })
  .describe('The NVIDIA GPU Operator Helm release of this cluster (chart version one the toolkit supports).');

const enginesSchema = z
  .strictObject({
    vllm: z
      .enum(VLLM_RELEASES)
      .default(VLLM_DEFAULT_RELEASE)
      .describe(
        'vLLM release the models of this jurisdiction run: their flags are checked against its table (docs/engines.md).',
      ),
    llamaCpp: z
      .enum(LLAMA_CPP_RELEASES)
      .default(LLAMA_CPP_DEFAULT_RELEASE)
      .describe(
        'llama.cpp build the llama-cpp models of this jurisdiction run: their flags are checked against its table.',
      ),
  })
  .describe(
    'Engine releases pinned by this jurisdiction, so one site can stay on an older engine while another moves; default: the newest supported.',
  );

const imagesSchema = z
  .strictObject({
    vllm: image('images.vllm').optional(),
    llamaCpp: image('images.llamaCpp')
      .optional()
      .describe('llama.cpp server image for GPU pools (CUDA build).'),
    llamaCppCpu: image('images.llamaCppCpu')
      .optional()
      .describe('llama.cpp server image for CPU-only servers.'),
    weightsSync: image('images.weightsSync').optional().describe('Image of the weight copy-and-verify Jobs.'),
    pullSecrets: z
      .array(dnsSubdomain('images.pullSecrets[]'))
      .refine((names) => new Set(names).size === names.length, { message: 'a Secret is named twice' })
      .default([])
      .describe(
        'Image pull Secrets (type kubernetes.io/dockerconfigjson), created out of band in the serving and GPU Operator namespaces, for registries that require credentials; default: none (the nodes pull with their own).',
      ),
    gpuOperatorRepository: z
      .string()
      .optional()
      .describe(
        'Registry (and optional path) the GPU Operator images are mirrored under, keeping their upstream paths: nvcr.io/nvidia/k8s/… becomes <this>/nvidia/k8s/…; default: the first of sovereignty.registries.',
      ),
  })
  .describe("Engine and tool images, pinned by digest, from the jurisdiction's registries.");

const tenantSchema = z
  .strictObject({
    models: z
      .array(dnsLabel('tenants.*.models[]'))
      .min(1)
      .describe('Models (names under models) the tenant may call; the gateway refuses every other (403).'),
    apiKeySecret: dnsLabel('tenants.*.apiKeySecret').describe(
      'Secret in the serving namespace holding the tenant\'s API keys, one entry per key: {"key": "…", "metadata": {"tenant": "<name>"}} (or keyHash: sha256:<hex>). The stack labels it so the gateway reads it; it never reads the keys.',
    ),
    requestsPerMinute: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("Requests per minute across the tenant's keys, per gateway replica; default: unlimited."),
    tokensPerHour: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('LLM tokens (prompt + completion) per hour, per gateway replica; default: unlimited.'),
    namespaces: z
      .array(dnsLabel('tenants.*.namespaces[]'))
      .default([])
      .describe('Namespaces the tenant calls from (admitted to the gateway).'),
    cidrs: z
      .array(cidr('10.20.0.0/16'))
      .default([])
      .describe(
        'Networks the tenant calls from: admitted to the gateway, and its keys work only from there.',
      ),
  })
  .describe('A tenant of the gateway: who it is (API keys), what it may call, how much, from where.');

/** Where in-cluster controllers reach the Kubernetes API (a NetworkPolicy egress peer). */
const apiServerSchema = z.strictObject({
  cidrs: z
    .array(cidr('10.20.0.0/16'))
    .min(1)
    .describe('Addresses of the Kubernetes API servers (inside sovereignty.cidrs).'),
  port: z.number().int().min(1).max(65535).default(6443).describe('Port of the API servers.'),
});

const gatewaySchema = z
  .strictObject({
    host: z
      .string()
      .describe("Host name of the jurisdiction's OpenAI-compatible endpoint; must match sovereignty.hosts."),
    port: z
      .number()
      .int()
      .min(1024)
      .max(65535)
      .default(8443)
      .describe('HTTPS port of the endpoint (the gateway pod listens on it).'),
    tlsSecret: dnsLabel('gateway.tlsSecret').describe(
      "kubernetes.io/tls Secret in the serving namespace with the endpoint certificate (created out of band or by the jurisdiction's cert-manager).",
    ),
    controllerNamespace: dnsLabel('gateway.controllerNamespace')
      .default('agentgateway-system')
      .describe('Namespace of the gateway controller.'),
    images: z
      .strictObject({
        controller: image('gateway.images.controller').describe(
          'agentgateway controller image (cr.agentgateway.dev/controller:v1.4.1 mirrored), pinned by digest.',
        ),
        proxy: image('gateway.images.proxy').describe(
          'agentgateway proxy image (cr.agentgateway.dev/agentgateway:v1.4.1 mirrored), pinned by digest.',
        ),
        endpointPicker: image('gateway.images.endpointPicker').describe(
          'Endpoint picker image (ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0 mirrored), pinned by digest.',
        ),
      })
      .describe("Gateway images from the jurisdiction's registries."),
    apiServer: apiServerSchema.describe(
      'Where the gateway controller and the endpoint pickers reach the Kubernetes API.',
    ),
    monitoringNamespace: dnsLabel('gateway.monitoringNamespace')
      .optional()
      .describe("Namespace of the jurisdiction's Prometheus: admitted to the metrics ports only."),
    tenants: z
      .record(dnsLabel('tenant name'), tenantSchema)
      .refine((m) => Object.keys(m).length > 0, { message: 'declare at least one tenant' })
      .describe('Tenants keyed by name.'),
  })
  .describe(
    "One OpenAI-compatible endpoint for the jurisdiction (agentgateway + Gateway API Inference Extension): routes by the request's model, authenticates tenants, enforces their models and limits. With a gateway, clients reach only the gateway.",
  );

const autoscalerSchema = z
  .strictObject({
    namespace: dnsLabel('autoscaler.namespace').default('keda').describe('Namespace of KEDA.'),
    prometheus: z
      .strictObject({
        url: url('autoscaler.prometheus.url', ['http', 'https']).describe(
          "Base URL of the jurisdiction's Prometheus (in-cluster service or a host in sovereignty.hosts).",
        ),
        namespace: dnsLabel('autoscaler.prometheus.namespace').describe(
          'Namespace Prometheus runs in (NetworkPolicy peer).',
        ),
      })
      .describe('The Prometheus the scalers query.'),
    images: z
      .strictObject({
        operator: image('autoscaler.images.operator').describe(
          'KEDA operator (ghcr.io/kedacore/keda:2.20.2 mirrored).',
        ),
        metricsApiServer: image('autoscaler.images.metricsApiServer').describe(
          'KEDA metrics API server (ghcr.io/kedacore/keda-metrics-apiserver:2.20.2 mirrored).',
        ),
        webhooks: image('autoscaler.images.webhooks').describe(
          'KEDA admission webhooks (ghcr.io/kedacore/keda-admission-webhooks:2.20.2 mirrored).',
        ),
      })
      .describe('KEDA images from the jurisdiction registries.'),
    apiServer: apiServerSchema
      .optional()
      .describe(
        'Where KEDA reaches the Kubernetes API (and is called back from); default: gateway.apiServer.',
      ),
  })
  .describe(
    'KEDA (chart 2.20.2 from the chart mirror): models with autoscaling scale on their engine queue and KV cache, read from Prometheus.',
  );

const monitoringSchema = z
  .strictObject({
    namespace: dnsLabel('monitoring.namespace').describe(
      "Namespace of the jurisdiction's Prometheus Operator and Grafana: admitted to the metrics ports, and where the dashboard ConfigMap goes.",
    ),
    selectorLabels: z
      .record(z.string(), z.string())
      .default({})
      .describe(
        'Labels its Prometheus selects PodMonitors and PrometheusRules by (e.g. release: kube-prometheus-stack).',
      ),
  })
  .describe(
    'PodMonitors (engines, endpoint pickers, gateway, DCGM), alert rules with runbook lines and a Grafana dashboard, for the Prometheus the jurisdiction runs.',
  );

const leaderWorkerSetSchema = z
  .strictObject({
    namespace: dnsLabel('leaderWorkerSet.namespace')
      .default('lws-system')
      .describe('Namespace of the controller.'),
    image: image('leaderWorkerSet.image').describe(
      `LeaderWorkerSet controller (registry.k8s.io/lws/lws:${LWS_RELEASE} mirrored).`,
    ),
    apiServer: apiServerSchema
      .optional()
      .describe(
        'Where the controller reaches the Kubernetes API (and is called back from); default: gateway.apiServer, then autoscaler.apiServer.',
      ),
  })
  .describe(
    `LeaderWorkerSet controller (kubernetes-sigs/lws ${LWS_RELEASE}, chart from the chart mirror): serves models that do not fit one node across a group of nodes.`,
  );

const suppressionSchema = z
  .strictObject({
    rule: z
      .string()
      .regex(/^[A-Z0-9]+-[0-9]{3}$/, { message: 'a rule id looks like K8S-012' })
      .describe('Rule id.'),
    resource: z
      .string()
      .min(1)
      .describe(
        'Terraform address (`kubernetes_deployment_v1.x`), `model.<name>` for licence findings, or `*` for the whole stack.',
      ),
    reason: reasonText().describe('Why this is acceptable.'),
    expires: z
      .string()
      .refine(isIsoDate, { message: 'expires is a real calendar date YYYY-MM-DD' })
      .optional()
      .describe('Last day the suppression applies.'),
  })
  .describe('An accepted policy finding, with a reason; recorded in the synthesized JSON and every report.');

export const PROFILES = ['eu-gdpr', 'de-bsi-c5', 'fr-secnumcloud', 'none'] as const;

const jurisdictionShape = {
  profile: z.enum(PROFILES).describe('Jurisdiction profile: its defaults and the policy packs that apply.'),
  description: z.string().optional().describe('Free text for reports.'),
  territories: z
    .array(
      z.string().regex(/^([A-Z]{2}|EU)$/, {
        message: 'a territory is an ISO 3166-1 alpha-2 country code in capitals (DE, FR, CH) or EU',
      }),
    )
    .default([])
    .describe(
      'Territories the jurisdiction lies in: ISO 3166-1 alpha-2 country codes and/or `EU`. Model licences that exclude one of them are refused (LIC-006); a licence with a territorial exclusion needs them declared.',
    ),
  cluster: clusterSchema,
  backend: backendSchema,
  sovereignty: sovereigntySchema,
  namespaces: namespacesSchema.default({ serving: 'llm-serving', gpuOperator: 'gpu-operator' }),
  clients: clientsSchema.default({ namespaces: [], cidrs: [] }),
  gpuOperator: gpuOperatorSchema.default({
    chartVersion: GPU_OPERATOR_DEFAULT_CHART_VERSION,
    driver: 'operator',
    containerToolkit: 'operator',
    nodeFeatureDiscovery: 'operator',
    dcgmExporter: true,
    timeoutSeconds: 1200,
    imageDigests: {},
  }),
  images: imagesSchema.default({ pullSecrets: [] }),
  engines: enginesSchema.default({ vllm: VLLM_DEFAULT_RELEASE, llamaCpp: LLAMA_CPP_DEFAULT_RELEASE }),
  pools: z.record(dnsLabel('pool name'), poolSchema).default({}).describe('GPU node pools, keyed by name.'),
  cpuPools: z
    .record(dnsLabel('CPU pool name'), cpuPoolSchema)
    .default({})
    .describe('CPU node pools for CPU-only llama.cpp servers, keyed by name (not the names of GPU pools).'),
  stores: z.record(dnsLabel('store name'), storeSchema).default({}).describe('Weight stores, keyed by name.'),
  models: z.record(dnsLabel('model name'), modelSchema).default({}).describe('Served models, keyed by name.'),
  gateway: gatewaySchema.optional(),
  autoscaler: autoscalerSchema.optional(),
  monitoring: monitoringSchema.optional(),
  leaderWorkerSet: leaderWorkerSetSchema.optional(),
  suppressions: z.array(suppressionSchema).default([]).describe('Accepted policy findings.'),
};

export const jurisdictionSchema = z
  .strictObject(jurisdictionShape)
  .describe('One jurisdiction: one cluster, one Terraform stack.');

/** Keys a `defaults` section may hold: shared by all jurisdictions, overridden by each. */
export const DEFAULTABLE_KEYS = [
  'profile',
  'cluster',
  'backend',
  'sovereignty',
  'namespaces',
  'clients',
  'gpuOperator',
  'images',
  'engines',
  'suppressions',
] as const;

const defaultsSchema = z
  .strictObject(
    Object.fromEntries(
      DEFAULTABLE_KEYS.map((k) => [k, z.unknown().optional().describe(`Default for jurisdictions.*.${k}.`)]),
    ) as Record<(typeof DEFAULTABLE_KEYS)[number], z.ZodOptional<z.ZodUnknown>>,
  )
  .describe(
    'Values shared by all jurisdictions; a jurisdiction overrides them key by key (maps merge, lists and values replace).',
  );

export const specSchema = z
  .strictObject({
    version: z.literal(SPEC_VERSION).describe('Spec format version.'),
    defaults: defaultsSchema.optional(),
    jurisdictions: z
      .record(dnsLabel('jurisdiction name'), jurisdictionSchema)
      .refine((m) => Object.keys(m).length > 0, { message: 'at least one jurisdiction is required' })
      .describe('Jurisdictions keyed by name; each becomes one Terraform stack of that name.'),
  })
  .describe('sovereign-stack specification: open-weight LLM serving on infrastructure a jurisdiction owns.');

export type SovereignSpec = z.output<typeof specSchema>;
export type JurisdictionSpec = z.output<typeof jurisdictionSchema>;
export type ModelSpec = z.output<typeof modelSchema>;
export type GatewaySpec = z.output<typeof gatewaySchema>;
export type PoolSpec = z.output<typeof poolSchema>;
export type ProvisionSpec = z.output<typeof provisionSchema>;
export type CpuPoolSpec = z.output<typeof cpuPoolSchema>;
export type StoreSpec = z.output<typeof storeSchema>;
export type BackendSpec = z.output<typeof backendSchema>;
export type SourceSpec = z.output<typeof sourceSchema>;
export type ArchitectureSpec = z.output<typeof architectureSchema>;
export type MultiNodeSpec = z.output<typeof multiNodeSchema>;

/** The JSON Schema editors use (input form: defaulted fields are optional). */
export function specJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(specSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  // The defaults section is typed loosely in zod (it is merged before validation); give
  // editors the real shapes of each key.
  const props = (schema.properties as Record<string, Record<string, unknown>>) ?? {};
  const jur = z.toJSONSchema(jurisdictionSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  const jurProps = jur.properties as Record<string, unknown>;
  if (props.defaults) {
    props.defaults.properties = Object.fromEntries(DEFAULTABLE_KEYS.map((k) => [k, partial(jurProps[k])]));
  }
  return {
    ...schema,
    $id: `urn:sovereign-stack:spec:v${SPEC_VERSION}`,
    title: 'sovereign.yaml',
  };
}

/** A defaults entry may give part of a section: drop `required` at every depth. */
function partial(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(partial);
  if (s === null || typeof s !== 'object') return s;
  return Object.fromEntries(
    Object.entries(s as Record<string, unknown>)
      .filter(([k]) => k !== 'required' && k !== '$schema')
      .map(([k, v]) => [k, partial(v)]),
  );
}
