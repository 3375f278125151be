/** Checking a ModelWeights source and turning it into what the copy Job needs (rclone environment, endpoint). */
import { type JobV1SpecTemplateSpecContainerEnv } from '@cdktf/provider-kubernetes/lib/job-v1';
import { type Problem } from '../../core/errors';
import { checkDnsSubdomain } from './validate';
import { checkSourceUrl } from '../../core/source-url';
import { manifestPathProblem } from '../weights-manifest';
import type { ModelWeightsProps } from '../model-weights';
import type { WeightsSourceEndpoint } from '../weights-source';
import { checkKeyName } from './weights-checks';

export interface ResolvedSource {
  readonly subPath: string;
  readonly url: string;
  readonly endpoint?: WeightsSourceEndpoint;
  readonly env: JobV1SpecTemplateSpecContainerEnv[];
}

/** Checks the source (pushing problems) and returns what the Job needs to use it. */
export function resolveSource(
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
