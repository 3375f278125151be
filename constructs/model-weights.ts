import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import {
  JobV1,
  type JobV1SpecTemplateSpecContainerEnv,
  type JobV1SpecTemplateSpecContainerVolumeMount,
  type JobV1SpecTemplateSpecVolume,
} from '@cdktf/provider-kubernetes/lib/job-v1';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import {
  ANNOTATION_MANIFEST_SHA256,
  ANNOTATION_MODEL,
  ANNOTATION_MODEL_LICENSE,
  ANNOTATION_MODEL_REVISION,
  ANNOTATION_WEIGHTS_SOURCE,
  COMPONENT_WEIGHTS_MANIFEST,
  COMPONENT_WEIGHTS_SYNC,
} from '../core/annotations';
import { type Problem, throwIfProblems } from '../core/errors';
import type { IModelWeights, PodToleration } from './interfaces';
import type { IModelWeightStore } from './model-weight-store';
import { recommendedLabels, selectorLabels } from '../core/labels';
import {
  checkDnsLabel,
  checkDnsSubdomain,
  checkPinnedImage,
  checkPositiveInt,
  problems,
} from './private/validate';
import { escapeTerraformTemplate, VERIFY_EXIT, VERIFY_WEIGHTS_SCRIPT } from './private/verify-weights-script';
import {
  canonicalManifest,
  checkManifest,
  MAX_MANIFEST_BYTES,
  manifestSha256,
  sortedManifestPaths,
  type WeightsManifestFiles,
} from './weights-manifest';
import type { CaBundleRef, WeightsSource, WeightsSourceEndpoint } from './weights-source';
import { resolveSource } from './private/weights-source';
import { checkKeyName, checkRevision, checkWholeNumber } from './private/weights-checks';

// ------------------------------------------------------------------------------------ props

export interface ModelWeightsProps {
  /** The volume the weights go to. */
  readonly store: IModelWeightStore;
  /** Model name (a DNS label); names the directory, the Job and the ConfigMap. */
  readonly modelName: string;
  /** Pinned revision: a commit hash or tag (`[A-Za-z0-9._-]`, at most 128 characters). */
  readonly revision: string;
  /**
   * The manifest: relative POSIX path → lower-case hex SHA-256 of every file of the revision, as
   * `sovereign weights manifest <dir>` prints it. Exactly these files must end up in the directory.
   */
  readonly files: WeightsManifestFiles;
  /** Where the files are copied from. */
  readonly source: WeightsSource;
  /**
   * Hosts the jurisdiction declares its own: exact names (or IP literals) or `*.suffix`
   * wildcards. An s3 or https source whose host is not listed is refused. Required for those.
   */
  readonly allowedEndpoints?: readonly string[];
  /**
   * Image of the Job, pinned by digest, from the jurisdiction's registry. It must provide `sh`,
   * `sha256sum`, `find`, `awk`, `sort`, `wc`, `cat`, `mkdir`, `mktemp`, `mv`, `rm` (busybox or
   * coreutils) and, for s3 and https sources, `rclone`, called with only these documented flags:
   * `--config /dev/null` (in-memory config), `copy`, `--files-from-raw`, `--no-traverse`,
   * `--transfers`, `--retries`, `--low-level-retries`, `--stats`, `--stats-one-line`,
   * `--stats-log-level`, `--ca-cert`, and the `RCLONE_CONFIG_SRC_*` environment variables.
   * The official rclone image (Alpine with busybox) provides all of these tools; mirror it into
   * the jurisdiction's registry and pin its digest.
   * @see https://rclone.org/docs/  https://rclone.org/filtering/#files-from-raw-read-list-of-source-file-names-without-any-processing
   */
  readonly image: string;
  /**
   * Registry hosts the image may come from.
   * @default any registry with an explicit host
   */
  readonly allowedRegistries?: readonly string[];
  /** Image pull Secrets (names) for the jurisdiction's registry. @default none */
  readonly imagePullSecrets?: readonly string[];
  /**
   * For a single-file model (GGUF, served by llama.cpp): the file inside the directory.
   * @default the only file when the manifest holds exactly one `.gguf` file; otherwise none
   */
  readonly fileName?: string;
  /** The model's licence (SPDX id or name), recorded in annotations and the ML-BOM. @default none */
  readonly license?: string;
  /** CA certificates for the source's TLS, from a ConfigMap in the store's namespace. @default system CAs of the image */
  readonly caBundle?: CaBundleRef;
  /**
   * Allow an `http://` source. The SHA-256 check still protects integrity, but the weights (and,
   * for s3, the signed requests) cross the network in clear. Policy flags it.
   * @default false
   */
  readonly allowPlainHttp?: boolean;
  /**
   * Verify every file on each run, even when the marker records this manifest.
   * @default false: a matching marker ends the Job at once
   */
  readonly alwaysVerify?: boolean;
  /** Files hashed at the same time during verification. @default 2 */
  readonly verifyParallelism?: number;
  /** Files copied at the same time (rclone `--transfers`). @default 4 */
  readonly copyTransfers?: number;
  /**
   * How long the copy and verification may take, in minutes: Terraform's create/update timeout
   * and the Job's activeDeadlineSeconds. 100+ GB at 50 MB/s is about 35 minutes.
   * @default 360
   */
  readonly timeoutMinutes?: number;
  /** Retries of a failed pod for transient (copy, I/O) failures; mismatches fail at once. @default 3 */
  readonly backoffLimit?: number;
  /**
   * Delete the finished Job after this many seconds. Off by default: the Job and its log are
   * the evidence of the verification, and a deleted Job makes Terraform create it again on the
   * next apply (cheap thanks to the marker, but noisy).
   * @default undefined (kept)
   * @see https://github.com/hashicorp/terraform-provider-kubernetes/issues/2531
   */
  readonly ttlSecondsAfterFinished?: number;
  /**
   * Tolerations of the Job's pod: for a store on one node's local disk whose node is tainted
   * (an edge node), the Job must be allowed there to verify the weights in place. @default none
   */
  readonly tolerations?: readonly PodToleration[];
  /** UID and GID the Job runs as (never 0); also the pod's fsGroup. @default 65532 */
  readonly runAsUser?: number;
  /** Memory limit of the Job's container in MiB. @default 1024 */
  readonly memoryLimitMiB?: number;
}

// ------------------------------------------------------------------------------------ construct

/** Mount path of the whole volume inside the Job. */
const VOLUME_MOUNT = '/weights';
const MANIFEST_DIR = '/etc/sovereign/manifest';
const MANIFEST_KEY = 'SHA256SUMS';
const CA_DIR = '/etc/sovereign/ca';
const CONTAINER = 'verify';

/**
 * One pinned model revision on a ModelWeightStore: a ConfigMap holding the manifest and a Job
 * that copies the listed files from an in-jurisdiction source into `<root>/<model>/<revision>/`
 * and verifies the SHA-256 of every file. A missing, extra or changed file fails the Job (and so
 * `terraform apply`) naming the file. On success it writes `<revision dir>.verified` holding the
 * manifest digest beside the directory (so servers never see it); a re-run with the same
 * manifest stops there, a changed manifest verifies again.
 *
 * Servers mount `claimName` + `subPath` read-only and depend on `verification`.
 */
export class ModelWeights extends Construct implements IModelWeights {
  public readonly modelName: string;
  public readonly namespace: string;
  public readonly claimName: string;
  public readonly subPath: string;
  public readonly fileName?: string;
  public readonly revision: string;
  public readonly manifestSha256: string;
  public readonly verification: ITerraformDependable;

  /** The manifest, keys in canonical order. */
  public readonly files: WeightsManifestFiles;
  /** The canonical manifest text (sha256sum lines) held by the ConfigMap. */
  public readonly manifestText: string;
  public readonly sourceKind: WeightsSource['kind'];
  /** The source as a URL (`https://s3.de.example/bucket/prefix`) or volume path (`pvc://claim/sub/path`). */
  public readonly sourceUrl: string;
  /**
   * The endpoint the Job must reach, for an egress NetworkPolicy (with DNS); undefined for a
   * volume source, which needs no egress at all.
   */
  public readonly sourceEndpoint?: WeightsSourceEndpoint;
  /** Labels that select the Job's pod, for that NetworkPolicy's podSelector. */
  public readonly podSelector: Readonly<Record<string, string>>;
  /** Marker file, relative to the volume root. */
  public readonly markerPath: string;
  public readonly image: string;
  public readonly jobName: string;
  public readonly configMapName: string;
  public readonly timeoutMinutes: number;
  public readonly backoffLimit: number;
  public readonly verifyParallelism: number;
  public readonly copyTransfers: number;
  public readonly runAsUser: number;
  public readonly alwaysVerify: boolean;
  public readonly allowPlainHttp: boolean;
  public readonly license?: string;
  public readonly job: JobV1;
  public readonly configMap: ConfigMapV1;

  constructor(scope: Construct, id: string, props: ModelWeightsProps) {
    super(scope, id);
    const store = props.store;
    this.modelName = props.modelName;
    this.revision = props.revision;
    this.namespace = store.namespace;
    this.claimName = store.claimName;
    this.image = props.image;
    this.license = props.license;
    this.timeoutMinutes = props.timeoutMinutes ?? 360;
    this.backoffLimit = props.backoffLimit ?? 3;
    this.verifyParallelism = props.verifyParallelism ?? 2;
    this.copyTransfers = props.copyTransfers ?? 4;
    this.runAsUser = props.runAsUser ?? 65532;
    this.alwaysVerify = props.alwaysVerify ?? false;
    this.allowPlainHttp = props.allowPlainHttp ?? false;
    this.sourceKind = props.source?.kind;

    // ---- validate everything, then throw once
    const found: Problem[] = problems(
      checkDnsLabel('modelName', String(this.modelName ?? '')),
      checkRevision(this.revision),
      checkPinnedImage('image', String(this.image ?? ''), props.allowedRegistries),
      checkPositiveInt('timeoutMinutes', this.timeoutMinutes, 7 * 24 * 60),
      checkPositiveInt('verifyParallelism', this.verifyParallelism, 64),
      checkPositiveInt('copyTransfers', this.copyTransfers, 64),
      checkPositiveInt('runAsUser', this.runAsUser, 2 ** 31 - 1),
      checkPositiveInt('memoryLimitMiB', props.memoryLimitMiB ?? 1024, 1024 * 1024),
      checkWholeNumber('backoffLimit', this.backoffLimit, 0, 100),
      props.ttlSecondsAfterFinished === undefined
        ? undefined
        : checkWholeNumber('ttlSecondsAfterFinished', props.ttlSecondsAfterFinished, 0, 2 ** 31 - 1),
      props.license !== undefined && props.license.trim() === ''
        ? { path: 'license', message: 'the licence is empty: give an SPDX id or a name, or leave it out' }
        : undefined,
    );
    found.push(...checkManifest('files', props.files));
    for (const [i, s] of (props.imagePullSecrets ?? []).entries()) {
      const p = checkDnsSubdomain(`imagePullSecrets[${i}]`, s);
      if (p) found.push(p);
    }
    if (props.caBundle) {
      const p = checkDnsSubdomain('caBundle.configMapName', props.caBundle.configMapName);
      if (p) found.push(p);
      const k = checkKeyName('caBundle.key', props.caBundle.key ?? 'ca.crt');
      if (k) found.push(k);
      if (props.source?.kind === 'volume') {
        found.push({ path: 'caBundle', message: 'a volume source makes no connection: leave caBundle out' });
      }
    }

    const files = props.files ?? {};
    const fileName =
      props.fileName ??
      (Object.keys(files).length === 1 && Object.keys(files)[0].endsWith('.gguf')
        ? Object.keys(files)[0]
        : undefined);
    if (props.fileName !== undefined && !Object.prototype.hasOwnProperty.call(files, props.fileName)) {
      found.push({
        path: 'fileName',
        message: `"${props.fileName}" is not in the manifest: name one of its files`,
      });
    }

    const defaultSubPath = `${store.rootPath}/${this.modelName}/${this.revision}`;
    const src = resolveSource(props, defaultSubPath, store.claimName, found);
    this.subPath = src.subPath;
    this.fileName = fileName;
    this.sourceUrl = src.url;
    this.sourceEndpoint = src.endpoint;

    const canonical = found.some((p) => p.path.startsWith('files')) ? '' : canonicalManifest(files);
    if (Buffer.byteLength(canonical, 'utf8') > MAX_MANIFEST_BYTES) {
      found.push({
        path: 'files',
        message: `the manifest is ${Buffer.byteLength(canonical, 'utf8')} bytes; a ConfigMap holds at most ${MAX_MANIFEST_BYTES} here`,
      });
    }
    throwIfProblems(`ModelWeights ${id}`, found);

    // ---- resolved values
    this.files = Object.fromEntries(sortedManifestPaths(files).map((p) => [p, files[p]]));
    this.manifestText = canonical;
    this.manifestSha256 = manifestSha256(files);
    this.markerPath = `${this.subPath}.verified`;
    const short = this.manifestSha256.slice(0, 8);
    const base = this.modelName.slice(0, 45).replace(/-+$/, '');
    // Names carry the manifest digest: a new manifest is a new ConfigMap and a new Job.
    this.jobName = `${base}-weights-${short}`;
    this.configMapName = `${base}-manifest-${short}`;

    const labelInput = {
      name: 'model-weights',
      instance: this.modelName,
      version: this.revision,
      jurisdiction: store.jurisdiction,
    };
    const annotations: Record<string, string> = {
      [ANNOTATION_MANIFEST_SHA256]: this.manifestSha256,
      [ANNOTATION_MODEL]: this.modelName,
      ...(this.license !== undefined ? { [ANNOTATION_MODEL_LICENSE]: this.license } : {}),
      [ANNOTATION_MODEL_REVISION]: this.revision,
    };
    const jobAnnotations = sortKeys({ ...annotations, [ANNOTATION_WEIGHTS_SOURCE]: this.sourceUrl });
    const podLabels = recommendedLabels({ ...labelInput, component: COMPONENT_WEIGHTS_SYNC });
    this.podSelector = {
      'app.kubernetes.io/component': COMPONENT_WEIGHTS_SYNC,
      ...selectorLabels({ ...labelInput, component: COMPONENT_WEIGHTS_SYNC }),
    };

    // ---- the manifest
    // @see https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs/resources/config_map_v1
    this.configMap = new ConfigMapV1(this, 'manifest', {
      metadata: {
        name: this.configMapName,
        namespace: this.namespace,
        labels: recommendedLabels({ ...labelInput, component: COMPONENT_WEIGHTS_MANIFEST }),
        annotations: sortKeys(annotations),
      },
      data: { [MANIFEST_KEY]: this.manifestText },
      immutable: true,
    });

    // ---- the Job
    const env: JobV1SpecTemplateSpecContainerEnv[] = [
      { name: 'HOME', value: '/tmp' },
      { name: 'TMPDIR', value: '/tmp' },
      { name: 'MANIFEST', value: `${MANIFEST_DIR}/${MANIFEST_KEY}` },
      { name: 'MANIFEST_SHA256', value: this.manifestSha256 },
      { name: 'WEIGHTS_DIR', value: `${VOLUME_MOUNT}/${this.subPath}` },
      { name: 'MARKER', value: `${VOLUME_MOUNT}/${this.markerPath}` },
      { name: 'SOURCE_KIND', value: this.sourceKind },
      { name: 'SOURCE', value: this.sourceUrl },
      { name: 'VERIFY_JOBS', value: String(this.verifyParallelism) },
      { name: 'ALWAYS_VERIFY', value: String(this.alwaysVerify) },
      ...src.env,
    ];
    if (src.env.length > 0) env.push({ name: 'COPY_TRANSFERS', value: String(this.copyTransfers) });
    const mounts: JobV1SpecTemplateSpecContainerVolumeMount[] = [
      { name: 'weights', mountPath: VOLUME_MOUNT },
      { name: 'manifest', mountPath: MANIFEST_DIR, readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ];
    // ConfigMap volume modes are octal strings in the provider schema.
    const volumes: JobV1SpecTemplateSpecVolume[] = [
      { name: 'weights', persistentVolumeClaim: { claimName: this.claimName } },
      {
        name: 'manifest',
        configMap: {
          name: this.configMapName,
          defaultMode: '0444',
          items: [{ key: MANIFEST_KEY, path: MANIFEST_KEY }],
        },
      },
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
    ];
    if (props.caBundle) {
      const key = props.caBundle.key ?? 'ca.crt';
      env.push({ name: 'CA_CERT', value: `${CA_DIR}/ca.crt` });
      mounts.push({ name: 'ca', mountPath: CA_DIR, readOnly: true });
      volumes.push({
        name: 'ca',
        configMap: {
          name: props.caBundle.configMapName,
          defaultMode: '0444',
          items: [{ key, path: 'ca.crt' }],
        },
      });
    }
    const uid = String(this.runAsUser);

    // @see https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs/resources/job_v1
    // @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
    this.job = new JobV1(this, 'job', {
      metadata: {
        name: this.jobName,
        namespace: this.namespace,
        labels: podLabels,
        annotations: jobAnnotations,
      },
      spec: {
        backoffLimit: this.backoffLimit,
        activeDeadlineSeconds: this.timeoutMinutes * 60,
        ...(props.ttlSecondsAfterFinished !== undefined
          ? { ttlSecondsAfterFinished: String(props.ttlSecondsAfterFinished) }
          : {}),
        // A mismatch or a bad configuration fails the Job at once; only copy/I/O failures retry.
        // @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-failure-policy
        podFailurePolicy: {
          rule: [
            {
              action: 'FailJob',
              onExitCodes: {
                containerName: CONTAINER,
                operator: 'In',
                values: [VERIFY_EXIT.config, VERIFY_EXIT.mismatch],
              },
            },
          ],
        },
        template: {
          metadata: { labels: podLabels, annotations: jobAnnotations },
          spec: {
            restartPolicy: 'Never',
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            ...(props.tolerations && props.tolerations.length > 0
              ? {
                  toleration: props.tolerations.map((t) => ({
                    key: t.key,
                    operator: t.operator,
                    value: t.value,
                    effect: t.effect,
                  })),
                }
              : {}),
            ...(props.imagePullSecrets && props.imagePullSecrets.length > 0
              ? { imagePullSecrets: props.imagePullSecrets.map((name) => ({ name })) }
              : {}),
            securityContext: {
              runAsNonRoot: true,
              runAsUser: uid,
              runAsGroup: uid,
              fsGroup: uid,
              fsGroupChangePolicy: 'OnRootMismatch',
              seccompProfile: { type: 'RuntimeDefault' },
            },
            container: [
              {
                name: CONTAINER,
                image: this.image,
                imagePullPolicy: 'IfNotPresent',
                command: ['/bin/sh', '-c', escapeTerraformTemplate(VERIFY_WEIGHTS_SCRIPT), 'verify-weights'],
                env,
                resources: {
                  requests: { cpu: '500m', memory: '256Mi' },
                  // Hashing is CPU-bound: up to two cores, so verification never starves the node.
                  limits: { cpu: '2', memory: `${props.memoryLimitMiB ?? 1024}Mi` },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  privileged: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  runAsUser: uid,
                  runAsGroup: uid,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                terminationMessagePolicy: 'FallbackToLogsOnError',
                volumeMount: mounts,
              },
            ],
            volume: volumes,
          },
        },
      },
      waitForCompletion: true,
      timeouts: { create: `${this.timeoutMinutes}m`, update: `${this.timeoutMinutes}m` },
      dependsOn: [this.configMap, ...(store.dependable ? [store.dependable] : [])],
    });
    this.verification = this.job;
  }
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
}
