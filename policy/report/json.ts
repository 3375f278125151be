/** Machine-readable report: the report model as JSON, two-space indented, trailing newline. */
import type { AuditReport } from './model';

export function renderJson(r: AuditReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
