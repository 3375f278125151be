/**
 * OpenStack through Cluster API Provider OpenStack (CAPO), with a ClusterClass parameterized the
 * way Sovereign Cloud Stack's cluster stacks parameterize theirs: the variables below are those
 * of `providers/openstack/scs2/cluster-class/templates/cluster-class.yaml` at
 * SovereignCloudStack/cluster-stacks tag openstack-scs2-1-34-v2 (commit 3c6ca6c), whose patches
 * write them into CAPO's OpenStackClusterTemplate and OpenStackMachineTemplates:
 * `identityRef` {name, cloudName} → OpenStackCluster.spec.identityRef (a Secret holding
 * `clouds.yaml`; CAPO api/v1beta1/identity_types.go, v0.14.7), `imageName` → machine
 * `image.filter.name` (suffixed with the Kubernetes version when `imageAddVersion`),
 * `controlPlaneFlavor` / `workerFlavor` → machine `flavor`, `networkExternalID`,
 * `dnsNameservers` and `nodeCIDR` → the cluster network CAPO creates,
 * `controlPlaneAvailabilityZones` → control-plane failure domains.
 *
 * The credentials never pass through here: the Secret is named, its contents stay on the
 * management cluster. The Keystone URL the Secret's clouds.yaml points at is declared so the
 * policy gate can judge it.
 */
import type {
  ControlPlaneTopology,
  IClusterInfrastructure,
  MachineShape,
  TopologyVariable,
} from '../cluster-api-cluster';
import { throwIfProblems, type Problem } from '../../core/errors';
import { checkCidr, checkDnsSubdomain, problems } from '../private/validate';

/** Cluster API Provider OpenStack release the variables map onto. */
export const CAPO_RELEASE = 'v0.14.7';

/** The Keystone endpoint the clouds.yaml Secret names, recorded on the Cluster. */
export const ANNOTATION_OPENSTACK_AUTH_URL = 'sovereign-stack.io/openstack-auth-url';
/** The clouds.yaml Secret and cloud entry, by reference only. */
export const ANNOTATION_OPENSTACK_IDENTITY = 'sovereign-stack.io/openstack-identity';

export interface OpenStackInfrastructureProps {
  /** Keystone URL (`https://keystone.de.example:5000/v3`) the clouds.yaml entry points at. */
  readonly authUrl: string;
  /** The Secret (in the Cluster's namespace) with key `clouds.yaml`, and the cloud entry to use. */
  readonly identity: { readonly secretName: string; readonly cloudName: string };
  /** Glance image name of the node image; the ClusterClass appends `-<kubernetes version>` unless `imageAddVersion` is false. */
  readonly imageName: string;
  /** @default true, as the cluster stack does */
  readonly imageAddVersion?: boolean;
  /** ID of the external network routers attach to (several external networks). @default the cloud's only one */
  readonly externalNetworkId?: string;
  /** Nameservers of the subnet CAPO creates for the nodes: addresses inside the jurisdiction. */
  readonly dnsNameservers: readonly string[];
  /** Subnet CAPO creates for the nodes. @default the cluster stack's (10.8.0.0/20) */
  readonly nodeCidr?: string;
  /** @default 'default-worker', the worker class of the SCS cluster stacks */
  readonly workerClass?: string;
}

export class OpenStackInfrastructure implements IClusterInfrastructure {
  public readonly provider = 'openstack';
  public readonly workerClass: string;
  public readonly annotations: Readonly<Record<string, string>>;
  private readonly props: OpenStackInfrastructureProps;

  constructor(props: OpenStackInfrastructureProps) {
    throwIfProblems('OpenStackInfrastructure', validate(props));
    this.props = props;
    this.workerClass = props.workerClass ?? 'default-worker';
    this.annotations = {
      [ANNOTATION_OPENSTACK_AUTH_URL]: props.authUrl,
      [ANNOTATION_OPENSTACK_IDENTITY]: `secret/${props.identity.secretName}#${props.identity.cloudName}`,
    };
  }

  public clusterVariables(controlPlane: ControlPlaneTopology): readonly TopologyVariable[] {
    const p = this.props;
    const vars: TopologyVariable[] = [
      { name: 'identityRef', value: { name: p.identity.secretName, cloudName: p.identity.cloudName } },
      { name: 'imageName', value: p.imageName },
      { name: 'imageAddVersion', value: p.imageAddVersion ?? true },
      { name: 'dnsNameservers', value: [...p.dnsNameservers] },
      { name: 'controlPlaneFlavor', value: controlPlane.flavor },
    ];
    if (p.nodeCidr !== undefined) vars.push({ name: 'nodeCIDR', value: p.nodeCidr });
    if (p.externalNetworkId !== undefined)
      vars.push({ name: 'networkExternalID', value: p.externalNetworkId });
    if (controlPlane.failureDomains && controlPlane.failureDomains.length > 0)
      vars.push({ name: 'controlPlaneAvailabilityZones', value: [...controlPlane.failureDomains] });
    return vars;
  }

  public workerVariables(machine: MachineShape): readonly TopologyVariable[] {
    return [
      { name: 'workerFlavor', value: machine.flavor },
      ...(machine.image !== undefined ? [{ name: 'imageName', value: machine.image }] : []),
    ];
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const IPV4 = /^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$/;

function validate(p: OpenStackInfrastructureProps): Problem[] {
  const out = problems(
    checkDnsSubdomain('identity.secretName', p.identity.secretName),
    p.nodeCidr === undefined ? undefined : checkCidr('nodeCidr', p.nodeCidr),
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
