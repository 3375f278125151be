/**
 * A named set of existing CPU nodes (an edge site) for CPU-only servers: the nodes named are
 * labelled with the pool (server-side apply, field manager `sovereign-stack`) and selected by
 * that label, or nodes already labelled are selected as they are; the taints they carry are
 * tolerated. Nothing else on the nodes is changed.
 */
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { Labels } from '@cdktf/provider-kubernetes/lib/labels';
import { LABEL_CPU_POOL } from '../core/annotations';
import { throwIfProblems } from '../core/errors';
import { FIELD_MANAGER } from './gpu-node-pool';
import type { INodePlacement, PodToleration } from './interfaces';
import { JURISDICTION_LABEL } from '../core/labels';
import { cpuPoolProblems, type CpuPoolInput } from './private/pool-checks';

export type CpuNodePoolProps = CpuPoolInput;

export class CpuNodePool extends Construct implements INodePlacement {
  public readonly poolName: string;
  public readonly nodes: readonly string[];
  public readonly nodeSelector: Readonly<Record<string, string>>;
  public readonly tolerations: readonly PodToleration[];
  private readonly _dependables: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: CpuNodePoolProps) {
    super(scope, id);
    throwIfProblems(`CpuNodePool ${id}`, cpuPoolProblems(props));
    this.poolName = props.poolName;
    this.nodes = [...(props.nodes ?? [])];
    this.nodeSelector =
      props.nodes !== undefined ? { [LABEL_CPU_POOL]: props.poolName } : { ...(props.nodeSelector ?? {}) };
    // A toleration per taint: `Equal` when the taint's value is known, else `Exists`.
    this.tolerations = (props.taints ?? []).map((t) =>
      t.value !== undefined
        ? { key: t.key, operator: 'Equal' as const, value: t.value, effect: t.effect }
        : { key: t.key, operator: 'Exists' as const, effect: t.effect },
    );
    for (const node of this.nodes) {
      this._dependables.push(
        new Labels(this, `labels-${node}`, {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name: node },
          labels: { [LABEL_CPU_POOL]: props.poolName, [JURISDICTION_LABEL]: props.jurisdiction },
          fieldManager: FIELD_MANAGER,
        }),
      );
    }
  }

  /** The node labels, when this pool applies them. */
  public get dependables(): readonly ITerraformDependable[] {
    return [...this._dependables];
  }
}
