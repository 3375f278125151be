/**
 * The stack that builds a jurisdiction's cluster: applied against the jurisdiction's Cluster
 * API management cluster (its own kubernetes provider, its own state), before the jurisdiction's
 * platform-and-serving stack. Named `<jurisdiction>-provision`.
 *
 * Order: `cdktf deploy <j>-provision` (Terraform waits until the Cluster is Available), write
 * the kubeconfig Cluster API stored in the Secret `<cluster>-kubeconfig` to the file
 * `cluster.kubeconfig.path` names, then `cdktf deploy <j>`. The serving stack records this stack
 * as a dependency, so `cdktf deploy '*'` applies them in that order and `cdktf destroy '*'`
 * destroys serving first. That cross-stack order is only cdktf's: plain `terraform destroy` in
 * the provisioning stack's directory does not know the serving stack (docs/provisioning.md).
 * Inside this stack the order is Terraform's own (`depends_on`): the Cluster is deleted first and
 * waited on until gone (Cluster API removes the worker machines, then the control plane), then
 * the ClusterClass, then its templates.
 *
 * Construct ids are public API (Terraform addresses): `management`, `cluster` (and under it
 * `cluster`, `cluster-class`, `infrastructure-cluster`, `control-plane`, `control-plane-machine`,
 * `worker-bootstrap-<pool>`, `worker-machine-<pool>`).
 */
import { TerraformOutput, TerraformStack } from 'cdktf';
import { type Construct } from 'constructs';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import {
  ClusterApiCluster,
  type ClusterApiPool,
  type IClusterInfrastructure,
} from '../constructs/cluster-api-cluster';
import { GPU_TAINT, type GpuNodePool } from '../constructs/gpu-node-pool';
import { Metal3Infrastructure } from '../constructs/infrastructure/metal3';
import { OpenStackInfrastructure } from '../constructs/infrastructure/openstack';
import { describeClusterApiRange } from '../core/cluster-api-releases';
import { JURISDICTION_LABEL } from '../core/labels';
import { METADATA_SCHEMA_VERSION, type StackMetadata } from '../core/stack-record';
import { backendAttributes, fromStackDir, SovereignBackend } from './backend';
import { RequiredProviders, SovereignRecord, sovereigntyAllowList } from './jurisdiction/record';
import { PROFILES } from './profiles';
import type { BackendSpec, JurisdictionSpec, ProvisionSpec } from './spec/schema';

export interface ProvisionStackProps {
  readonly jurisdiction: string;
  readonly spec: JurisdictionSpec;
  readonly provision: ProvisionSpec;
  /** The jurisdiction's GPU pools (their node labels and GPU counts), by name. */
  readonly gpuPools: Readonly<Record<string, GpuNodePool>>;
  readonly toolkitVersion: string;
  /** @default '../../..' */
  readonly projectFromStack?: string;
  /** As JurisdictionStackProps.at: locates a construct's refusal in the spec. */
  readonly at?: <T>(path: readonly (string | number)[], create: () => T) => T;
}

/** The provisioning stack's own state, beside the serving stack's and never the same object. */
export function provisionBackend(b: BackendSpec): BackendSpec {
  switch (b.type) {
    case 'local':
      return { ...b, path: b.path.replace(/(\.tfstate)?$/, '.provision$1') };
    case 's3':
      return { ...b, key: b.key.replace(/(\.tfstate)?$/, '.provision$1') };
    case 'kubernetes':
      return { ...b, secretSuffix: `${b.secretSuffix}-provision` };
    case 'pg':
      return { ...b, schemaName: `${b.schemaName}_provision` };
  }
}

export class ProvisionStack extends TerraformStack {
  public readonly jurisdiction: string;
  public readonly cluster: ClusterApiCluster;
  public readonly infrastructure: IClusterInfrastructure;
  public readonly metadata: StackMetadata;

  constructor(scope: Construct, id: string, props: ProvisionStackProps) {
    super(scope, id);
    const { spec, provision: p } = props;
    const at = props.at ?? (<T>(_p: readonly (string | number)[], create: () => T) => create());
    const base = props.projectFromStack ?? '../../..';
    this.jurisdiction = props.jurisdiction;
    const mgmt = p.management.kubeconfig;
    // State of the provisioning stack in the kubernetes backend lives on the management cluster.
    new SovereignBackend(
      this,
      spec.backend.type,
      backendAttributes(
        provisionBackend(spec.backend),
        { ...spec.cluster, api: undefined, kubeconfig: mgmt },
        props.projectFromStack,
      ),
    );
    new KubernetesProvider(this, 'management', {
      configPath: fromStackDir(base, mgmt.path),
      configContext: mgmt.context,
    });

    const os = p.openstack;
    const m3 = p.metal3;
    this.infrastructure =
      p.infrastructure === 'metal3' && m3 !== undefined
        ? at(
            ['cluster', 'provision', 'metal3'],
            () =>
              new Metal3Infrastructure({
                controlPlaneEndpoint: m3.controlPlaneEndpoint,
                image: m3.image,
                hostsNamespace: p.namespace,
              }),
          )
        : at(['cluster', 'provision', 'openstack'], () => {
            // validate refuses a spec without them; a construct caller gets the same words.
            if (os === undefined || p.network.nodes === undefined)
              throw new Error('cluster.provision: openstack and network.nodes are required with OpenStack');
            return new OpenStackInfrastructure({
              authUrl: os.authUrl,
              identity: { secretName: os.identity.secret, cloudName: os.identity.cloudName },
              imageName: os.image,
              externalNetworkId: os.externalNetworkId,
              dnsNameservers: os.dnsNameservers,
              nodeCidr: p.network.nodes,
            });
          });

    const pools: ClusterApiPool[] = Object.entries(p.pools).map(([name, m]) => {
      const gpu = props.gpuPools[name];
      const labels: Record<string, string> = {
        ...m.labels,
        [JURISDICTION_LABEL]: props.jurisdiction,
        ...(gpu ? gpu.nodeLabels : {}),
      };
      const taints = [...m.taints, ...(gpu ? [{ ...GPU_TAINT }] : [])];
      return {
        name,
        machine: { flavor: m.flavor, image: m.image, hostSelector: m.hostSelector, diskImage: m.diskImage },
        replicas: m.replicas,
        autoscaling: m.autoscaling,
        failureDomain: m.failureDomain,
        labels,
        taints,
        gpu: gpu && {
          product: gpu.gpuProduct,
          perMachine: gpu.physicalGpusPerNode,
          resourceName: gpu.resourceName,
          resourcesPerMachine: gpu.gpusPerNode,
        },
      };
    });

    this.cluster = at(
      ['cluster', 'provision'],
      () =>
        new ClusterApiCluster(this, 'cluster', {
          name: p.name ?? props.jurisdiction,
          namespace: p.namespace,
          jurisdiction: props.jurisdiction,
          kubernetesVersion: p.kubernetesVersion,
          ntpServers: p.ntpServers,
          controlPlane: {
            replicas: p.controlPlane.replicas,
            failureDomains: p.controlPlane.failureDomains,
            machine: { flavor: p.controlPlane.flavor, hostSelector: p.controlPlane.hostSelector },
          },
          network: { podCidrs: [p.network.pods], serviceCidrs: [p.network.services] },
          infrastructure: this.infrastructure,
          pools,
        }),
    );

    new TerraformOutput(this, 'cluster_name', {
      value: this.cluster.clusterName,
      description: `Cluster API Cluster of ${props.jurisdiction} on the management cluster`,
    });
    // The management cluster runs the Cluster API release the provider is documented for
    // (Metal3 and OpenStack differ: core/cluster-api-releases.ts).
    const capi = this.cluster.clusterApiRelease;
    new TerraformOutput(this, 'cluster_api_release', {
      value: capi.release,
      description: `Cluster API release the management cluster runs: ${capi.release} or a later ${capi.minor} patch, the newest the infrastructure provider (${this.infrastructure.provider}) is documented for (Cluster API ${describeClusterApiRange(this.infrastructure.clusterApi)})`,
    });
    new TerraformOutput(this, 'cluster_kubeconfig_secret', {
      value: `${this.cluster.namespace}/${this.cluster.kubeconfigSecretName}`,
      description: `Secret (namespace/name, key "value") holding the new cluster's kubeconfig, context ${this.cluster.kubeconfigContext}; write it to cluster.kubeconfig.path before applying ${props.jurisdiction}`,
    });

    const sov = spec.sovereignty;
    const profile = PROFILES[spec.profile];
    this.metadata = {
      schemaVersion: METADATA_SCHEMA_VERSION,
      toolkitVersion: props.toolkitVersion,
      jurisdiction: props.jurisdiction,
      profile: spec.profile,
      packs: profile.packs,
      strict: profile.strict,
      allowed: {
        ...sovereigntyAllowList(sov),
        serviceTypes: [],
      },
      // The spec's suppressions name the serving stack's resources; here they would match nothing.
      suppressions: [],
      models: [],
      pools: [],
    };
    new SovereignRecord(this, this.metadata);
    const lockfile = spec.backend.type === 's3' && spec.backend.useLockfile;
    new RequiredProviders(this, sov.providerRegistry, lockfile ? '>= 1.10' : undefined);
  }
}
