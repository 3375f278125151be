/**
 * The one check of a weights source URL, shared by ModelWeights and `sovereign validate`:
 * scheme, no credentials or hidden authority, no query, and a host (with its port) that the
 * jurisdiction declares, judged by the policy gate's own matcher (core/hosts.ts).
 */
import { endpointsIn, hostAllowed } from './hosts';
import type { Problem } from './errors';

export interface CheckedUrl {
  readonly scheme: 'https' | 'http';
  readonly authority: string;
  readonly href: string;
  readonly endpoint: { readonly scheme: 'https' | 'http'; readonly host: string; readonly port: number };
}

export interface SourceUrlOptions {
  /** Hosts the jurisdiction declares its own (`host`, `host:port`, `*.suffix`). */
  readonly allowedEndpoints?: readonly string[];
  /** Allow `http://`. @default false */
  readonly allowPlainHttp?: boolean;
  /**
   * Leave the host to the caller (a construct without a host list, whose host the policy gate
   * judges in the synthesized JSON, as SOV-012 does for Metal3 disk images). @default false
   */
  readonly hostJudgedElsewhere?: boolean;
}

/** Parses an endpoint URL and checks it; pushes problems and returns the parts when it is sound. */
export function checkSourceUrl(
  path: string,
  raw: string,
  opts: SourceUrlOptions,
  found: Problem[],
  allowPath: boolean,
): CheckedUrl | undefined {
  const text = String(raw);
  // What messages show: never a query or fragment (a signed URL's token is a credential) nor
  // userinfo; the rest as written, so the author finds it.
  const shown = text
    .replace(/[?#].*$/s, (m) => (m.length > 0 ? `${m[0]}…` : m))
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#\\]*@/i, '$1…@');
  // The authority as written, before any URL parser normalises it: a backslash or an `@` there
  // makes parsers (and people) disagree about which host is meant.
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(text)?.[1] ?? '';
  if (text.includes('\\')) {
    found.push({ path, message: `"${shown}" holds a backslash: write the URL with / only` });
    return undefined;
  }
  // user@host: the credentials problem below, whatever a parser makes of the rest.
  const userinfo = authority.includes('@');
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    found.push({
      path,
      message: `"${shown}" is not a URL: use https://<host>[:port]${allowPath ? '/<path>' : ''}`,
    });
    return undefined;
  }
  const before = found.length;
  const scheme = u.protocol.slice(0, -1);
  if (scheme !== 'https' && !(scheme === 'http' && opts.allowPlainHttp)) {
    found.push({
      path,
      message: `"${shown}" uses ${scheme}: use https (plain http only with allowPlainHttp: true)`,
    });
  }
  if (userinfo || u.username !== '' || u.password !== '') {
    found.push({ path, message: 'the URL carries credentials: put them in a Secret and reference it' });
  }
  if (u.search !== '' || u.hash !== '' || text.includes('?') || text.includes('#')) {
    found.push({ path, message: `"${shown}" has a query or fragment: give the plain URL` });
  }
  if (!allowPath && u.pathname !== '/' && u.pathname !== '') {
    found.push({ path, message: `"${shown}" has a path: give scheme, host and port only` });
  }
  let decoded = u.pathname;
  try {
    decoded = decodeURIComponent(u.pathname);
  } catch {
    found.push({ path, message: `"${shown}" has a path that is not plain` });
  }
  if (allowPath && /(^|\/)\.\.?(\/|$)|\$\{|%\{/.test(decoded)) {
    found.push({ path, message: `"${shown}" has a path that is not plain` });
  }
  const host = u.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = u.port !== '' ? Number(u.port) : scheme === 'https' ? 443 : 80;
  const allowed = opts.allowedEndpoints ?? [];
  // The endpoint exactly as the policy gate reads it from the synthesized string (SOV-012):
  // the URL is written as given, so `host:443` in sovereignty.hosts matches `https://host:443/…`
  // and not `https://host/…`, here and at the gate alike.
  const seen = endpointsIn(text)[0];
  if (opts.hostJudgedElsewhere === true) {
    // the URL's form only
  } else if (allowed.length === 0) {
    found.push({
      path: 'allowedEndpoints',
      message: `no in-jurisdiction endpoints are declared: list the hosts the weights may come from (exact names or *.suffix); ${path} uses ${host}`,
    });
  } else if (seen === undefined || seen.unresolved || !hostAllowed(seen.host, seen.port, allowed)) {
    found.push({
      path,
      message: `host "${seen?.host ?? host}"${seen?.port !== undefined ? ` port ${seen.port}` : ''} is not among the declared in-jurisdiction endpoints (${allowed.join(', ')})`,
    });
  }
  if (found.length > before) return undefined;
  return {
    scheme: scheme as 'https' | 'http',
    authority: authority.toLowerCase(),
    href: text,
    endpoint: { scheme: scheme as 'https' | 'http', host, port },
  };
}
