/** A stack's supply chain: every image (registry, digest) and chart (repository, version, operand images) it pulls. */
import type { StackResult } from '../engine';
import { parseImage } from '../../core/images';
import { helmChart } from '../images';
import { cmp, str } from '../json';
import { chartImages } from './chart-images';
import { imagesOf } from '../rules/private/helpers';
import type { ChartEntry, ImageEntry, StackReport } from './model';

export function supplyChain(r: StackResult): StackReport['supplyChain'] {
  const images = new Map<
    string,
    { usedBy: Set<string>; origins: Set<string>; operands: Set<string>; problem?: string; note?: string }
  >();
  const entry = (ref: string) => {
    const e = images.get(ref) ?? {
      usedBy: new Set<string>(),
      origins: new Set<string>(),
      operands: new Set<string>(),
    };
    images.set(ref, e);
    return e;
  };
  const resolved = new Map<string, ChartEntry['operands']>();
  for (const res of r.stack.resources) {
    for (const i of imagesOf(res)) {
      if (!i.ref || i.nameFromChart) continue;
      const e = entry(i.ref);
      e.usedBy.add(res.address);
      e.origins.add(res.type === 'helm_release' ? 'values' : 'resource');
    }
    const chart = chartImages(res);
    if (chart === undefined) continue;
    resolved.set(res.address, chart.known ? 'resolved' : 'chart version not known to the audit');
    for (const i of chart.images) {
      const e = entry(i.ref);
      e.usedBy.add(`${res.address} (${i.operand})`);
      e.origins.add(i.origin);
      e.operands.add(i.label);
      if (i.problem) e.problem = i.problem;
      if (i.note) e.note = i.note;
    }
  }
  const imageEntries: ImageEntry[] = [...images.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([ref, e]) => {
      const p = parseImage(ref);
      return {
        ref,
        registry: p.registry,
        repository: p.repository,
        tag: p.tag,
        digest: p.digest,
        usedBy: [...e.usedBy].sort(),
        origin: [...e.origins].sort().join(', '),
        ...(e.operands.size > 0 ? { operands: [...e.operands].sort() } : {}),
        ...(e.problem ? { problem: e.problem } : {}),
        ...(e.note ? { note: e.note } : {}),
      };
    });
  const charts: ChartEntry[] = r.stack.resources
    .filter((res) => res.type === 'helm_release')
    .map((res) => {
      const c = helmChart(res.body);
      const operands = resolved.get(res.address);
      return {
        address: res.address,
        release: str(res.body.name) ?? res.name,
        chart: c.chart ?? '',
        version: c.version,
        repository: c.repository,
        ...(operands ? { operands } : {}),
      };
    });
  return {
    images: imageEntries,
    charts,
    providers: r.stack.requiredProviders.map((p) => ({ name: p.name, source: p.source, version: p.version })),
    models: [...r.metadata.models].sort((a, b) => cmp(a.name, b.name)),
  };
}
