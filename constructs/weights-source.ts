/**
 * Where a model's weights are copied from, inside the jurisdiction: an S3-compatible store, an
 * HTTPS mirror or a path on the volume itself, and the CA bundle a TLS source chains to.
 */

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
