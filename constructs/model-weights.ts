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
import { checkSourceUrl } from '../core/source-url';
import { escapeTerraformTemplate, VERIFY_EXIT, VERIFY_WEIGHTS_SCRIPT } from './private/verify-weights-script';
import {
  canonicalManifest,
  checkManifest,
  MAX_MANIFEST_BYTES,
  manifestPathProblem,
  manifestSha256,
  sortedManifestPaths,
  type WeightsManifestFiles,
} from './weights-manifest';

// ------------------------------------------------------------------------------------ sources

/**
 * An S3-compatible object store inside the jurisdiction (MinIO, Ceph RGW, a sovereign cloud's
 * object storage). Files are read from `<bucket>/<prefix>/<path>` with path-style addressing.
 * @see https://rclone.org/s3/
 */
export interface S3WeightsSource {
  readonly kind: 's3';
  /** Endpoint URL, scheme and host (and port) only: `https://s3.de.example:9000`. */
  readonly endpoint: string;
  /** Bucket name. */
  readonly bucket: string;
  /** Key prefix that holds this revision's files (`llama-3.1-70b/<revision>`); '' for the bucket root. */
  readonly prefix: string;
  /**
   * Region the endpoint expects in signatures.
   * @default none: rclone's default for provider `Other`
   */
  readonly region?: string;
  /** The Secret (in the store's namespace) that holds the access key pair; only referenced, never read. */
  readonly credentials: S3CredentialsSecret;
}

/** Where an S3 access key pair lives. */
export interface S3CredentialsSecret {
  /** Secret name. */
  readonly secretName: string;
  /** @default 'AWS_ACCESS_KEY_ID' */
  readonly accessKeyIdKey?: string;
  /** @default 'AWS_SECRET_ACCESS_KEY' */
  readonly secretAccessKeyKey?: string;
}

/**
 * An HTTPS mirror inside the jurisdiction that serves each file at `<baseUrl>/<path>`. Directory
 * listings are not needed: files are fetched one by one from the manifest.
 * @see https://rclone.org/http/
 */
export interface HttpsWeightsSource {
  readonly kind: 'https';
  /** Base URL of the revision: `https://mirror.de.example/models/llama-3.1-70b/<revision>`. */
  readonly baseUrl: string;
}

/**
 * The files are already on the store's volume (placed there by another process, or the volume is
 * an NFS export that holds them): the Job only verifies them and records the marker.
 */
export interface VolumeWeightsSource {
  readonly kind: 'volume';
  /**
   * Directory of the revision on the volume, relative to its root.
   * @default `<store.rootPath>/<modelName>/<revision>`
   */
  readonly subPath?: string;
}

export type WeightsSource = S3WeightsSource | HttpsWeightsSource | VolumeWeightsSource;

/** A ConfigMap key holding PEM CA certificates the source's TLS chains to. */
export interface CaBundleRef {
  readonly configMapName: string;
  /** @default 'ca.crt' */
  readonly key?: string;
}

/** The network endpoint the Job talks to; what an egress NetworkPolicy must allow. */
export interface WeightsSourceEndpoint {
  readonly scheme: 'https' | 'http';
  /** Host name or IP literal as written in the URL (lower-case). */
  readonly host: string;
  /** TCP port (the scheme's default when the URL has none). */
  readonly port: number;
}

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

// ------------------------------------------------------------------------------------ serving

/** What a server adds to its pod to read verified weights. */
export interface ModelWeightsMount {
  /** Pod volume: the claim, read-only. */
  readonly volume: {
    readonly name: string;
    readonly persistentVolumeClaim: { readonly claimName: string; readonly readOnly: true };
  };
  /** Container mount of the model directory only (`subPath`), read-only. */
  readonly volumeMount: {
    readonly name: string;
    readonly mountPath: string;
    readonly subPath: string;
    readonly readOnly: true;
  };
  /** What the engine loads: the directory, or the file inside it for a single-file model. */
  readonly modelPath: string;
}

/**
 * The read-only volume and mount a server uses for any IModelWeights; the shapes match the
 * provider bindings' `volume` and `volume_mount` blocks. The server must also list
 * `weights.verification` in its `dependsOn`.
 */
export function modelWeightsMount(
  weights: IModelWeights,
  options: { readonly volumeName?: string; readonly mountPath?: string } = {},
): ModelWeightsMount {
  const name = options.volumeName ?? 'weights';
  const mountPath = options.mountPath ?? `/models/${weights.modelName}`;
  return {
    volume: { name, persistentVolumeClaim: { claimName: weights.claimName, readOnly: true } },
    volumeMount: { name, mountPath, subPath: weights.subPath, readOnly: true },
    modelPath: weights.fileName ? `${mountPath}/${weights.fileName}` : mountPath,
  };
}

// ------------------------------------------------------------------------------------ helpers

interface ResolvedSource {
  readonly subPath: string;
  readonly url: string;
  readonly endpoint?: WeightsSourceEndpoint;
  readonly env: JobV1SpecTemplateSpecContainerEnv[];
}

/** Checks the source (pushing problems) and returns what the Job needs to use it. */
function resolveSource(
  props: ModelWeightsProps,
  defaultSubPath: string,
  claimName: string,
  found: Problem[],
): ResolvedSource {
  const source = props.source;
  const none: ResolvedSource = { subPath: defaultSubPath, url: '', env: [] };
  if (!source || !['s3', 'https', 'volume'].includes(source.kind)) {
    found.push({
      path: 'source.kind',
      message: `"${String(source?.kind)}" is not a source kind: use s3, https or volume`,
    });
    return none;
  }
  if (source.kind === 'volume') {
    const subPath = source.subPath === undefined ? defaultSubPath : source.subPath.replace(/\/+$/, '');
    const p = manifestPathProblem(subPath);
    if (p) found.push({ path: 'source.subPath', message: p });
    return { subPath, url: `pvc://${claimName}/${subPath}`, env: [] };
  }

  if (source.kind === 's3') {
    const endpoint = checkSourceUrl('source.endpoint', source.endpoint, props, found, false);
    if (
      !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(String(source.bucket ?? '')) ||
      source.bucket.includes('..')
    ) {
      found.push({
        path: 'source.bucket',
        message: `"${source.bucket}" is not a bucket name: use 3-63 lower-case letters, digits, '.' and '-'`,
      });
    }
    const prefix = String(source.prefix ?? '').replace(/^\/+|\/+$/g, '');
    if (prefix !== '') {
      const p = manifestPathProblem(prefix);
      if (p) found.push({ path: 'source.prefix', message: p });
    }
    const creds = source.credentials;
    const idKey = creds?.accessKeyIdKey ?? 'AWS_ACCESS_KEY_ID';
    const secretKey = creds?.secretAccessKeyKey ?? 'AWS_SECRET_ACCESS_KEY';
    if (!creds) {
      found.push({
        path: 'source.credentials',
        message: 'an s3 source needs credentials: the name of a Secret holding the access key pair',
      });
    } else {
      const p = checkDnsSubdomain('source.credentials.secretName', String(creds.secretName ?? ''));
      if (p) found.push(p);
      for (const [path, key] of [
        ['source.credentials.accessKeyIdKey', idKey],
        ['source.credentials.secretAccessKeyKey', secretKey],
      ] as const) {
        const k = checkKeyName(path, key);
        if (k) found.push(k);
      }
    }
    if (source.region !== undefined && !/^[a-z0-9-]{1,64}$/.test(source.region)) {
      found.push({
        path: 'source.region',
        message: `"${source.region}" is not a region name: use [a-z0-9-]`,
      });
    }
    const origin = endpoint ? `${endpoint.scheme}://${endpoint.authority}` : '';
    const sourcePath = prefix === '' ? source.bucket : `${source.bucket}/${prefix}`;
    // rclone reads a remote named SRC from RCLONE_CONFIG_SRC_* variables.
    // @see https://rclone.org/docs/#config-file  https://rclone.org/s3/#standard-options
    const env: JobV1SpecTemplateSpecContainerEnv[] = [
      { name: 'SOURCE_PATH', value: sourcePath },
      { name: 'RCLONE_CONFIG_SRC_TYPE', value: 's3' },
      { name: 'RCLONE_CONFIG_SRC_PROVIDER', value: 'Other' },
      { name: 'RCLONE_CONFIG_SRC_ENV_AUTH', value: 'false' },
      { name: 'RCLONE_CONFIG_SRC_ENDPOINT', value: origin },
      { name: 'RCLONE_CONFIG_SRC_FORCE_PATH_STYLE', value: 'true' },
      ...(source.region !== undefined ? [{ name: 'RCLONE_CONFIG_SRC_REGION', value: source.region }] : []),
      {
        name: 'RCLONE_CONFIG_SRC_ACCESS_KEY_ID',
        valueFrom: { secretKeyRef: { name: creds?.secretName, key: idKey } },
      },
      {
        name: 'RCLONE_CONFIG_SRC_SECRET_ACCESS_KEY',
        valueFrom: { secretKeyRef: { name: creds?.secretName, key: secretKey } },
      },
    ];
    return {
      subPath: defaultSubPath,
      url: `${origin}/${sourcePath}`,
      endpoint: endpoint?.endpoint,
      env,
    };
  }

  const base = checkSourceUrl('source.baseUrl', source.baseUrl, props, found, true);
  const url = base ? base.href.replace(/\/+$/, '') : '';
  // @see https://rclone.org/http/#standard-options
  return {
    subPath: defaultSubPath,
    url,
    endpoint: base?.endpoint,
    env: [
      { name: 'SOURCE_PATH', value: '' },
      { name: 'RCLONE_CONFIG_SRC_TYPE', value: 'http' },
      { name: 'RCLONE_CONFIG_SRC_URL', value: `${url}/` },
    ],
  };
}

function checkRevision(revision: string): Problem | undefined {
  if (typeof revision !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(revision)) {
    return {
      path: 'revision',
      message: `"${revision}" is not a revision: use a commit hash or tag of letters, digits, '.', '_' and '-' (at most 128)`,
    };
  }
  return undefined;
}

/** A ConfigMap or Secret key. @see https://kubernetes.io/docs/concepts/configuration/secret/#restriction-names-data */
/** A Secret or ConfigMap key (Kubernetes IsConfigMapKey): not `.`, not starting with `..`. */
function checkKeyName(path: string, key: string): Problem | undefined {
  if (
    typeof key !== 'string' ||
    !/^[-._a-zA-Z0-9]{1,253}$/.test(key) ||
    key === '.' ||
    key.startsWith('..')
  ) {
    return {
      path,
      message: `"${key}" is not a key name: use letters, digits, '-', '_' and '.', not "." or a leading ".."`,
    };
  }
  return undefined;
}

function checkWholeNumber(path: string, value: number, min: number, max: number): Problem | undefined {
  if (!Number.isInteger(value) || value < min || value > max) {
    return { path, message: `${value} is not allowed: use a whole number from ${min} to ${max}` };
  }
  return undefined;
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
}
