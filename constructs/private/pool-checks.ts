/** Prop checks of the node pools, pure so `sovereign validate` runs them without cdktf. */
import type { Problem } from '../../core/errors';
import { checkDnsLabel, checkDnsSubdomain, checkLabelValue } from './validate';

export interface CpuPoolInput {
  readonly jurisdiction: string;
  /** Pool name (a DNS label of at most 63 characters). */
  readonly poolName: string;
  /** Existing nodes, labelled `sovereign-stack.io/cpu-pool: <poolName>`. */
  readonly nodes?: readonly string[];
  /** Labels the nodes already carry. Exactly one of nodes or nodeSelector. */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** Taints the nodes carry; the servers tolerate them. */
  readonly taints?: readonly {
    readonly key: string;
    readonly value?: string;
    readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  }[];
}

export function cpuPoolProblems(p: CpuPoolInput): Problem[] {
  const out: Problem[] = [];
  const push = (x: Problem | undefined) => {
    if (x) out.push(x);
  };
  push(checkDnsLabel('jurisdiction', p.jurisdiction));
  push(checkDnsLabel('poolName', p.poolName));
  if ((p.nodes === undefined) === (p.nodeSelector === undefined)) {
    out.push({
      path: 'nodes',
      message:
        'give exactly one of nodes (names of existing nodes, labelled by the pool) or nodeSelector (labels they already carry)',
    });
  }
  if (p.nodeSelector !== undefined && Object.keys(p.nodeSelector).length === 0) {
    out.push({
      path: 'nodeSelector',
      message: 'an empty selector would select every node: give at least one label',
    });
  }
  for (const [k, v] of Object.entries(p.nodeSelector ?? {})) push(checkLabelValue(`nodeSelector.${k}`, v));
  const seen = new Set<string>();
  (p.nodes ?? []).forEach((n, i) => {
    push(checkDnsSubdomain(`nodes[${i}]`, n));
    if (seen.has(n)) out.push({ path: `nodes[${i}]`, message: `"${n}" is listed twice` });
    seen.add(n);
  });
  return out;
}
