/**
 * Bare metal through Cluster API Provider Metal3 (CAPM3) v1.13.2: the Metal3ClusterTemplate and
 * Metal3MachineTemplates of the toolkit's ClusterClass (api/v1beta2, served and stored;
 * config/crd/bases/infrastructure.cluster.x-k8s.io_metal3{cluster,machine}templates.yaml at
 * metal3-io/cluster-api-provider-metal3 v1.13.2, commit e58645d).
 *
 * A machine is a BareMetalHost chosen by labels (`hostSelector.matchLabels`: the GPU hosts of a
 * pool by their labels), provisioned by Ironic with a disk image fetched from a URL inside the
 * jurisdiction and checked against its digest (`image` {url, checksum, checksumType, diskFormat},
 * api/v1beta2/common_types.go). The hosts' BMC credentials stay in the Secrets the
 * BareMetalHost owners created (`BareMetalHost.spec.bmc.credentialsName`): nothing here names or
 * reads them. CAPM3 finds a node by the label `metal3.io/uuid={{ ds.meta_data.uuid }}` its kubelet
 * registers with (examples/clusterctl-templates/clusterctl-cluster.yaml, v1.13.2).
 *
 * Cluster API: CAPM3 v1.13.2 is documented for Cluster API v1.13 only (README.md at v1.13.2,
 * "Compatibility with Cluster API": CAPM3 v1.13.X with Cluster API v1.13.X; go.mod builds against
 * sigs.k8s.io/cluster-api v1.13.4), so a Metal3 jurisdiction's Cluster is written for, and
 * validated against, Cluster API v1.13.5 rather than v1.14 (core/cluster-api-releases.ts).
 */
import type {
  ControlPlaneTopology,
  DiskImage,
  IClusterInfrastructure,
  InfrastructureTemplate,
  KubeadmArg,
  MachineShape,
} from '../cluster-api-cluster';
import { CAPM3, type ClusterApiRange } from '../../core/cluster-api-releases';
import { throwIfProblems, type Problem } from '../../core/errors';
import { checkIntRange, problems } from '../private/validate';
import { checkSourceUrl } from '../../core/source-url';

/** CAPM3 release whose templates are written. */
export const CAPM3_RELEASE = CAPM3.release;
/** API version of CAPM3 v1.13's templates (served and stored). */
export const CAPM3_API_VERSION = CAPM3.apiVersion;

/** The namespace whose BareMetalHosts the machines are chosen from, recorded on the Cluster. */
export const ANNOTATION_METAL3_HOSTS = 'sovereign-stack.io/metal3-hosts';

export interface Metal3InfrastructureProps {
  /**
   * Address (a virtual IP inside the jurisdiction's ranges) and port the API server is reached
   * at; something on the control plane must hold it (kube-vip, keepalived).
   */
  readonly controlPlaneEndpoint: { readonly host: string; readonly port?: number };
  /** Disk image of every machine unless a pool gives its own. */
  readonly image: DiskImage;
  /** Namespace of the BareMetalHosts (the Cluster's: CAPM3 picks hosts from it). */
  readonly hostsNamespace: string;
}

export class Metal3Infrastructure implements IClusterInfrastructure {
  public readonly provider = 'metal3';
  /** Cluster API v1.13 only (README.md at v1.13.2). */
  public readonly clusterApi: ClusterApiRange = CAPM3.clusterApi;
  public readonly annotations: Readonly<Record<string, string>>;
  public readonly kubeletExtraArgs: readonly KubeadmArg[] = [
    { name: 'node-labels', value: 'metal3.io/uuid={{ ds.meta_data.uuid }}' },
  ];
  public readonly controllerManagerExtraArgs: readonly KubeadmArg[] = [];
  private readonly props: Metal3InfrastructureProps;

  constructor(props: Metal3InfrastructureProps) {
    throwIfProblems('Metal3Infrastructure', validate(props));
    this.props = props;
    this.annotations = { [ANNOTATION_METAL3_HOSTS]: `namespace/${props.hostsNamespace}` };
  }

  public machineProblems(path: string, machine: MachineShape): Problem[] {
    return metal3MachineProblems(path, machine);
  }

  public clusterTemplate(_controlPlane: ControlPlaneTopology): InfrastructureTemplate {
    const e = this.props.controlPlaneEndpoint;
    return {
      apiVersion: CAPM3_API_VERSION,
      kind: 'Metal3ClusterTemplate',
      spec: {
        controlPlaneEndpoint: { host: e.host, port: e.port ?? 6443 },
        // No cloud controller: CAPM3 sets the nodes' provider IDs itself.
        cloudProviderEnabled: false,
      },
    };
  }

  public machineTemplate(
    machine: MachineShape,
    _role: 'control-plane' | 'worker',
    _kubernetesVersion: string,
  ): InfrastructureTemplate {
    const image = machine.diskImage ?? this.props.image;
    return {
      apiVersion: CAPM3_API_VERSION,
      kind: 'Metal3MachineTemplate',
      spec: {
        image: {
          url: image.url,
          checksum: image.checksum,
          checksumType: image.checksumType,
          diskFormat: image.format ?? 'raw',
        },
        hostSelector: { matchLabels: sortKeys(machine.hostSelector ?? {}) },
      },
    };
  }
}

function sortKeys(o: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const IPV4 = /^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$/;
const DIGEST_LENGTH = { sha256: 64, sha512: 128 } as const;

/** Problems of a disk image: an http(s) URL without credentials, a hex digest of the right length. */
export function diskImageProblems(path: string, i: DiskImage): Problem[] {
  const out: Problem[] = [];
  // The weights-source check (core/source-url.ts): scheme, no credentials or hidden authority,
  // no query or fragment (a signed-URL token is a credential), a path. Plain http is allowed:
  // Ironic's image servers on the provisioning network are often http, and the digest below
  // is what the host verifies. The host itself is judged by the gate (SOV-012).
  checkSourceUrl(`${path}.url`, i.url, { allowPlainHttp: true, hostJudgedElsewhere: true }, out, true);
  const n = DIGEST_LENGTH[i.checksumType];
  if (n === undefined)
    out.push({
      path: `${path}.checksumType`,
      message: `"${String(i.checksumType)}" is not sha256 or sha512`,
    });
  else if (!new RegExp(`^[0-9a-f]{${n}}$`).test(i.checksum))
    out.push({
      path: `${path}.checksum`,
      message: `give the image's ${i.checksumType} digest: ${n} lower-case hex digits, not a URL`,
    });
  return out;
}

/** Problems of a machine shape for Metal3 (a host selector, no OpenStack fields). */
export function metal3MachineProblems(path: string, m: MachineShape): Problem[] {
  const out: Problem[] = [];
  if (m.hostSelector === undefined || Object.keys(m.hostSelector).length === 0)
    out.push({
      path: `${path}.hostSelector`,
      message: 'give the labels of the BareMetalHosts the machines are placed on',
    });
  if (m.flavor !== undefined || m.image !== undefined)
    out.push({
      path,
      message: 'flavor and image are OpenStack fields; Metal3 takes hostSelector and diskImage',
    });
  if (m.diskImage !== undefined) out.push(...diskImageProblems(`${path}.diskImage`, m.diskImage));
  return out;
}

function validate(p: Metal3InfrastructureProps): Problem[] {
  const out = problems(
    p.controlPlaneEndpoint.port === undefined
      ? undefined
      : checkIntRange('controlPlaneEndpoint.port', p.controlPlaneEndpoint.port, 1, 65535),
  );
  if (!IPV4.test(p.controlPlaneEndpoint.host))
    out.push({
      path: 'controlPlaneEndpoint.host',
      message: `"${p.controlPlaneEndpoint.host}" is not an IPv4 address: give the control plane's virtual IP`,
    });
  out.push(...diskImageProblems('image', p.image));
  return out;
}
