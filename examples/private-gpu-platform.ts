/**
 * A governed GPU platform on one existing private cluster, composed directly in TypeScript
 * (no sovereign.yaml): the cluster baseline, two GPU pools (whole H100s for a large model,
 * A100s partitioned with MIG for small ones) and the NVIDIA GPU Operator from the
 * jurisdiction's mirrors. The `JurisdictionRecord` added last declares what the jurisdiction
 * owns, so `sovereign audit cdktf.out` judges the stack as it judges one made from a spec.
 *
 *   npx tsc -p . && node dist/examples/private-gpu-platform.js   # writes cdktf.out/
 */
import { App, LocalBackend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { GpuNodePool, GpuOperator, PrivateCluster } from '../constructs';
import { JurisdictionRecord } from '../stacks';

export class PrivateGpuPlatformStack extends TerraformStack {
  public readonly cluster: PrivateCluster;
  public readonly operator: GpuOperator;
  public readonly pools: readonly GpuNodePool[];
  public readonly record: JurisdictionRecord;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // State stays with the jurisdiction: an explicit relative path, never cdktf's implicit default.
    new LocalBackend(this, { path: 'terraform.de.tfstate' });

    const jurisdiction = 'de';
    const h100 = new GpuNodePool(this, 'pool-h100', {
      jurisdiction,
      poolName: 'h100',
      nodes: ['gpu-h100-01', 'gpu-h100-02'],
      gpuProduct: 'NVIDIA-H100-80GB-HBM3',
      gpusPerNode: 8,
    });
    const a100 = new GpuNodePool(this, 'pool-a100-mig', {
      jurisdiction,
      poolName: 'a100-mig',
      nodes: ['gpu-a100-01'],
      gpuProduct: 'NVIDIA-A100-SXM4-80GB',
      gpusPerNode: 4,
      sharing: { mode: 'mig', strategy: 'mixed', profile: '3g.40gb' },
    });
    this.pools = [h100, a100];

    this.cluster = new PrivateCluster(this, 'cluster', {
      jurisdiction,
      connection: {
        kind: 'api-server',
        host: 'https://api.k8s.de.example:6443',
        clusterCaCertificateFile: 'certs/de-cluster-ca.pem',
        exec: { command: 'kubelogin', args: ['get-token', '--oidc-issuer-url=https://sso.de.example'] },
      },
      gpuPools: this.pools,
      quota: { requestsCpu: '256', requestsMemory: '2048Gi', limitsMemory: '3072Gi', pods: 200 },
      network: {
        servingPorts: [8000],
        clientNamespaces: ['llm-gateway'],
        clientCidrs: ['10.20.0.0/16'],
        weightSources: [{ cidr: '10.40.0.12/32', port: 443 }],
      },
    });

    this.operator = new GpuOperator(this, 'gpu-operator', {
      cluster: this.cluster,
      chartRepository: 'oci://registry.de.example/charts/nvidia',
      imageRegistry: 'registry.de.example/mirror',
      allowedRegistries: ['registry.de.example'],
      driver: { mode: 'operator' },
      pools: this.pools,
    });

    // Last, so its pinned provider versions replace what the bindings declare.
    this.record = new JurisdictionRecord(this, 'jurisdiction', {
      jurisdiction,
      profile: 'eu-gdpr',
      sovereignty: {
        registries: ['registry.de.example'],
        chartRepositories: ['oci://registry.de.example/charts/nvidia'],
        hosts: ['*.de.example'],
        cidrs: ['10.40.0.12/32'],
      },
      cluster: this.cluster,
      pools: this.pools,
    });
  }
}

if (require.main === module) {
  const app = new App({ outdir: 'cdktf.out' });
  new PrivateGpuPlatformStack(app, 'de');
  app.synth();
}
