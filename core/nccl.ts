/**
 * NCCL environment variables a pool may set for serving across nodes, as data. Import-free: the
 * spec schema reads it. Every name is a variable NCCL documents in its user guide,
 * "Environment Variables" (docs.nvidia.com/deeplearning/nccl/user-guide/docs/env.html, the
 * 2.23/2.24 pages: section "System configuration", and NCCL_DEBUG from "Debugging"), with what
 * it selects. Variables that load code (NCCL_NET_PLUGIN, NCCL_TUNER_PLUGIN), write files
 * (NCCL_DEBUG_FILE, NCCL_TOPO_DUMP_FILE) or read a configuration file (NCCL_CONF_FILE) are not
 * offered.
 */
export const NCCL_ENV: Readonly<Record<string, string>> = {
  NCCL_SOCKET_IFNAME:
    'IP interfaces NCCL uses for bootstrap and socket transport (prefix list, ^ excludes, = exact)',
  NCCL_SOCKET_FAMILY: 'AF_INET or AF_INET6 for the socket interfaces',
  NCCL_IB_HCA: 'InfiniBand / RoCE adapters (and ports) NCCL uses, e.g. mlx5_0:1,mlx5_1:1',
  NCCL_IB_DISABLE: '1 stops NCCL from using InfiniBand / RoCE (falls back to sockets)',
  NCCL_IB_GID_INDEX: 'Global ID index of the RoCE port (RoCE v2 usually needs it)',
  NCCL_IB_ROCE_VERSION_NUM: 'RoCE version when the GID index is detected',
  NCCL_IB_ADDR_FAMILY: 'AF_INET or AF_INET6 for RoCE GID selection',
  NCCL_IB_SL: 'InfiniBand service level',
  NCCL_IB_TC: 'InfiniBand / RoCE traffic class',
  NCCL_IB_TIMEOUT: 'InfiniBand verbs timeout',
  NCCL_IB_RETRY_CNT: 'InfiniBand verbs retry count',
  NCCL_IB_QPS_PER_CONNECTION: 'queue pairs per connection',
  NCCL_CROSS_NIC: 'whether rings and trees may use different NICs on different nodes',
  NCCL_NET_GDR_LEVEL: 'distance up to which GPUDirect RDMA is used between a NIC and a GPU',
  NCCL_NET_GDR_READ: 'GPUDirect RDMA for sends as well as receives',
  NCCL_P2P_LEVEL: 'distance up to which peer-to-peer transport is used between GPUs of a node',
  NCCL_DEBUG: 'log level (VERSION, WARN, INFO, TRACE)',
};

/** Problems with a pool's NCCL settings: unknown names (with the closest known), bad values. */
export function ncclProblems(
  path: string,
  env: Readonly<Record<string, string>>,
): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (!(k in NCCL_ENV))
      out.push({
        path: `${path}.${k}`,
        message: `"${k}" is not an NCCL variable offered here; use one of ${Object.keys(NCCL_ENV).join(', ')}`,
      });
    else if (typeof v !== 'string' || v.length === 0 || v.length > 256 || /[\s"'`$\\]/.test(v))
      out.push({
        path: `${path}.${k}`,
        message: 'a value is 1–256 characters without spaces, quotes, $ or backslashes',
      });
  }
  return out;
}
