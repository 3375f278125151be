/**
 * OpenStack through Cluster API Provider OpenStack (CAPO) v0.14.7: the OpenStackClusterTemplate
 * and OpenStackMachineTemplates of the toolkit's ClusterClass. The fields are those Sovereign
 * Cloud Stack's cluster stacks parameterize (SovereignCloudStack/cluster-stacks tag
 * openstack-scs2-1-34-v2, commit 3c6ca6c, providers/openstack/scs2/cluster-class/templates/):
 * `identityRef` {name, cloudName} (a Secret holding `clouds.yaml`; CAPO api/v1beta1/identity_types.go),
 * `managedSubnets[0]` {cidr, dnsNameservers} (the cluster stack's `nodeCIDR` / `dnsNameservers`),
 * `externalNetwork.id`, `controlPlaneAvailabilityZones`, the machine `flavor`, and the Glance image
 * by name (`image.filter.name`, suffixed with the Kubernetes version as the cluster stack's
 * `imageAddVersion` does), kubelet `cloud-provider: external` and the provider ID
 * `openstack:///{{ instance_id }}` (cloud-init template). Written as values in concrete templates
 * rather than variables patched at reconcile time: the toolkit writes one class per cluster.
 *
 * The credentials never pass through here: the Secret is named, its contents stay on the
 * management cluster. The Keystone URL the Secret's clouds.yaml points at is declared so the
 * policy gate can judge it.
 *
 * Cluster API: CAPO v0.14.7 is documented for Cluster API v1.12 and later (README.md at v0.14.7,
 * "Compatibility with Cluster API": v0.14 with `>=v1.12`, the release it was built and tested
 * against: go.mod sigs.k8s.io/cluster-api v1.12.10, test/e2e/data/e2e_conf.yaml CAPI v1.12). An
 * OpenStack jurisdiction's Cluster is written for, and validated against, the newest Cluster API
 * release in that range, v1.14.0 (core/cluster-api-releases.ts), which still accepts the v1beta1
 * provider contract CAPO implements.
 */
import type {
  ControlPlaneTopology,
  IClusterInfrastructure,
  InfrastructureTemplate,
  KubeadmArg,
  MachineShape,
} from '../cluster-api-cluster';
import { CAPO, type ClusterApiRange } from '../../core/cluster-api-releases';
import { throwIfProblems, type Problem } from '../../core/errors';
import { checkCidr, checkDnsSubdomain, problems } from '../private/validate';

/** Cluster API Provider OpenStack release whose templates are written. */
export const CAPO_RELEASE = CAPO.release;
/** API version of CAPO v0.14's templates (served and stored). */
export const CAPO_API_VERSION = CAPO.apiVersion;

/** The Keystone endpoint the clouds.yaml Secret names, recorded on the Cluster. */
export const ANNOTATION_OPENSTACK_AUTH_URL = 'sovereign-stack.io/openstack-auth-url';
/** The clouds.yaml Secret and cloud entry, by reference only. */
export const ANNOTATION_OPENSTACK_IDENTITY = 'sovereign-stack.io/openstack-identity';

export interface OpenStackInfrastructureProps {
  /** Keystone URL (`https://keystone.de.example:5000/v3`) the clouds.yaml entry points at. */
  readonly authUrl: string;
  /** The Secret (in the Cluster's namespace) with key `clouds.yaml`, and the cloud entry to use. */
  readonly identity: { readonly secretName: string; readonly cloudName: string };
  /** Glance image name of the node image; `-<kubernetes version>` is appended unless `imageAddVersion` is false. */
  readonly imageName: string;
  /** @default true, as the cluster stack does */
  readonly imageAddVersion?: boolean;
  /** ID of the external network routers attach to (several external networks). @default the cloud's only one */
  readonly externalNetworkId?: string;
  /** Nameservers of the subnet CAPO creates for the nodes: addresses inside the jurisdiction. */
  readonly dnsNameservers: readonly string[];
  /** Subnet CAPO creates for the nodes (its nameservers apply to it). */
  readonly nodeCidr: string;
}

export class OpenStackInfrastructure implements IClusterInfrastructure {
  public readonly provider = 'openstack';
  /** Cluster API v1.12 and later (README.md at v0.14.7). */
  public readonly clusterApi: ClusterApiRange = CAPO.clusterApi;
  public readonly annotations: Readonly<Record<string, string>>;
  // Cloud-init renders {{ ... }} from the instance metadata (cluster-stacks' kubeadm templates).
  public readonly nodeName = '{{ local_hostname }}';
  public readonly kubeletExtraArgs: readonly KubeadmArg[] = [
    { name: 'cloud-provider', value: 'external' },
    { name: 'provider-id', value: 'openstack:///{{ instance_id }}' },
  ];
  public readonly controllerManagerExtraArgs: readonly KubeadmArg[] = [
    { name: 'cloud-provider', value: 'external' },
  ];
  private readonly props: OpenStackInfrastructureProps;

  constructor(props: OpenStackInfrastructureProps) {
    throwIfProblems('OpenStackInfrastructure', validate(props));
    this.props = props;
    this.annotations = {
      [ANNOTATION_OPENSTACK_AUTH_URL]: props.authUrl,
      [ANNOTATION_OPENSTACK_IDENTITY]: `secret/${props.identity.secretName}#${props.identity.cloudName}`,
    };
  }

  public machineProblems(path: string, machine: MachineShape): Problem[] {
    return openStackMachineProblems(path, machine);
  }

  public clusterTemplate(controlPlane: ControlPlaneTopology): InfrastructureTemplate {
    const p = this.props;
    const zones = controlPlane.failureDomains ?? [];
    return {
      apiVersion: CAPO_API_VERSION,
      kind: 'OpenStackClusterTemplate',
      spec: {
        identityRef: { name: p.identity.secretName, cloudName: p.identity.cloudName },
        managedSubnets: [{ cidr: p.nodeCidr, dnsNameservers: [...p.dnsNameservers] }],
        ...(p.externalNetworkId !== undefined ? { externalNetwork: { id: p.externalNetworkId } } : {}),
        ...(zones.length > 0 ? { controlPlaneAvailabilityZones: [...zones] } : {}),
        // As the cluster stack: no Octavia load balancer by default, security groups managed.
        apiServerLoadBalancer: { enabled: false },
        managedSecurityGroups: { allowAllInClusterTraffic: true },
      },
    };
  }

  public machineTemplate(
    machine: MachineShape,
    _role: 'control-plane' | 'worker',
    kubernetesVersion: string,
  ): InfrastructureTemplate {
    const image = machine.image ?? this.props.imageName;
    return {
      apiVersion: CAPO_API_VERSION,
      kind: 'OpenStackMachineTemplate',
      spec: {
        flavor: machine.flavor ?? '',
        image: {
          filter: {
            name: (this.props.imageAddVersion ?? true) ? `${image}-${kubernetesVersion}` : image,
          },
        },
      },
    };
  }
}

/** Problems of a machine shape for OpenStack (a flavor, no bare-metal fields). */
export function openStackMachineProblems(path: string, m: MachineShape): Problem[] {
  const out: Problem[] = [];
  if (m.flavor === undefined || m.flavor === '')
    out.push({ path: `${path}.flavor`, message: 'give the OpenStack flavor of the machines' });
  if (m.hostSelector !== undefined || m.diskImage !== undefined)
    out.push({
      path,
      message: 'hostSelector and diskImage are Metal3 fields; OpenStack takes flavor and image',
    });
  return out;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const IPV4 = /^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$/;

function validate(p: OpenStackInfrastructureProps): Problem[] {
  const out = problems(
    checkDnsSubdomain('identity.secretName', p.identity.secretName),
    checkCidr('nodeCidr', p.nodeCidr),
  );
  if (!/^https:\/\/[^/\s]+/.test(p.authUrl))
    out.push({ path: 'authUrl', message: `"${p.authUrl}" is not an https:// Keystone URL` });
  if (p.identity.cloudName === '')
    out.push({ path: 'identity.cloudName', message: 'give the clouds.yaml entry' });
  if (p.imageName === '') out.push({ path: 'imageName', message: 'give the Glance image name' });
  if (p.externalNetworkId !== undefined && !UUID.test(p.externalNetworkId))
    out.push({ path: 'externalNetworkId', message: `"${p.externalNetworkId}" is not a network UUID` });
  if (p.dnsNameservers.length === 0)
    out.push({
      path: 'dnsNameservers',
      message:
        "give the jurisdiction's nameservers: without them the cluster stack falls back to public resolvers (9.9.9.9)",
    });
  p.dnsNameservers.forEach((d, i) => {
    if (!IPV4.test(d)) out.push({ path: `dnsNameservers[${i}]`, message: `"${d}" is not an IPv4 address` });
  });
  return out;
}
