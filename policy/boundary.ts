/**
 * What a jurisdiction may declare its own. Shared by spec validation (stacks/spec/semantics.ts)
 * and the policy (SOV-014 on the artifact's `"//".sovereign.allowed`, and the auditor's policy
 * file), so `validate` and `audit` refuse the same boundaries:
 * - no wildcard at or above a public suffix (`*.co`, `*.co.uk`);
 * - no global public service (Docker Hub, Hugging Face, a public cloud's object store…)
 *   unless an explicit, reasoned exception names it (`declaredPublic`), shown in every report;
 * - no range holding public addresses unless a declaredPublic exception names that range with a
 *   reason, and no set of ranges whose union covers more public space than one operator owns.
 */
import { PUBLIC_SERVICES, publicServiceOf, publicSpace, wildcardAtPublicSuffix } from '../core/hosts';

export interface DeclaredPublic {
  /** The public service or host (`registry.terraform.io`, `docker.io`). */
  readonly host: string;
  /** Why the jurisdiction accepts depending on it; at least 10 characters. */
  readonly reason: string;
}

export interface BoundaryInput {
  readonly registries: readonly string[];
  readonly chartRepositories: readonly string[];
  readonly providerHosts: readonly string[];
  readonly hosts: readonly string[];
  readonly cidrs: readonly string[];
  readonly declaredPublic?: readonly DeclaredPublic[];
}

export interface BoundaryProblem {
  /** Field of the boundary (`hosts`, `registries`) and the index of the entry, when one entry is at fault. */
  readonly field: keyof BoundaryInput;
  readonly index?: number;
  readonly message: string;
}

/**
 * Provider registries every Terraform or OpenTofu installation reaches by default; they are
 * public but admitted as declared public (the report says so) when a stack names no mirror.
 */
export const PUBLIC_PROVIDER_REGISTRIES: readonly string[] = [
  'registry.terraform.io',
  'registry.opentofu.org',
];

/** The declared-public exception covering a public service, when one does. */
export function declaredPublicFor(
  svc: string,
  entry: string,
  declared: readonly DeclaredPublic[] | undefined,
): DeclaredPublic | undefined {
  return (declared ?? []).find(
    (d) =>
      typeof d.reason === 'string' &&
      d.reason.trim().length >= 10 &&
      (d.host === svc || d.host === entry || publicServiceOf(d.host) === svc),
  );
}

export function boundaryProblems(b: BoundaryInput): BoundaryProblem[] {
  const out: BoundaryProblem[] = [];
  const fields = ['registries', 'chartRepositories', 'providerHosts', 'hosts'] as const;
  for (const field of fields) {
    b[field].forEach((entry, index) => {
      const wide = wildcardAtPublicSuffix(entry);
      if (wide !== undefined) {
        out.push({
          field,
          index,
          message: `${entry} admits every name under the public suffix "${wide}"; name the jurisdiction's own domain (*.<your-domain>.${wide === '*' ? 'tld' : wide})`,
        });
        return;
      }
      const svc = publicServiceOf(entry);
      if (svc === undefined) return;
      if (field === 'providerHosts' && PUBLIC_PROVIDER_REGISTRIES.includes(entry.toLowerCase())) return;
      if (declaredPublicFor(svc, entry, b.declaredPublic)) return;
      out.push({
        field,
        index,
        message: `${entry} is ${svc}, a global public service, not the jurisdiction's own; mirror it inside the jurisdiction, or add a declaredPublic exception with a reason`,
      });
    });
  }
  // A range with public addresses is public space: the jurisdiction's own only when it says so,
  // by the range itself, with a reason (a national research network, an operator's allocation),
  // and every report then shows it as declared public.
  b.cidrs.forEach((entry, index) => {
    const own = publicSpace([entry]);
    // A range wider than one operator holds is refused below, with the whole union.
    if ((own.v4 === 0n && own.v6 === 0n) || own.tooWide) return;
    if (
      (b.declaredPublic ?? []).some(
        (d) => d.host === entry && typeof d.reason === 'string' && d.reason.trim().length >= 10,
      )
    )
      return;
    out.push({
      field: 'cidrs',
      index,
      message: `${entry} holds public addresses (${own.v4 > 0n ? `${own.v4} IPv4` : 'IPv6 space'}) that the jurisdiction has not declared its own; use its private ranges, or add a declaredPublic exception naming ${entry} with a reason (the allocation it holds)`,
    });
  });
  const space = publicSpace(b.cidrs);
  if (space.tooWide) {
    out.push({
      field: 'cidrs',
      message: `the ranges together cover ${space.v4 > 0n ? `${space.v4} public IPv4 addresses` : ''}${space.v4 > 0n && space.v6 > 0n ? ' and ' : ''}${space.v6 > 0n ? 'public IPv6 space' : ''} — more than one operator owns (at most a /8 of IPv4, a /16 of IPv6); name the jurisdiction's own ranges`,
    });
  }
  (b.declaredPublic ?? []).forEach((d, index) => {
    const range = typeof d?.host === 'string' && b.cidrs.includes(d.host);
    if (typeof d?.host !== 'string' || (!range && publicServiceOf(d.host) === undefined))
      out.push({
        field: 'declaredPublic',
        index,
        message: `${String(d?.host)} is not a known public service (${PUBLIC_SERVICES.slice(0, 4).join(', ')}, …) nor one of the cidrs; a declaredPublic exception names one of them`,
      });
    else if (typeof d.reason !== 'string' || d.reason.trim().length < 10)
      out.push({ field: 'declaredPublic', index, message: 'the reason must be at least 10 characters' });
  });
  return out;
}
