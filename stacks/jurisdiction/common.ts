/** What the builders of a jurisdiction's parts share: their inputs, the serving port, dependencies. */
import { dependable, TerraformResource, type ITerraformDependable, type TerraformStack } from 'cdktf';
import { type Construct } from 'constructs';
import type { JurisdictionSpec } from '../spec/schema';

/** Every server listens here; the serving NetworkPolicy opens only this port. */
export const SERVING_PORT = 8000;

/** Runs a construct's creation, turning its refusal into an error located in the spec. */
export type Locate = <T>(path: readonly (string | number)[], create: () => T) => T;

/** What every builder is handed: the stack, the jurisdiction's name and spec, and `at`. */
export interface BuildContext {
  readonly stack: TerraformStack;
  readonly name: string;
  readonly spec: JurisdictionSpec;
  readonly at: Locate;
  /** The serving namespace (servers and weight volumes). */
  readonly namespace: string;
}

export function portOf(url: string): number {
  const u = new URL(url);
  return u.port ? Number(u.port) : u.protocol === 'http:' ? 80 : 443;
}

/** Makes every Terraform resource under `scope` depend on `on` (a namespace, a Job). */
export function dependAll(scope: Construct, on: readonly ITerraformDependable[]): void {
  if (on.length === 0) return;
  for (const c of scope.node.findAll()) {
    if (c instanceof TerraformResource) {
      const current = c.dependsOn ?? [];
      c.dependsOn = [...current, ...on.map((d) => dependable(d))];
    }
  }
}
