import { one, str } from '../json';
import { endpointsIn } from '../../core/hosts';
import { type Outcome, type StackRule } from '../types';
import { judgeEndpoint } from './private/endpoint';

export const rule: StackRule = {
  id: 'SOV-007',
  title: 'State backend is explicit and inside the jurisdiction',
  severity: 'critical',
  fix: 'Declare a `local` backend with a relative path, an `s3` backend with an in-jurisdiction endpoint, a `kubernetes` backend, or a `pg` backend (connection string from PG_CONN_STR); never remote/cloud.',
  anchors: [
    'Terraform: Backend configuration',
    'GDPR Art. 44',
    'BSI C5:2020 PSS-12',
    'SecNumCloud 3.2 §19.6 (extra-EU law)',
  ],
  suppressible: false,
  scope: 'stack',
  check: (ctx) => {
    const b = ctx.stack.backend;
    const bad = (address: string, path: string, message: string): Outcome[] => [
      { status: 'non-compliant', address, path, message },
    ];
    if (ctx.stack.cloud)
      return bad(
        'terraform.cloud',
        'cloud',
        'state and runs live in HCP Terraform / Terraform Enterprise (`cloud` block)',
      );
    if (!b)
      return bad(
        'terraform.backend',
        'backend',
        'no backend declared: cdktf falls back to an implicit local backend with a machine path',
      );
    const address = `terraform.backend.${b.type}`;
    const good: Outcome[] = [{ status: 'compliant', address, path: b.type }];
    switch (b.type) {
      case 'local': {
        for (const f of ['path', 'workspace_dir']) {
          const v = str(b.body[f]);
          if (v !== undefined && (v.startsWith('/') || /^[A-Za-z]:[\\/]/.test(v) || v.startsWith('\\\\'))) {
            return bad(address, f, `${f} ${v} is an absolute machine path`);
          }
        }
        return good;
      }
      case 's3': {
        const eps = one(b.body.endpoints) ?? {};
        const candidates: [string, unknown][] = [
          ['endpoints.s3', eps.s3],
          ['endpoint', b.body.endpoint],
        ];
        const [path, v] = candidates.find(([, x]) => x !== undefined) ?? ['endpoints.s3', undefined];
        const s = str(v);
        if (s === undefined || s === '')
          return bad(address, 'endpoints.s3', 'no endpoint: state goes to Amazon S3');
        const found = endpointsIn(s);
        const e = found[0] ?? endpointsIn(`https://${s}`)[0];
        const verdict = e ? judgeEndpoint(e, ctx.metadata) : 'outside';
        if (verdict === 'unknown')
          return [{ status: 'unknown', address, path, message: `endpoint ${s} is not resolved` }];
        if (verdict === 'outside')
          return bad(address, path, `endpoint ${s} is outside the jurisdiction's declared hosts`);
        return good;
      }
      case 'kubernetes':
        return good;
      case 'pg':
        if (b.body.conn_str !== undefined)
          return bad(
            address,
            'conn_str',
            'conn_str is written into the stack; pass it as PG_CONN_STR instead',
          );
        return good;
      default:
        return bad(address, b.type, `backend ${b.type} is not one of local, s3, kubernetes, pg`);
    }
  },
};
