import { PersistentVolumeClaimV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1';
import { PersistentVolumeV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-v1';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { type Problem, throwIfProblems } from '../core/errors';
import { recommendedLabels } from '../core/labels';
import { checkDnsLabel, checkDnsSubdomain, checkPositiveInt, problems } from './private/validate';
import { manifestPathProblem } from './weights-manifest';

/**
 * A volume that holds model weights, one directory per model and revision
 * (`<rootPath>/<model>/<revision>/`). Implemented by ModelWeightStore; a user who brings their own
 * PersistentVolumeClaim implements it to use ModelWeights with it.
 */
export interface IModelWeightStore {
  /** Name of the PersistentVolumeClaim. */
  readonly claimName: string;
  /** Namespace of the claim; weight Jobs and servers run here. */
  readonly namespace: string;
  /** Jurisdiction label value of every object created for it. */
  readonly jurisdiction: string;
  /** Directory under the volume root that holds the models (`models`). */
  readonly rootPath: string;
  /** Resource to depend on before a Job mounts the claim (the claim itself). */
  readonly dependable?: ITerraformDependable;
}

/** Access modes a weight volume may use. */
export type WeightStoreAccessMode = 'ReadWriteMany' | 'ReadWriteOnce' | 'ReadWriteOncePod';

export interface ModelWeightStoreProps {
  /** Namespace of the claim (a DNS label); the weight Jobs and the servers run here too. */
  readonly namespace: string;
  /** Jurisdiction label value. */
  readonly jurisdiction: string;
  /**
   * StorageClass of the claim: one the jurisdiction operates (an in-country NFS, CephFS, …).
   * Required, never the cluster default, so the claim never lands on storage nobody declared.
   * @see https://kubernetes.io/docs/concepts/storage/storage-classes/
   */
  readonly storageClassName: string;
  /** Requested capacity in GiB; leave room for the next revision beside the current one. */
  readonly sizeGiB: number;
  /**
   * Name of the PersistentVolumeClaim (a DNS label).
   * @default 'model-weights'
   */
  readonly claimName?: string;
  /**
   * Access mode. ReadWriteMany lets every replica on every node mount the weights; use
   * ReadWriteOnce only when all servers of the models on it run on one node.
   * @default 'ReadWriteMany'
   * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/#access-modes
   */
  readonly accessMode?: WeightStoreAccessMode;
  /**
   * Directory under the volume root that holds the models.
   * @default 'models'
   */
  readonly rootPath?: string;
  /**
   * Wait for the claim to be bound when Terraform creates it. Off by default: with a
   * `WaitForFirstConsumer` StorageClass the claim binds only once the weight Job mounts it, and
   * waiting would dead-lock until the timeout.
   * @default false
   * @see https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs/resources/persistent_volume_claim_v1#wait_until_bound
   */
  readonly waitUntilBound?: boolean;
  /**
   * A local PersistentVolume on one node's disk, pre-seeded with the weights (docs/weights.md):
   * the volume (`local.path` on `node`, storageClassName, capacity sizeGiB, Retain) and a claim
   * bound to it by name are created. Pods that mount it are scheduled onto that node.
   * @see https://kubernetes.io/docs/concepts/storage/volumes/#local
   */
  readonly localVolume?: { readonly node: string; readonly path: string };
}

/**
 * A PersistentVolumeClaim on an in-jurisdiction StorageClass that holds pinned model weights.
 * `ModelWeights` fills and verifies one directory on it per model; servers mount that directory
 * read-only.
 */
export class ModelWeightStore extends Construct implements IModelWeightStore {
  public readonly claimName: string;
  public readonly namespace: string;
  public readonly jurisdiction: string;
  public readonly rootPath: string;
  public readonly storageClassName: string;
  public readonly sizeGiB: number;
  public readonly accessMode: WeightStoreAccessMode;
  public readonly waitUntilBound: boolean;
  public readonly claim: PersistentVolumeClaimV1;
  /** The local volume, when `localVolume` is given. */
  public readonly volume?: PersistentVolumeV1;
  public readonly dependable: ITerraformDependable;

  constructor(scope: Construct, id: string, props: ModelWeightStoreProps) {
    super(scope, id);
    this.claimName = props.claimName ?? 'model-weights';
    this.namespace = props.namespace;
    this.jurisdiction = props.jurisdiction;
    this.rootPath = props.rootPath ?? 'models';
    this.storageClassName = props.storageClassName;
    this.sizeGiB = props.sizeGiB;
    this.accessMode = props.accessMode ?? 'ReadWriteMany';
    this.waitUntilBound = props.waitUntilBound ?? false;

    const found: Problem[] = problems(
      checkDnsLabel('namespace', this.namespace),
      checkDnsLabel('claimName', this.claimName),
      checkDnsLabel('jurisdiction', this.jurisdiction),
      checkDnsSubdomain('storageClassName', this.storageClassName),
      checkPositiveInt('sizeGiB', this.sizeGiB, 1024 * 1024),
      ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'].includes(this.accessMode)
        ? undefined
        : {
            path: 'accessMode',
            message: `"${this.accessMode}" is not allowed: use ReadWriteMany, ReadWriteOnce or ReadWriteOncePod`,
          },
    );
    if (props.localVolume) {
      const n = checkDnsSubdomain('localVolume.node', props.localVolume.node);
      if (n) found.push(n);
      if (!/^\/[^\s]*$/.test(props.localVolume.path) || props.localVolume.path.split('/').includes('..')) {
        found.push({
          path: 'localVolume.path',
          message: `"${props.localVolume.path}" must be an absolute path without ..`,
        });
      }
    }
    const rootProblem = manifestPathProblem(this.rootPath);
    if (rootProblem) found.push({ path: 'rootPath', message: rootProblem });
    throwIfProblems(`ModelWeightStore ${id}`, found);

    const labels = recommendedLabels({
      name: 'model-weight-store',
      instance: this.claimName,
      component: 'weights-store',
      jurisdiction: this.jurisdiction,
    });
    if (props.localVolume) {
      // @see https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs/resources/persistent_volume_v1
      // A local volume must name its node (Kubernetes requires nodeAffinity for `local`).
      this.volume = new PersistentVolumeV1(this, 'volume', {
        metadata: { name: `${this.namespace}-${this.claimName}`, labels },
        spec: [
          {
            capacity: { storage: `${this.sizeGiB}Gi` },
            accessModes: [this.accessMode],
            persistentVolumeReclaimPolicy: 'Retain',
            storageClassName: this.storageClassName,
            volumeMode: 'Filesystem',
            persistentVolumeSource: { local: { path: props.localVolume.path } },
            nodeAffinity: {
              required: {
                nodeSelectorTerm: [
                  {
                    matchExpressions: [
                      { key: 'kubernetes.io/hostname', operator: 'In', values: [props.localVolume.node] },
                    ],
                  },
                ],
              },
            },
          },
        ],
      });
    }
    // @see https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs/resources/persistent_volume_claim_v1
    this.claim = new PersistentVolumeClaimV1(this, 'claim', {
      metadata: {
        name: this.claimName,
        namespace: this.namespace,
        labels: recommendedLabels({
          name: 'model-weight-store',
          instance: this.claimName,
          component: 'weights-store',
          jurisdiction: this.jurisdiction,
        }),
      },
      spec: {
        accessModes: [this.accessMode],
        storageClassName: this.storageClassName,
        resources: { requests: { storage: `${this.sizeGiB}Gi` } },
        ...(this.volume ? { volumeName: this.volume.metadata.name } : {}),
      },
      waitUntilBound: this.waitUntilBound,
      ...(this.volume ? { dependsOn: [this.volume] } : {}),
    });
    this.dependable = this.claim;
  }
}
