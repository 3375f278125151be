/**
 * The state backends a jurisdiction may use, always explicit. cdktf 0.21 has no class for
 * the `kubernetes` backend, no `use_lockfile` on its S3 backend and makes `pg` take a literal
 * connection string, so one small backend class emits exactly the JSON Terraform and OpenTofu
 * read. HCP Terraform / Terraform Cloud (`remote`, `cloud`) is never emitted: the state would
 * live outside the jurisdiction (the spec refuses it with that explanation).
 *
 * @see https://developer.hashicorp.com/terraform/language/backend/s3
 * @see https://developer.hashicorp.com/terraform/language/backend/kubernetes
 * @see https://developer.hashicorp.com/terraform/language/backend/pg
 * @see https://opentofu.org/docs/language/settings/backends/configuration/
 */
import * as path from 'path';
import { TerraformBackend, type TerraformRemoteState } from 'cdktf';
import { type Construct } from 'constructs';
import { invalidProps } from '../core/errors';
import type { BackendSpec, JurisdictionSpec } from './spec/schema';
import { readCaPem } from './spec/ca';

export type BackendAttributes = Record<string, unknown>;

export class SovereignBackend extends TerraformBackend {
  /** Backend type as Terraform names it (`local`, `s3`, `kubernetes`, `pg`). */
  public readonly backendType: string;
  /** The attributes written under `terraform.backend.<type>`, as synthesized. */
  public readonly attributes: BackendAttributes;

  constructor(
    scope: Construct,
    backendType: 'local' | 's3' | 'kubernetes' | 'pg',
    attributes: BackendAttributes,
  ) {
    super(scope, 'backend', backendType);
    this.backendType = backendType;
    this.attributes = attributes;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return this.attributes;
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return this.attributes;
  }

  /** Stacks never read each other's state: one jurisdiction's data stays in it. */
  public getRemoteStateDataSource(_scope: Construct, name: string, fromStack: string): TerraformRemoteState {
    throw invalidProps(`stack ${fromStack}`, [
      {
        path: name,
        message:
          "a reference to another jurisdiction's stack would make its state a dependency; each jurisdiction stands alone",
      },
    ]);
  }
}

/** The backend attributes for a spec's backend, in the order Terraform documents them. */
/**
 * @param projectFromStack the project directory as seen from the stack's working directory
 * (`../../..` for cdktf.out/stacks/<name>): a local state path is given relative to the
 * project, and Terraform resolves it from the stack directory.
 */
export function backendAttributes(
  backend: BackendSpec,
  cluster: JurisdictionSpec['cluster'],
  projectFromStack = '../../..',
): BackendAttributes {
  switch (backend.type) {
    case 'local':
      // Outside the synthesized output (re-synthesis never touches the state) and never an
      // absolute path of the machine that synthesized it.
      return { path: posixJoin(projectFromStack, backend.path) };
    case 's3':
      return {
        bucket: backend.bucket,
        key: backend.key,
        region: backend.region,
        endpoints: { s3: backend.endpoint },
        use_path_style: backend.usePathStyle,
        use_lockfile: backend.useLockfile,
        encrypt: backend.encrypt,
        // An S3-compatible store has no AWS STS, IAM or EC2 metadata service to ask.
        skip_credentials_validation: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
        skip_requesting_account_id: true,
        skip_s3_checksum: true,
      };
    case 'kubernetes': {
      const access = cluster.kubeconfig
        ? {
            config_path: fromStackDir(projectFromStack, cluster.kubeconfig.path),
            config_context: cluster.kubeconfig.context,
          }
        : {
            host: cluster.api?.host,
            // The backend takes CA data, not a file (and a backend block calls no function):
            // the certificates of caCertificateFile, read as validate reads them (spec/ca.ts).
            ...(cluster.api?.caCertificateFile !== undefined
              ? { cluster_ca_certificate: caData(cluster.api.caCertificateFile) }
              : {}),
            ...(cluster.api?.exec
              ? {
                  exec: {
                    api_version: cluster.api.exec.apiVersion,
                    command: cluster.api.exec.command,
                    args: cluster.api.exec.args,
                  },
                }
              : {}),
          };
      return { secret_suffix: backend.secretSuffix, namespace: backend.namespace, ...access };
    }
    case 'pg':
      // No conn_str: Terraform and OpenTofu read PG_CONN_STR from the environment.
      return { schema_name: backend.schemaName };
  }
}

function posixJoin(a: string, b: string): string {
  return path.posix.normalize(`${a.split(path.sep).join('/')}/${b}`);
}

/**
 * A file path the user gave relative to the project, as Terraform must read it from the
 * stack's working directory. Absolute and `~` paths are kept: they mean the same from anywhere.
 */
function caData(file: string): string {
  const r = readCaPem(file);
  if ('problem' in r) throw invalidProps('cluster.api', [{ path: 'caCertificateFile', message: r.problem }]);
  return r.pem;
}

export function fromStackDir(projectFromStack: string, file: string): string {
  return file.startsWith('/') || file.startsWith('~') ? file : posixJoin(projectFromStack, file);
}
