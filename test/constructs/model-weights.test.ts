import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { TerraformStack, Testing } from 'cdktf';
import {
  ANNOTATION_MANIFEST_SHA256,
  ANNOTATION_MODEL,
  ANNOTATION_MODEL_LICENSE,
  ANNOTATION_MODEL_REVISION,
  ANNOTATION_WEIGHTS_SOURCE,
} from '../../core/annotations';
import { isSovereignError } from '../../core/errors';
import { ModelWeightStore } from '../../constructs/model-weight-store';
import { ModelWeights, type ModelWeightsProps } from '../../constructs/model-weights';
import { modelWeightsMount } from '../../constructs/model-weights-mount';
import { manifestSha256 } from '../../constructs/weights-manifest';

const IMAGE = `registry.de.example/tools/rclone:1.68.2@sha256:${'c'.repeat(64)}`;
const FILES = {
  'config.json': 'a'.repeat(64),
  'model-00001-of-00002.safetensors': 'b'.repeat(64),
  'model-00002-of-00002.safetensors': 'd'.repeat(64),
  'tokenizer.json': 'e'.repeat(64),
};
const S3 = {
  kind: 's3',
  endpoint: 'https://s3.de.example:9000',
  bucket: 'models',
  prefix: 'llama-3.1-8b/0e9e39f',
  region: 'de-fra-1',
  credentials: { secretName: 'weights-s3', accessKeyIdKey: 'id', secretAccessKeyKey: 'secret' },
} as const;

type Overrides = Partial<Omit<ModelWeightsProps, 'store'>>;

function setup(overrides: Overrides = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'de');
  const store = new ModelWeightStore(stack, 'store', {
    namespace: 'llm',
    jurisdiction: 'de',
    storageClassName: 'cephfs-de',
    sizeGiB: 500,
  });
  const weights = new ModelWeights(stack, 'llama', {
    store,
    modelName: 'llama-3-1-8b',
    revision: '0e9e39f',
    files: FILES,
    source: S3,
    allowedEndpoints: ['*.de.example'],
    image: IMAGE,
    license: 'llama3.1',
    ...overrides,
  });
  return { stack, store, weights };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function synth(stack: TerraformStack): Json {
  return JSON.parse(Testing.synth(stack));
}

function only(parsed: Json, type: string): Json {
  const all = Object.values(parsed.resource[type] ?? {});
  expect(all).toHaveLength(1);
  return all[0];
}

function env(job: Json): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const e of job.spec.template.spec.container[0].env) out[e.name] = e.value ?? e.value_from;
  return out;
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    expect(isSovereignError(e)).toBe(true);
    return e as Error;
  }
  throw new Error('expected a SovereignError');
}

describe('ModelWeights', () => {
  test('s3 source: ConfigMap holds the canonical manifest; Job copies with rclone using Secret refs only', () => {
    const { stack, weights } = setup();
    const parsed = synth(stack);
    const cm = only(parsed, 'kubernetes_config_map_v1');
    const job = only(parsed, 'kubernetes_job_v1');
    const digest = manifestSha256(FILES);

    expect(weights.manifestSha256).toBe(digest);
    expect(cm.data.SHA256SUMS).toBe(
      `${'a'.repeat(64)}  config.json\n${'b'.repeat(64)}  model-00001-of-00002.safetensors\n` +
        `${'d'.repeat(64)}  model-00002-of-00002.safetensors\n${'e'.repeat(64)}  tokenizer.json\n`,
    );
    expect(cm.immutable).toBe(true);
    expect(cm.metadata.name).toBe(`llama-3-1-8b-manifest-${digest.slice(0, 8)}`);
    expect(cm.metadata.labels['app.kubernetes.io/component']).toBe('weights-manifest');
    expect(job.metadata.name).toBe(`llama-3-1-8b-weights-${digest.slice(0, 8)}`);
    expect(job.metadata.labels['app.kubernetes.io/component']).toBe('weights-sync');

    const e = env(job);
    expect(e.SOURCE_KIND).toBe('s3');
    expect(e.SOURCE_PATH).toBe('models/llama-3.1-8b/0e9e39f');
    expect(e.MANIFEST_SHA256).toBe(digest);
    expect(e.WEIGHTS_DIR).toBe('/weights/models/llama-3-1-8b/0e9e39f');
    expect(e.MARKER).toBe('/weights/models/llama-3-1-8b/0e9e39f.verified');
    expect(e.RCLONE_CONFIG_SRC_TYPE).toBe('s3');
    expect(e.RCLONE_CONFIG_SRC_PROVIDER).toBe('Other');
    expect(e.RCLONE_CONFIG_SRC_ENDPOINT).toBe('https://s3.de.example:9000');
    expect(e.RCLONE_CONFIG_SRC_REGION).toBe('de-fra-1');
    expect(e.RCLONE_CONFIG_SRC_ACCESS_KEY_ID).toEqual({ secret_key_ref: { name: 'weights-s3', key: 'id' } });
    expect(e.RCLONE_CONFIG_SRC_SECRET_ACCESS_KEY).toEqual({
      secret_key_ref: { name: 'weights-s3', key: 'secret' },
    });
    // Every env entry is a literal or a Secret reference, never an inline credential.
    for (const entry of job.spec.template.spec.container[0].env) {
      if (/KEY|SECRET|TOKEN|PASSWORD/.test(entry.name)) expect(entry.value).toBeUndefined();
    }

    expect(weights.sourceEndpoint).toEqual({ scheme: 'https', host: 's3.de.example', port: 9000 });
    expect(weights.sourceUrl).toBe('https://s3.de.example:9000/models/llama-3.1-8b/0e9e39f');
    expect(job.metadata.annotations).toEqual({
      [ANNOTATION_MANIFEST_SHA256]: digest,
      [ANNOTATION_MODEL]: 'llama-3-1-8b',
      [ANNOTATION_MODEL_LICENSE]: 'llama3.1',
      [ANNOTATION_MODEL_REVISION]: '0e9e39f',
      [ANNOTATION_WEIGHTS_SOURCE]: 'https://s3.de.example:9000/models/llama-3.1-8b/0e9e39f',
    });
    expect(cm.metadata.annotations[ANNOTATION_MANIFEST_SHA256]).toBe(digest);
  });

  test('https source: rclone http remote on the base URL; egress endpoint defaults the port', () => {
    const { stack, weights } = setup({
      source: { kind: 'https', baseUrl: 'https://mirror.de.example/hf/llama-3.1-8b/0e9e39f/' },
    });
    const job = only(synth(stack), 'kubernetes_job_v1');
    const e = env(job);
    expect(e.SOURCE_KIND).toBe('https');
    expect(e.RCLONE_CONFIG_SRC_TYPE).toBe('http');
    expect(e.RCLONE_CONFIG_SRC_URL).toBe('https://mirror.de.example/hf/llama-3.1-8b/0e9e39f/');
    expect(e.SOURCE_PATH).toBe('');
    expect(weights.sourceEndpoint).toEqual({ scheme: 'https', host: 'mirror.de.example', port: 443 });
    expect(job.spec.template.spec.container[0].env.some((x: Json) => x.value_from)).toBe(false);
  });

  test('volume source: verifies in place, needs no endpoint list and exposes no egress', () => {
    const { stack, weights } = setup({
      source: { kind: 'volume', subPath: 'nfs/llama/0e9e39f' },
      allowedEndpoints: undefined,
    });
    const job = only(synth(stack), 'kubernetes_job_v1');
    const e = env(job);
    expect(e.SOURCE_KIND).toBe('volume');
    expect(e.WEIGHTS_DIR).toBe('/weights/nfs/llama/0e9e39f');
    expect(Object.keys(e).filter((k) => k.startsWith('RCLONE'))).toEqual([]);
    expect(weights.subPath).toBe('nfs/llama/0e9e39f');
    expect(weights.sourceEndpoint).toBeUndefined();
    expect(weights.sourceUrl).toBe('pvc://model-weights/nfs/llama/0e9e39f');
  });

  test('single GGUF file: fileName defaults to the only .gguf file and the mount points at it', () => {
    const { weights } = setup({
      modelName: 'qwen-7b-q4',
      files: { 'qwen2.5-7b-instruct-q4_k_m.gguf': 'f'.repeat(64) },
    });
    expect(weights.fileName).toBe('qwen2.5-7b-instruct-q4_k_m.gguf');
    expect(modelWeightsMount(weights, { mountPath: '/models' }).modelPath).toBe(
      '/models/qwen2.5-7b-instruct-q4_k_m.gguf',
    );
    // A directory model has no fileName.
    expect(setup().weights.fileName).toBeUndefined();
  });

  test('the Job runs under the restricted Pod Security profile and waits for completion', () => {
    const { stack } = setup({ imagePullSecrets: ['registry-de'] });
    const job = only(synth(stack), 'kubernetes_job_v1');
    const pod = job.spec.template.spec;
    const c = pod.container[0];
    expect(job.wait_for_completion).toBe(true);
    expect(job.timeouts).toEqual({ create: '360m', update: '360m' });
    expect(job.spec.active_deadline_seconds).toBe(21600);
    expect(job.spec.backoff_limit).toBe(3);
    expect(job.spec.ttl_seconds_after_finished).toBeUndefined();
    expect(job.spec.pod_failure_policy.rule[0]).toEqual({
      action: 'FailJob',
      on_exit_codes: { container_name: 'verify', operator: 'In', values: [2, 3] },
    });
    expect(pod.restart_policy).toBe('Never');
    expect(pod.automount_service_account_token).toBe(false);
    expect(pod.image_pull_secrets).toEqual([{ name: 'registry-de' }]);
    expect(pod.security_context).toMatchObject({
      run_as_non_root: true,
      run_as_user: '65532',
      run_as_group: '65532',
      fs_group: '65532',
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    expect(c.security_context).toEqual({
      allow_privilege_escalation: false,
      privileged: false,
      read_only_root_filesystem: true,
      run_as_non_root: true,
      run_as_user: '65532',
      run_as_group: '65532',
      capabilities: { drop: ['ALL'] },
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    expect(c.image).toBe(IMAGE);
    expect(c.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(c.volume_mount).toEqual([
      { name: 'weights', mount_path: '/weights' },
      { name: 'manifest', mount_path: '/etc/sovereign/manifest', read_only: true },
      { name: 'tmp', mount_path: '/tmp' },
    ]);
    expect(pod.volume).toEqual([
      { name: 'weights', persistent_volume_claim: { claim_name: 'model-weights' } },
      {
        name: 'manifest',
        config_map: {
          name: expect.stringMatching(/^llama-3-1-8b-manifest-/),
          default_mode: '0444',
          items: [{ key: 'SHA256SUMS', path: 'SHA256SUMS' }],
        },
      },
      { name: 'tmp', empty_dir: { size_limit: '64Mi' } },
    ]);
  });

  test('a private CA is mounted from a ConfigMap and passed to rclone', () => {
    const { stack } = setup({ caBundle: { configMapName: 'de-root-ca', key: 'root.pem' } });
    const job = only(synth(stack), 'kubernetes_job_v1');
    expect(env(job).CA_CERT).toBe('/etc/sovereign/ca/ca.crt');
    expect(job.spec.template.spec.volume).toContainEqual({
      name: 'ca',
      config_map: { name: 'de-root-ca', default_mode: '0444', items: [{ key: 'root.pem', path: 'ca.crt' }] },
    });
  });

  test('the pod is labelled for an egress NetworkPolicy; podSelector matches its labels', () => {
    const { stack, weights } = setup();
    const job = only(synth(stack), 'kubernetes_job_v1');
    const labels = job.spec.template.metadata.labels;
    for (const [k, v] of Object.entries(weights.podSelector)) expect(labels[k]).toBe(v);
    expect(weights.podSelector['app.kubernetes.io/component']).toBe('weights-sync');
  });

  test('read-only mount contract: servers mount the claim and the revision directory read-only', () => {
    const { weights, store } = setup();
    expect(weights.claimName).toBe(store.claimName);
    expect(weights.namespace).toBe('llm');
    expect(weights.subPath).toBe('models/llama-3-1-8b/0e9e39f');
    const m = modelWeightsMount(weights);
    expect(m.volume).toEqual({
      name: 'weights',
      persistentVolumeClaim: { claimName: 'model-weights', readOnly: true },
    });
    expect(m.volumeMount).toEqual({
      name: 'weights',
      mountPath: '/models/llama-3-1-8b',
      subPath: 'models/llama-3-1-8b/0e9e39f',
      readOnly: true,
    });
    expect(m.modelPath).toBe('/models/llama-3-1-8b');
    // The Job writes exactly where servers read.
    expect(`/weights/${weights.subPath}`).toBe(
      env(only(synth(setup().stack), 'kubernetes_job_v1')).WEIGHTS_DIR,
    );
  });

  test('dependency contract: a server depending on `verification` is ordered after the Job', () => {
    const { stack, weights } = setup();
    const m = modelWeightsMount(weights);
    new DeploymentV1(stack, 'server', {
      metadata: { name: 'server', namespace: weights.namespace },
      spec: {
        selector: { matchLabels: { app: 'server' } },
        template: {
          metadata: { labels: { app: 'server' } },
          spec: {
            container: [{ name: 'vllm', image: IMAGE, volumeMount: [m.volumeMount] }],
            volume: [m.volume],
          },
        },
      },
      dependsOn: [weights.verification],
    });
    const parsed = synth(stack);
    const jobAddress = `kubernetes_job_v1.${Object.keys(parsed.resource.kubernetes_job_v1)[0]}`;
    const server = only(parsed, 'kubernetes_deployment_v1');
    expect(server.depends_on).toEqual([jobAddress]);
    expect(server.spec.template.spec.volume[0].persistent_volume_claim).toEqual({
      claim_name: 'model-weights',
      read_only: true,
    });
    expect(server.spec.template.spec.container[0].volume_mount[0]).toMatchObject({
      read_only: true,
      sub_path: 'models/llama-3-1-8b/0e9e39f',
    });
    // And the Job itself waits for its manifest and the claim.
    const job = only(parsed, 'kubernetes_job_v1');
    expect(job.depends_on).toEqual([
      `kubernetes_config_map_v1.${Object.keys(parsed.resource.kubernetes_config_map_v1)[0]}`,
      `kubernetes_persistent_volume_claim_v1.${Object.keys(parsed.resource.kubernetes_persistent_volume_claim_v1)[0]}`,
    ]);
  });

  test('synth is deterministic whatever the order of the manifest keys', () => {
    const reversed = Object.fromEntries(Object.entries(FILES).reverse());
    expect(Testing.synth(setup({ files: reversed }).stack)).toBe(Testing.synth(setup().stack));
  });

  test('fails when the manifest is empty', () => {
    const e = errorOf(() => setup({ files: {} }));
    expect(e.message).toContain('files  the manifest is empty');
  });

  test('fails when the image is not pinned by digest', () => {
    const e = errorOf(() => setup({ image: 'registry.de.example/tools/rclone:1.68.2' }));
    expect(e.message).toContain('image  "registry.de.example/tools/rclone:1.68.2" is not pinned');
  });

  test('fails when the image comes from a registry that is not allowed', () => {
    const e = errorOf(() => setup({ allowedRegistries: ['registry.fr.example'] }));
    expect(e.message).toContain('image  registry "registry.de.example" is not allowed here');
  });

  test('fails when the source host is not a declared in-jurisdiction endpoint', () => {
    const e = errorOf(() => setup({ source: { ...S3, endpoint: 'https://s3.eu-central-1.amazonaws.com' } }));
    expect(e.message).toContain(
      'source.endpoint  host "s3.eu-central-1.amazonaws.com" is not among the declared in-jurisdiction endpoints (*.de.example)',
    );
    const https = errorOf(() =>
      setup({ source: { kind: 'https', baseUrl: 'https://huggingface.co/meta-llama/x/resolve/main' } }),
    );
    expect(https.message).toContain('source.baseUrl  host "huggingface.co" is not among the declared');
  });

  test('fails when no endpoints are declared for a networked source', () => {
    const e = errorOf(() => setup({ allowedEndpoints: [] }));
    expect(e.message).toContain('allowedEndpoints  no in-jurisdiction endpoints are declared');
  });

  test('fails when a wildcard would match only by suffix text, not by label', () => {
    const e = errorOf(() => setup({ source: { ...S3, endpoint: 'https://evilde.example' } }));
    expect(e.message).toContain('host "evilde.example" is not among the declared');
  });

  test('fails when manifest paths escape or digests are malformed, listing every problem at once', () => {
    const e = errorOf(() =>
      setup({
        files: {
          '../etc/passwd': 'a'.repeat(64),
          '/abs/model.safetensors': 'b'.repeat(64),
          'config.json': 'A'.repeat(64),
          'weights.bin': 'abc',
        },
      }),
    );
    expect(e.message).toContain('ModelWeights llama: 4 invalid props');
    expect(e.message).toContain(
      'files.../etc/passwd  "../etc/passwd" escapes the model directory with \'..\'',
    );
    expect(e.message).toContain('files./abs/model.safetensors  "/abs/model.safetensors" is absolute');
    expect(e.message).toContain('files.config.json  "' + 'A'.repeat(64) + '" is not a SHA-256');
    expect(e.message).toContain('files.weights.bin  "abc" is not a SHA-256');
  });

  test('fails when plain http is used without allowPlainHttp, or the URL carries credentials', () => {
    const e = errorOf(() => setup({ source: { ...S3, endpoint: 'http://user:pw@s3.de.example' } }));
    expect(e.message).toContain('source.endpoint  "http://…@s3.de.example" uses http: use https');
    expect(e.message).toContain('source.endpoint  the URL carries credentials');
    // Neither the user nor the password is echoed.
    expect(e.message).not.toMatch(/user|pw@/);
    expect(
      setup({ source: { ...S3, endpoint: 'http://s3.de.example' }, allowPlainHttp: true }).weights
        .sourceEndpoint,
    ).toEqual({ scheme: 'http', host: 's3.de.example', port: 80 });
  });

  test('fails when fileName is not in the manifest and the revision is not plain', () => {
    const e = errorOf(() => setup({ fileName: 'model.gguf', revision: '../main' }));
    expect(e.message).toContain('fileName  "model.gguf" is not in the manifest');
    expect(e.message).toContain('revision  "../main" is not a revision');
  });

  test('fails when the s3 bucket, prefix or Secret reference is unusable', () => {
    const e = errorOf(() =>
      setup({
        source: { ...S3, bucket: 'Models_Bucket', prefix: 'a/../b', credentials: { secretName: 'Bad Name' } },
      }),
    );
    expect(e.message).toContain('source.bucket  "Models_Bucket" is not a bucket name');
    expect(e.message).toContain('source.prefix  "a/../b" escapes the model directory with \'..\'');
    expect(e.message).toContain('source.credentials.secretName  "Bad Name" is not a valid name');
  });
});

test('Secret, ConfigMap and pull-secret names may be DNS subdomains', () => {
  const { weights } = setup({
    source: { ...S3, credentials: { secretName: 'weights.s3' } },
    caBundle: { configMapName: 'root-ca.de' },
    imagePullSecrets: ['registry.de'],
  });
  expect(weights.sourceEndpoint?.host).toBe('s3.de.example');
});
