/**
 * Container image references: the pinned form the spec and constructs require, parsing any
 * reference (`registry/repo:tag@sha256:…`) the way the policy reads it, and matching a
 * registry allow-list. One parser and one digest pattern for every layer.
 */

export interface ImageRef {
  readonly ref: string;
  /** Registry host (with port when given); `docker.io` when the reference names none. */
  readonly registry: string;
  /** True when the reference names no registry (it resolves to Docker Hub). */
  readonly implicitRegistry: boolean;
  /** Repository path without the registry (`vllm/vllm-openai`). */
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:<64 hex>` when pinned by a well-formed digest. */
  readonly digest?: string;
}

/** A SHA-256 digest written as 64 lower-case hex characters. */
export const SHA256_HEX = /^[a-f0-9]{64}$/;

/** An image digest as a reference carries it: `sha256:<64 hex>`. */
export const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

/**
 * An image reference pinned by digest: `registry.example/path/name[:tag]@sha256:<64 hex>`.
 * The spec and the constructs accept only this form; the registry host must be explicit (a dot,
 * a colon or `localhost` in the first part, checked by the caller) so nothing falls back to
 * Docker Hub.
 */
export const PINNED_IMAGE =
  /^([a-z0-9.-]+(:[0-9]+)?)\/([a-z0-9._/-]+)(:[A-Za-z0-9_.-]{1,128})?@sha256:[a-f0-9]{64}$/;

export function parseImage(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    const d = rest.slice(at + 1);
    digest = DIGEST_RE.test(d) ? d : undefined;
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first.toLowerCase() : 'docker.io';
  let path = hasRegistry ? rest.slice(slash + 1) : rest;
  let tag: string | undefined;
  const colon = path.lastIndexOf(':');
  if (colon >= 0 && !path.slice(colon).includes('/')) {
    tag = path.slice(colon + 1);
    path = path.slice(0, colon);
  }
  if (!hasRegistry && !path.includes('/')) path = `library/${path}`;
  return { ref, registry, implicitRegistry: !hasRegistry, repository: path, tag, digest };
}

/** A registry allow-list entry matches the image's registry host (port included when given). */
export function registryAllowed(img: ImageRef, allowed: readonly string[]): boolean {
  if (img.implicitRegistry)
    return allowed.some((a) => ['docker.io', 'index.docker.io'].includes(a.toLowerCase()));
  return allowed.some((a) => {
    const x = a.toLowerCase().replace(/\/+$/, '');
    // An entry may also name a registry path prefix (`registry.de.example/mirror`).
    return x === img.registry || `${img.registry}/${img.repository}`.startsWith(`${x}/`);
  });
}

/**
 * A reference split the way Helm charts take an image: the registry host, the repository path
 * below it, and `tag@digest` with the tag defaulting to the chart's release when the reference
 * names none. Each chart joins the parts differently (KEDA `registry` + `repository`, LWS one
 * `repository` with the host, agentgateway the path's last segment as `repository`); the
 * caller arranges them, the splitting is this one parser's.
 */
export function chartImageParts(
  ref: string,
  defaultTag: string,
): { host: string; path: string; tagAndDigest: string; digest: string } {
  const img = parseImage(ref);
  const at = ref.indexOf('@');
  const digest = at < 0 ? '' : ref.slice(at + 1);
  return {
    host: img.registry,
    path: img.repository,
    tagAndDigest: `${img.tag || defaultTag}@${digest}`,
    digest,
  };
}
