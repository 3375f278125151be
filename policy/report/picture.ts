/**
 * The jurisdiction's picture: an SVG drawn from the report of one stack (and so from the
 * synthesized artifact alone) — the declared boundary, the cluster, its GPU pools, stores,
 * models and their servers, the GPU Operator, and every endpoint the stack touches (image
 * registries, chart repository, provider registry, state backend, weight sources), each
 * coloured inside / declared public / outside / unknown.
 *
 * Laid out with dagre (@dagrejs/dagre, a maintained layered-graph layout library) when the
 * report is rendered; the result is static SVG: no script runs when the file is opened.
 * Every string from the artifact is escaped.
 */
import type { StackReport, Where } from './model';

export const COLOURS: Readonly<Record<Where, { stroke: string; fill: string; label: string }>> = {
  inside: { stroke: '#1a7f37', fill: '#e9f6ec', label: 'inside the jurisdiction' },
  'declared-public': { stroke: '#9a6700', fill: '#fff6dc', label: 'declared public (allowed, not inside)' },
  outside: { stroke: '#cf222e', fill: '#ffebe9', label: 'outside the jurisdiction' },
  unknown: { stroke: '#57606a', fill: '#f0f2f4', label: 'not decidable from the artifact' },
};

/** Text safe in SVG/HTML element content and attribute values. */
export function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const MAX = 36;
/**
 * Shortens a long line for a box, never inside a host name: a cut host would name another
 * host (`api.de.example` → `api.de.exam…`). Only what follows the first `/` after the host
 * is cut, and the cut is marked after a `/`; the full text is in the box's tooltip.
 */
export function clip(s: string): string {
  if (s.length <= MAX) return s;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(s)?.[0] ?? '';
  const slash = s.indexOf('/', scheme.length);
  if (slash < 0 || slash + 1 >= MAX - 1) return slash < 0 ? s : `${s.slice(0, slash + 1)}…`;
  const cut = s.lastIndexOf('/', MAX - 2);
  return `${s.slice(0, Math.max(cut, slash) + 1)}…`;
}
const CHAR_W = 7;
const LINE_H = 15;

interface PNode {
  readonly id: string;
  readonly lines: readonly string[];
  readonly where: Where;
  readonly group: string;
  /** Full text for the tooltip. */
  readonly title: string;
}

interface PEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
}

interface Picture {
  readonly nodes: PNode[];
  readonly edges: PEdge[];
  readonly groups: { id: string; label: string; parent?: string; where: Where }[];
}

/** What to draw: nodes, edges and groups, from the stack report. */
export function pictureOf(s: StackReport): Picture {
  const nodes = new Map<string, PNode>();
  const edges = new Map<string, PEdge>();
  const groupOf = (w: Where) =>
    w === 'inside'
      ? 'boundary'
      : w === 'declared-public'
        ? 'public'
        : w === 'outside'
          ? 'outside'
          : 'unknown';
  const node = (id: string, lines: string[], where: Where, group = groupOf(where)) => {
    if (!nodes.has(id)) nodes.set(id, { id, lines: lines.map(clip), where, group, title: lines.join(' — ') });
    return id;
  };
  const edge = (from: string, to: string, label: string) => {
    if (from !== to && nodes.has(from) && nodes.has(to)) edges.set(`${from}\u0000${to}`, { from, to, label });
  };

  // Inside the cluster.
  const apis = s.dataLocations.filter((d) => d.kind === 'cluster-api');
  const api = apis[0];
  const apiId = node(
    'api',
    ['Kubernetes API', api ? api.location : 'not named in the artifact'],
    api?.jurisdiction ?? 'unknown',
    'cluster',
  );
  for (const p of s.inventory.pools) {
    if (p.gpuProduct === undefined) {
      // Named by a model, not declared by the stack: drawn, and said so.
      if (p.name !== '(none)')
        node(
          `pool:${p.name}`,
          [`GPU pool ${p.name}`, 'not declared in the stack metadata', `${p.gpusRequested} GPUs requested`],
          'unknown',
          'cluster',
        );
      continue;
    }
    const gpus = p.physicalGpusPerNode ?? p.gpusPerNode;
    node(
      `pool:${p.name}`,
      [
        `GPU pool ${p.name}`,
        `${p.nodeCount ?? '?'} × ${gpus ?? '?'} ${p.gpuProduct}`,
        `${p.gpusRequested} of ${p.gpusOffered ?? '?'} GPUs requested${p.sharing && p.sharing !== 'none' ? ` (${p.sharing})` : ''}`,
      ],
      'inside',
      'cluster',
    );
  }
  const stores = s.dataLocations.filter((d) => d.kind === 'storage');
  for (const st of stores)
    node(`store:${st.name}`, ['store', st.name, st.location], st.jurisdiction, 'cluster');
  for (const m of s.inventory.models) {
    const id = node(
      `model:${m.name}`,
      [
        `model ${m.name}`,
        `${m.engine} × ${m.replicas}${m.gpus > 0 ? `, ${m.gpus} GPU each` : ', CPU'}`,
        m.apiKey ? 'API key required' : 'NO API KEY',
      ],
      'inside',
      'cluster',
    );
    if (m.pool) edge(id, `pool:${m.pool}`, 'runs on');
  }
  // How clients reach the models: the Services, and who the NetworkPolicies let call in.
  for (const svc of s.inventory.services) {
    if (svc.models.length === 0 && svc.type === 'ClusterIP') continue;
    const exposed = svc.type !== 'ClusterIP';
    const id = node(
      `svc:${svc.namespace}/${svc.name}`,
      [
        `Service ${svc.namespace}/${svc.name}`,
        `${svc.type}${svc.ports.length ? ` :${svc.ports.join(', :')}` : ''}`,
        ...(exposed ? ['reachable from outside the cluster'] : []),
      ],
      'inside',
      'cluster',
    );
    for (const m of svc.models) edge(id, `model:${m}`, 'serves');
  }
  s.inventory.callers.forEach((c, i) => {
    const id = node(
      `callers:${i}`,
      [
        `may call in (${c.policy})`,
        ...c.from.slice(0, 3),
        ...(c.from.length > 3 ? [`and ${c.from.length - 3} more`] : []),
      ],
      c.from.some((f) => f === 'anyone' || /^[0-9a-f:.]+\/\d+$/i.test(f)) ? 'unknown' : 'inside',
      'cluster',
    );
    for (const svc of s.inventory.services)
      if (svc.namespace === c.namespace && svc.models.length > 0)
        edge(
          id,
          `svc:${svc.namespace}/${svc.name}`,
          c.ports.length > 0 ? `port ${c.ports.join(', ')}` : 'calls',
        );
  });
  for (const c of s.supplyChain.charts) {
    node(
      `chart:${c.address}`,
      [`Helm release ${c.release}`, `${c.chart} ${c.version ?? '(unpinned)'}`],
      'inside',
      'cluster',
    );
    for (const p of s.inventory.pools) edge(`chart:${c.address}`, `pool:${p.name}`, 'operands');
  }

  // Terraform's own dependencies.
  const tf = node(
    'terraform',
    ['Terraform / OpenTofu run', 'where it runs is not in the artifact'],
    'unknown',
    'unknown',
  );
  edge(tf, apiId, 'applies');

  // Endpoints.
  for (const d of s.dataLocations) {
    switch (d.kind) {
      case 'image-registry': {
        const id = node(`reg:${d.location}`, ['image registry', d.location], d.jurisdiction);
        for (const m of s.inventory.models) edge(id, `model:${m.name}`, 'images');
        for (const c of s.supplyChain.charts) edge(id, `chart:${c.address}`, 'operand images');
        break;
      }
      case 'chart-repository': {
        const id = node(`charts:${d.location}`, ['chart repository', d.location], d.jurisdiction);
        edge(id, `chart:${d.name}`, 'chart');
        break;
      }
      case 'provider-registry': {
        const id = node(`prov:${d.location}`, ['provider registry', d.location], d.jurisdiction);
        edge(id, tf, 'providers');
        break;
      }
      case 'backend': {
        const id = node(`backend:${d.name}`, [`state backend (${d.name})`, d.location], d.jurisdiction);
        edge(tf, id, 'state');
        break;
      }
      case 'weights-source': {
        const id = node(`weights:${d.location}`, ['weights source', d.location], d.jurisdiction);
        const model = /^model (.+)$/.exec(d.name)?.[1];
        if (model !== undefined) {
          if (stores.length === 1) {
            edge(id, `store:${stores[0].name}`, 'copied to');
            edge(`store:${stores[0].name}`, `model:${model}`, 'mounted');
          } else edge(id, `model:${model}`, 'weights');
        }
        break;
      }
      default:
        break;
    }
  }
  const used = new Set([...nodes.values()].map((n) => n.group));
  const groups: Picture['groups'] = [
    {
      id: 'boundary',
      label: `${s.jurisdiction}: declared boundary (${s.boundaryDeclaredBy})`,
      where: 'inside',
    },
    { id: 'cluster', label: 'Kubernetes cluster', parent: 'boundary', where: 'inside' },
    { id: 'public', label: 'declared public services', where: 'declared-public' },
    { id: 'outside', label: 'outside the jurisdiction', where: 'outside' },
    { id: 'unknown', label: 'not decidable from the artifact', where: 'unknown' },
  ].filter((g) => used.has(g.id) || (g.id === 'boundary' && used.has('cluster'))) as Picture['groups'];
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    nodes: [...nodes.values()].sort(byId),
    edges: [...edges.values()].sort((a, b) => byId({ id: a.from + a.to }, { id: b.from + b.to })),
    groups,
  };
}

/** The label of an edge, beside the middle of its routed line. */
function labelAt(points: readonly { x: number; y: number }[], label: string): string {
  const i = Math.max(0, Math.floor((points.length - 1) / 2));
  const a = points[i];
  const b = points[Math.min(points.length - 1, i + 1)];
  const x = Math.round(((a.x + b.x) / 2) * 10) / 10 + 4;
  const y = Math.round(((a.y + b.y) / 2) * 10) / 10 - 3;
  return `<text x="${x}" y="${y}" class="elabel">${esc(label)}</text>`;
}

interface Laid {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Lays the picture out with dagre and writes it as static SVG. */
export function renderPicture(s: StackReport, idPrefix: string): string {
  // Loaded here, only when an HTML report is rendered.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dagre = require('@dagrejs/dagre') as typeof import('@dagrejs/dagre');
  const pic = pictureOf(s);
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 60, marginx: 12, marginy: 24 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const grp of pic.groups) {
    g.setNode(`g:${grp.id}`, { label: grp.label, paddingTop: 26 } as never);
    if (grp.parent) g.setParent(`g:${grp.id}`, `g:${grp.parent}`);
  }
  for (const n of pic.nodes) {
    const width = Math.ceil(Math.max(...n.lines.map((l) => l.length)) * CHAR_W + 20);
    g.setNode(n.id, { width, height: n.lines.length * LINE_H + 12 });
    if (pic.groups.some((x) => x.id === n.group)) g.setParent(n.id, `g:${n.group}`);
  }
  for (const e of pic.edges)
    // Labels are placed on the routed line afterwards: sizeless, they keep the ranks tight.
    g.setEdge(e.from, e.to, {});
  dagre.layout(g);

  const r = (x: number) => Math.round(x * 10) / 10;
  const parts: string[] = [];
  let maxX = 0;
  let maxY = 0;
  const grow = (x: number, y: number) => {
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  };
  // Groups (outer first: dagre gives them their extent after layout); labels sit in the padding.
  for (const grp of pic.groups) {
    const b = g.node(`g:${grp.id}`) as unknown as Laid;
    if (!b || !Number.isFinite(b.x)) continue;
    const c = COLOURS[grp.where];
    const x = r(b.x - b.width / 2);
    const y = r(b.y - b.height / 2 - 14);
    grow(x + b.width, y + b.height + 14);
    parts.push(
      `<g class="group"><rect x="${x}" y="${y}" width="${r(b.width)}" height="${r(b.height + 14)}" rx="8" fill="${grp.id === 'cluster' ? '#ffffff' : c.fill}" stroke="${c.stroke}" stroke-width="${grp.id === 'boundary' ? 2.5 : 1.2}"${grp.id === 'boundary' ? '' : ' stroke-dasharray="5 3"'}/>` +
        `<text x="${r(x + 8)}" y="${r(y + 16)}" class="glabel">${esc(grp.label.length > 90 ? `${grp.label.slice(0, 89)}…` : grp.label)}</text></g>`,
    );
  }
  for (const e of pic.edges) {
    const l = g.edge(e.from, e.to) as unknown as {
      points: { x: number; y: number }[];
      x?: number;
      y?: number;
    };
    if (!l?.points?.length) continue;
    const d = l.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${r(p.x)},${r(p.y)}`).join(' ');
    for (const p of l.points) grow(p.x, p.y);
    parts.push(
      `<g class="edge"><path d="${d}" fill="none" stroke="#57606a" stroke-width="1.2" marker-end="url(#${idPrefix}-arrow)"/>` +
        labelAt(l.points, e.label) +
        '</g>',
    );
  }
  for (const n of pic.nodes) {
    const b = g.node(n.id) as unknown as Laid;
    const c = COLOURS[n.where];
    const x = r(b.x - b.width / 2);
    const y = r(b.y - b.height / 2);
    grow(x + b.width, y + b.height);
    const text = n.lines
      .map(
        (line, i) =>
          `<text x="${r(x + 10)}" y="${r(y + 18 + i * LINE_H)}"${i === 0 ? ' class="ntitle"' : ''}>${esc(line)}</text>`,
      )
      .join('');
    parts.push(
      `<g class="node ${n.where}"><title>${esc(n.title)} (${esc(c.label)})</title><rect x="${x}" y="${y}" width="${r(b.width)}" height="${r(b.height)}" rx="5" fill="${c.fill}" stroke="${c.stroke}" stroke-width="1.6"/>${text}</g>`,
    );
  }
  const legendY = r(maxY + 16);
  let lx = 12;
  const legend = (Object.keys(COLOURS) as Where[])
    .map((w) => {
      const c = COLOURS[w];
      const x = lx;
      lx += 20 + Math.ceil(c.label.length * CHAR_W) + 24;
      return `<rect x="${x}" y="${legendY}" width="14" height="14" rx="3" fill="${c.fill}" stroke="${c.stroke}" stroke-width="1.6"/><text x="${x + 20}" y="${r(legendY + 12)}">${esc(c.label)}</text>`;
    })
    .join('');
  const width = Math.ceil(Math.max(maxX + 12, lx));
  const height = Math.ceil(legendY + 30);
  return (
    `<svg class="picture" role="img" aria-labelledby="${idPrefix}-t" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" style="max-width:100%;height:auto">` +
    `<title id="${idPrefix}-t">${esc(`What ${s.jurisdiction} depends on, and where it is`)}</title>` +
    `<defs><marker id="${idPrefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#57606a"/></marker></defs>` +
    parts.join('') +
    `<g class="legend">${legend}</g></svg>`
  );
}
