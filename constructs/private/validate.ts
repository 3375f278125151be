/** Small checks shared by the constructs' prop validation. Each returns a Problem or nothing. */
import type { Problem } from '../errors';

/** RFC 1123 DNS label, as Kubernetes requires for namespaces, services and most names. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function checkDnsLabel(path: string, value: string, maxLength = 63): Problem | undefined {
  if (value.length === 0 || value.length > maxLength || !DNS_LABEL.test(value)) {
    return {
      path,
      message: `"${value}" is not a valid name: use 1-${maxLength} lower-case letters, digits and '-', starting and ending with a letter or digit`,
    };
  }
  return undefined;
}

/**
 * An image reference pinned by digest: `registry.example/path/name[:tag]@sha256:<64 hex>`.
 * The registry host must be explicit (a dot, a colon or `localhost` in the first part) so
 * nothing falls back to Docker Hub.
 */
export const PINNED_IMAGE =
  /^([a-z0-9.-]+(:[0-9]+)?)\/([a-z0-9._/-]+)(:[A-Za-z0-9_.-]{1,128})?@sha256:[a-f0-9]{64}$/;

export function imageRegistry(image: string): string | undefined {
  const m = PINNED_IMAGE.exec(image);
  if (!m) return undefined;
  const host = m[1];
  return host.includes('.') || host.includes(':') || host === 'localhost' ? host : undefined;
}

export function checkPinnedImage(
  path: string,
  image: string,
  allowedRegistries?: readonly string[],
): Problem | undefined {
  const host = imageRegistry(image);
  if (host === undefined) {
    return {
      path,
      message: `"${image}" is not pinned: use <registry-host>/<repository>[:tag]@sha256:<64 hex digits> with an explicit registry host`,
    };
  }
  if (allowedRegistries && allowedRegistries.length > 0 && !allowedRegistries.includes(host)) {
    return {
      path,
      message: `registry "${host}" is not allowed here; allowed: ${allowedRegistries.join(', ')}`,
    };
  }
  return undefined;
}

export function checkPositiveInt(
  path: string,
  value: number,
  max = Number.MAX_SAFE_INTEGER,
): Problem | undefined {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    return { path, message: `${value} is not allowed: use a whole number from 1 to ${max}` };
  }
  return undefined;
}

/** Drops the undefined entries so validators can be listed inline. */
export function problems(...ps: (Problem | undefined)[]): Problem[] {
  return ps.filter((p): p is Problem => p !== undefined);
}

/** RFC 1123 DNS subdomain, as Kubernetes requires for Secret, ConfigMap and StorageClass names. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function checkDnsSubdomain(path: string, value: string): Problem | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
    return {
      path,
      message: `"${value}" is not a valid name: use a DNS subdomain (lower-case letters, digits, '-' and '.', at most 253 characters)`,
    };
  }
  return undefined;
}
