import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { GpuNodePool, type GpuNodePoolProps } from '../../constructs/gpu-node-pool';
import type { IGpuPool } from '../../constructs/interfaces';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BASE: GpuNodePoolProps = {
  jurisdiction: 'de',
  poolName: 'h100',
  nodes: ['gpu-01', 'gpu-02.rack1'],
  gpuProduct: 'NVIDIA-H100-80GB-HBM3',
  gpusPerNode: 8,
};

function build(props: Partial<GpuNodePoolProps> = {}): { pool: GpuNodePool; out: Json } {
  let pool: GpuNodePool | undefined;
  const out = JSON.parse(
    Testing.synthScope((scope) => {
      pool = new GpuNodePool(scope, 'pool', { ...BASE, ...props });
    }),
  );
  return { pool: pool as GpuNodePool, out };
}

function thrown(props: Partial<GpuNodePoolProps>): string {
  try {
    build(props);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('GpuNodePool', () => {
  test('labels and taints every named node with server-side apply', () => {
    const { out } = build();
    const labels = Object.values<Json>(out.resource.kubernetes_labels);
    expect(labels.map((l) => l.metadata.name)).toEqual(['gpu-01', 'gpu-02.rack1']);
    expect(labels[0]).toEqual({
      api_version: 'v1',
      field_manager: 'sovereign-stack',
      force: true,
      kind: 'Node',
      labels: { 'sovereign-stack.io/gpu-pool': 'h100', 'sovereign-stack.io/jurisdiction': 'de' },
      metadata: { name: 'gpu-01' },
    });
    const taints = Object.values<Json>(out.resource.kubernetes_node_taint);
    expect(taints.map((t) => t.metadata.name)).toEqual(['gpu-01', 'gpu-02.rack1']);
    expect(taints[1]).toEqual({
      field_manager: 'sovereign-stack',
      force: true,
      metadata: { name: 'gpu-02.rack1' },
      taint: [{ effect: 'NoSchedule', key: 'nvidia.com/gpu', value: 'present' }],
    });
  });

  test('without sharing: whole GPUs as nvidia.com/gpu; implements IGpuPool', () => {
    const { pool } = build();
    const p: IGpuPool = pool;
    expect({
      poolName: p.poolName,
      gpuProduct: p.gpuProduct,
      gpusPerNode: p.gpusPerNode,
      gpuMemoryGiB: p.gpuMemoryGiB,
      nodeCount: p.nodeCount,
      resourceName: p.resourceName,
      nodeSelector: p.nodeSelector,
      tolerations: p.tolerations,
    }).toEqual({
      poolName: 'h100',
      gpuProduct: 'NVIDIA-H100-80GB-HBM3',
      gpusPerNode: 8,
      // 81559 MiB, as the driver reports an H100 80GB HBM3 (constructs/gpu-products.ts)
      gpuMemoryGiB: 81559 / 1024,
      nodeCount: 2,
      resourceName: 'nvidia.com/gpu',
      nodeSelector: { 'sovereign-stack.io/gpu-pool': 'h100' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    });
    expect(p.dependables).toHaveLength(4);
    expect(p.productAffinity).toEqual({ key: 'nvidia.com/gpu.product', values: ['NVIDIA-H100-80GB-HBM3'] });
    expect(p.maxGpusPerPod).toBeUndefined();
    expect(pool.devicePluginConfig).toBeUndefined();
    expect(pool.migConfig).toBeUndefined();
  });

  test('time-slicing: shared count of nvidia.com/gpu, device plugin config picked by node label', () => {
    const { pool, out } = build({
      poolName: 'l40s',
      gpuProduct: 'NVIDIA-L40S',
      gpusPerNode: 4,
      sharing: { mode: 'time-slicing', replicasPerGpu: 4 },
    });
    // An L40S has 46068 MiB (44.99 GiB), not 48: each of four shares gets a quarter of that.
    expect([pool.resourceName, pool.gpusPerNode, pool.gpuMemoryGiB, pool.physicalGpusPerNode]).toEqual([
      'nvidia.com/gpu',
      16,
      46068 / 1024 / 4,
      4,
    ]);
    expect(pool.visibleGpuMemoryGiB).toBe(46068 / 1024);
    // GFD appends -SHARED to the product of time-sliced nodes (renameByDefault false).
    expect(pool.productAffinity.values).toEqual(['NVIDIA-L40S-SHARED']);
    expect(pool.devicePluginConfig?.name).toBe('pool-l40s');
    expect(parse(pool.devicePluginConfig?.yaml as string)).toEqual({
      version: 'v1',
      flags: { migStrategy: 'none' },
      sharing: {
        timeSlicing: {
          failRequestsGreaterThanOne: true,
          renameByDefault: false,
          resources: [{ name: 'nvidia.com/gpu', replicas: 4 }],
        },
      },
    });
    expect(Object.values<Json>(out.resource.kubernetes_labels)[0].labels).toEqual({
      'nvidia.com/device-plugin.config': 'pool-l40s',
      'sovereign-stack.io/gpu-pool': 'l40s',
      'sovereign-stack.io/jurisdiction': 'de',
    });
  });

  test('MIG mixed: nvidia.com/mig-<profile>, instances per node, mig-parted config by node label', () => {
    const { pool, out } = build({
      poolName: 'a100',
      gpuProduct: 'NVIDIA-A100-SXM4-80GB',
      gpusPerNode: 4,
      sharing: { mode: 'mig', strategy: 'mixed', profile: '1g.10gb' },
    });
    // 9728 MiB per 1g.10gb slice of an A100 80GB (GFD nvidia.com/mig-1g.10gb.memory), not 10 GiB.
    expect([pool.resourceName, pool.gpusPerNode, pool.gpuMemoryGiB, pool.maxGpusPerPod]).toEqual([
      'nvidia.com/mig-1g.10gb',
      28,
      9.5,
      1,
    ]);
    // Under the mixed strategy GFD keeps the physical product in nvidia.com/gpu.product.
    expect(pool.productAffinity.values).toEqual(['NVIDIA-A100-SXM4-80GB']);
    expect(pool.migProfile).toBe('1g.10gb');
    expect(pool.migConfig).toEqual({
      name: 'pool-a100',
      devices: [{ devices: 'all', 'mig-enabled': true, 'mig-devices': { '1g.10gb': 7 } }],
    });
    expect(parse(pool.devicePluginConfig?.yaml as string)).toEqual({
      version: 'v1',
      flags: { migStrategy: 'mixed' },
    });
    expect(Object.values<Json>(out.resource.kubernetes_labels)[0].labels).toEqual({
      'nvidia.com/device-plugin.config': 'pool-a100',
      'nvidia.com/mig.config': 'pool-a100',
      'sovereign-stack.io/gpu-pool': 'a100',
      'sovereign-stack.io/jurisdiction': 'de',
    });
  });

  test('MIG single: instances exposed as nvidia.com/gpu', () => {
    const { pool } = build({
      gpuProduct: 'NVIDIA-H200',
      sharing: { mode: 'mig', strategy: 'single', profile: '3g.71gb' },
    });
    // No published slice figure for the H200: half of 143771 MiB less 2 %, rounded down to 64 MiB.
    expect([pool.resourceName, pool.gpusPerNode, pool.gpuMemoryGiB]).toEqual([
      'nvidia.com/gpu',
      16,
      70400 / 1024,
    ]);
    expect(pool.memoryEstimated).toBe(true);
    // Under the single strategy GFD appends the profile to nvidia.com/gpu.product.
    expect(pool.productAffinity.values).toEqual(['NVIDIA-H200-MIG-3g.71gb']);
  });

  test('fails when MIG is asked of a product without MIG', () => {
    expect(
      thrown({
        gpuProduct: 'NVIDIA-L40S',
        sharing: { mode: 'mig', strategy: 'single', profile: '1g.10gb' },
      }),
    ).toContain(
      'sharing.mode  NVIDIA-L40S has no MIG profiles in the GPU table: MIG is planned for NVIDIA-A100-SXM4-40GB',
    );
  });

  test('fails when the MIG profile does not exist for the product and memory', () => {
    const msg = thrown({ sharing: { mode: 'mig', strategy: 'mixed', profile: '3g.20gb' } });
    expect(msg).toContain(
      'sharing.profile  "3g.20gb" is not a MIG profile of NVIDIA-H100-80GB-HBM3: use one of 1g.10gb, 1g.20gb',
    );
  });

  test('fails when a stated memory disagrees with the GPU table, naming the real figure', () => {
    expect(thrown({ gpuMemoryGiB: 80 })).toContain(
      'gpuMemoryGiB  80 GiB disagrees with NVIDIA-H100-80GB-HBM3: the driver reports 81559 MiB = 79.65 GiB; leave gpuMemoryGiB out (the known figure is used) or give 79.65',
    );
    expect(thrown({ gpuMemoryGiB: 40 })).toContain('40 GiB disagrees with NVIDIA-H100-80GB-HBM3');
    // The table's figure, written as nvidia-smi's MiB ÷ 1024 rounded, is accepted.
    expect(build({ gpuMemoryGiB: 79.65 }).pool.gpuMemoryGiB).toBe(81559 / 1024);
  });

  test('a product outside the table needs its memory, and then plans with it', () => {
    expect(thrown({ gpuProduct: 'NVIDIA-RTX-PRO-6000' })).toContain(
      'gpuMemoryGiB  NVIDIA-RTX-PRO-6000 is not in the GPU table',
    );
    const { pool } = build({ gpuProduct: 'NVIDIA-RTX-PRO-6000', gpuMemoryGiB: 94.97 });
    expect([pool.gpuMemoryGiB, pool.productAffinity.values]).toEqual([94.97, ['NVIDIA-RTX-PRO-6000']]);
  });

  test('fails when there are no nodes', () => {
    expect(thrown({ nodes: [] })).toContain(
      'GpuNodePool pool: 1 invalid prop\nnodes  no nodes: a pool needs at least one existing node',
    );
  });

  test('fails when a node is listed twice or a name is invalid, reporting every problem', () => {
    const msg = thrown({ nodes: ['gpu-01', 'gpu-01', 'GPU_02'], gpusPerNode: 0, poolName: 'H100' });
    expect(msg).toContain('GpuNodePool pool: 4 invalid props');
    expect(msg).toContain('nodes[1]  "gpu-01" is listed twice');
    expect(msg).toContain('nodes[2]  "GPU_02" is not a valid name');
    expect(msg).toContain('gpusPerNode  0 is not allowed: use a whole number from 1 to 16');
    expect(msg).toContain('poolName  "H100" is not a valid name');
  });

  test('fails when time-slicing has fewer than 2 replicas', () => {
    expect(thrown({ sharing: { mode: 'time-slicing', replicasPerGpu: 1 } })).toContain(
      'sharing.replicasPerGpu  1 is not allowed: use a whole number from 2 to 64',
    );
  });

  test('fails when the product is not a label value', () => {
    expect(thrown({ gpuProduct: 'NVIDIA H100' })).toContain(
      'gpuProduct  "NVIDIA H100" is not a valid label value',
    );
  });
});
