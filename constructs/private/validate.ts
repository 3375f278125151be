/** Small checks shared by the constructs' prop validation. Each returns a Problem or nothing. */
import type { Problem } from '../../core/errors';
import { PINNED_IMAGE } from '../../core/images';

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

/** A label value: empty, or at most 63 characters of [A-Za-z0-9._-] starting and ending alphanumeric. */
export const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export function checkLabelValue(path: string, value: string): Problem | undefined {
  if (!LABEL_VALUE.test(value)) {
    return {
      path,
      message: `"${value}" is not a valid label value: use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
    };
  }
  return undefined;
}

/** RFC 1123 DNS subdomain (node names, most object names): dot-separated DNS labels, at most 253 characters. */
export function checkDnsSubdomain(path: string, value: string): Problem | undefined {
  if (value.length === 0 || value.length > 253 || !value.split('.').every((l) => DNS_LABEL.test(l))) {
    return {
      path,
      message: `"${value}" is not a valid name: use at most 253 lower-case letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit`,
    };
  }
  return undefined;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function isIpv6(v: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(v) || v.split('::').length > 2) return false;
  const [head, tail] = v.includes('::') ? v.split('::') : [v, undefined];
  const groups = (s: string | undefined): string[] => (s ? s.split(':') : []);
  const all = [...groups(head), ...groups(tail)];
  let count = 0;
  for (const [i, g] of all.entries()) {
    if (i === all.length - 1 && g.includes('.')) {
      if (!IPV4.test(g)) return false;
      count += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) {
      count += 1;
    } else {
      return false;
    }
  }
  return tail === undefined ? count === 8 : count < 8;
}

/**
 * A CIDR a NetworkPolicy may open: IPv4 or IPv6 with an explicit prefix length above 0.
 * `0.0.0.0/0`, `::/0` (and any /0) are refused: they open the whole internet, which a
 * sovereign deployment must never do.
 */
export function checkCidr(path: string, value: string): Problem | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(value);
  const v4 = m !== null && IPV4.test(m[1]);
  const v6 = m !== null && !v4 && isIpv6(m[1]);
  const prefix = m ? Number(m[2]) : NaN;
  if (!m || (!v4 && !v6) || prefix > (v4 ? 32 : 128)) {
    return {
      path,
      message: `"${value}" is not a CIDR: use an IPv4 or IPv6 address with a prefix length, e.g. 10.20.0.0/16 or fd00:10::/64`,
    };
  }
  if (prefix === 0) {
    return {
      path,
      message: `"${value}" opens every address: a prefix length of 0 (0.0.0.0/0, ::/0) is never allowed; name the in-jurisdiction network instead`,
    };
  }
  return undefined;
}

/** Whole number in [min, max]. */
export function checkIntRange(path: string, value: number, min: number, max: number): Problem | undefined {
  if (!Number.isInteger(value) || value < min || value > max) {
    return { path, message: `${value} is not allowed: use a whole number from ${min} to ${max}` };
  }
  return undefined;
}

/** A chart repository must be the jurisdiction's mirror, written as `https://…` or `oci://…`. */
export function checkChartMirror(path: string, value: string): Problem | undefined {
  if (/^(oci|https):\/\/[^\s/]+/.test(value.replace(/\/+$/, ''))) return undefined;
  return { path, message: `"${value}" must be the jurisdiction's chart mirror as https://… or oci://…` };
}
