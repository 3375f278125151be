/**
 * What every cluster controller installed from the jurisdiction's mirror shares (KEDA, the
 * LeaderWorkerSet controller, the agentgateway controller): a namespace at the restricted Pod
 * Security level, Helm releases that wait, roll back on failure and keep ten revisions, and a
 * NetworkPolicy that denies everything the controller's own allow-policy does not open.
 */
import type { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { podSecurityLabels } from '../../core/labels';

/** Release settings every mirrored controller chart gets (createNamespace off: the namespace is ours). */
export const CONTROLLER_RELEASE = {
  createNamespace: false,
  wait: true,
  atomic: true,
  cleanupOnFail: true,
  maxHistory: 10,
} as const;

/** The chart mirror's URL as Helm wants it (no trailing slash). */
export function chartRepositoryUrl(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The controller's namespace: its own labels and the restricted Pod Security labels, sorted. */
export function restrictedNamespace(
  scope: Construct,
  id: string,
  name: string,
  labels: Readonly<Record<string, string>>,
  podSecurityVersion: string,
): NamespaceV1 {
  const all: Record<string, string> = { ...labels, ...podSecurityLabels('restricted', podSecurityVersion) };
  const sorted = Object.fromEntries(
    Object.keys(all)
      .sort()
      .map((k) => [k, all[k]]),
  );
  return new NamespaceV1(scope, id, { metadata: { name, labels: sorted } });
}

/** `default-deny-all`: every pod of the namespace, ingress and egress, nothing allowed. */
export function denyAllNetworkPolicy(
  scope: Construct,
  id: string,
  metadata: { name: string; namespace: string; labels: Record<string, string> },
  dependsOn: ITerraformDependable[],
): NetworkPolicyV1 {
  return new NetworkPolicyV1(scope, id, {
    metadata,
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    dependsOn,
  });
}
