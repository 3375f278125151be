import { join } from 'path';
import { evaluateStacks } from '../../../policy/engine';
import { endpointsIn } from '../../../core/hosts';
import { renderHtml } from '../../../policy/report/html';
import { buildReport } from '../../../policy/report/model';
import { clip, pictureOf } from '../../../policy/report/picture';
import { judgeEndpoint } from '../../../policy/rules/private/endpoint';
import { stackView, readMetadata } from '../../../policy/stack';
import { EXAMPLES } from '../../support/paths';
import { synthExample } from '../../support/synth';
import { exampleStack, metadata } from '../fixtures';
import { exampleReport } from './helpers';

/** Everything that would make a page load or run something. */
function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(
    /<(link|iframe|object|embed|img|image|use|foreignObject|audio|video|source|base|form)\b/i,
  );
  // Every real tag (text has its < escaped): no event handler, no reference to anything but the page.
  for (const m of html.matchAll(/<([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
    const attrs = m[2];
    expect([m[1], attrs]).not.toEqual([m[1], expect.stringMatching(/\son[a-z]+\s*=/i)]);
    for (const a of attrs.matchAll(
      /\s(src|srcset|href|xlink:href|action|formaction|poster|background)\s*=\s*("[^"]*"|'[^']*'|\S+)/gi,
    ))
      expect(a[2]).toMatch(/^["']?#/);
  }
  expect(html).not.toMatch(/@import|@font-face/i);
  // CSS url() only to in-page fragments (SVG markers).
  for (const m of html.matchAll(/url\(([^)]*)\)/gi)) expect(m[1]).toMatch(/^#[A-Za-z0-9_-]+$/);
  expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
}

describe('html report', () => {
  const html = renderHtml(exampleReport());

  test('one self-contained page: no script, no external style, font or image, a CSP that forbids loading', () => {
    expectSelfContained(html);
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  test('summary first: identity, verdict and counts, then per jurisdiction the failures, boundary, picture, then details', () => {
    const at = (s: string) => {
      const i = html.indexOf(s);
      expect([s, i >= 0]).toEqual([s, true]);
      return i;
    };
    expect(at('Audited 2026-06-01T10:00:00Z')).toBeLessThan(at('<h2>de: stack'));
    expect(at('<span class="badge pass">PASS</span>')).toBeLessThan(at('<h2>de: stack'));
    expect(at('<h3>Suppressions</h3>')).toBeLessThan(at('<h3>Boundary</h3>'));
    expect(at('GPU operator driver and toolkit daemon sets need privileged pods')).toBeLessThan(
      at('<details>'),
    );
    expect(at('Declared by: <strong>self-declared in the artifact</strong>')).toBeLessThan(at('<svg'));
    expect(at('<svg')).toBeLessThan(at('<details>'));
    // Collapsed: no <details open>.
    expect(html).not.toMatch(/<details[^>]*\sopen/);
    expect(html).toContain('<summary>Controls, per rule');
    expect(html).toContain('<summary>Framework matrix</summary>');
  });

  test('failures show in the summary with rule, field and fix', () => {
    const broken = renderHtml(exampleReport({ broken: true }));
    expect(broken).toContain('<span class="badge fail">FAIL</span>');
    const fr = broken.slice(broken.indexOf('<h2>de: stack', broken.indexOf('<h2>de: stack') + 1));
    expect(fr).toContain('<h3>Failures</h3>');
    expect(fr).toContain(
      '<td>SOV-002</td><td>error</td><td><code>kubernetes_deployment_v1.vllm_llama</code></td>',
    );
  });

  test('is deterministic', () => expect(renderHtml(exampleReport())).toBe(html));

  test('strings from the artifact are inert: a <script> in a resource name, a model name and a reason', () => {
    const evil = '<script>alert(1)</script>';
    const base = metadata();
    const m = metadata({
      jurisdiction: `de"><img src=x onerror=alert(1)>`,
      models: [{ ...base.models[0], name: `llama${evil}`, license: `<svg onload=alert(1)>` }],
      suppressions: [
        {
          rule: 'K8S-023',
          resource: 'kubernetes_namespace_v1.gpu_operator',
          reason: `needed </td></tr></table>${evil}<a href="https://evil.example">x</a>`,
          expires: '2099-12-31',
        },
      ],
    });
    const j = exampleStack(m);
    j.resource.kubernetes_deployment_v1[`x${evil}`] = j.resource.kubernetes_deployment_v1.vllm_llama;
    const r = buildReport(evaluateStacks([{ name: `de${evil}`, json: j }], { today: '2026-06-01' }), {
      now: '2026-06-01T10:00:00Z',
    });
    const out = renderHtml(r);
    expectSelfContained(out);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).not.toContain('<svg onload');
    expect(out).not.toContain('<a href="https');
    expect(out).toContain('&lt;a href=&quot;https://evil.example&quot;&gt;');
    // The picture escapes too.
    expect(out).toContain('model llama&lt;script&gt;');
  });

  test('the page passes the endpoint rule: every endpoint it names is inside the boundary', () => {
    const synth = synthExample(join(EXAMPLES, 'sovereign.yaml'));
    const stacks = Object.entries(synth.stacks).map(([name, json]) => ({ name, json }));
    const r = buildReport(evaluateStacks(stacks, { today: '2026-12-07' }), { now: '2026-12-07T10:00:00Z' });
    const page = renderHtml(r);
    expectSelfContained(page);
    const metas = stacks.map((s) => readMetadata(stackView(s.name, s.json)).metadata);
    const found = endpointsIn(page);
    expect(found.length).toBeGreaterThan(0);
    for (const e of found) {
      const inside = metas.some((mm) => judgeEndpoint(e, mm) === 'inside');
      expect([e.text, inside]).toEqual([e.text, true]);
    }
    // One picture per jurisdiction.
    expect(page.match(/<svg class="picture"/g)).toHaveLength(stacks.length);
    // The trust anchor and every model's licence, its clauses and acceptances, cited without a scheme.
    expect(page).toContain('<strong>Trust anchor: self-declared.</strong>');
    expect(page.match(/<summary>Model licences<\/summary>/g)).toHaveLength(stacks.length);
    expect(page).toContain(
      'Llama 3.1 Community License Agreement (llama3.1, github.com/meta-llama/llama-models/',
    );
    expect(page).toMatch(/LIC-002: The weights are a pinned revision served offline/);
  });
});

describe('the picture', () => {
  test('long lines are shortened after the host, never inside it', () => {
    const url = 'https://api.k8s.fra.sovereign-cloud.de.example:6443/some/long/path/segment';
    const c = clip(url);
    expect(c.length).toBeLessThanOrEqual(url.length);
    expect(c.startsWith('https://api.k8s.fra.sovereign-cloud.de.example:6443/')).toBe(true);
    expect(endpointsIn(c)[0]).toMatchObject({ host: 'api.k8s.fra.sovereign-cloud.de.example', port: 6443 });
    expect(clip('terraform-mirror.fra.sovereign-cloud.de.example')).toBe(
      'terraform-mirror.fra.sovereign-cloud.de.example',
    );
    expect(clip('short')).toBe('short');
  });

  test('draws boundary, cluster, pools, stores, models, the operator and every endpoint, coloured by where they are', () => {
    const r = exampleReport({ broken: true });
    const p = pictureOf(r.stacks[1]);
    const ids = p.nodes.map((n) => n.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'api',
        'model:llama',
        'pool:h100',
        'reg:docker.io',
        'reg:registry.de.example',
        'charts:https://charts.de.example/nvidia',
        'terraform',
      ]),
    );
    expect(ids.some((i) => i.startsWith('store:'))).toBe(true);
    expect(ids.some((i) => i.startsWith('weights:'))).toBe(true);
    expect(ids.some((i) => i.startsWith('backend:'))).toBe(true);
    expect(p.nodes.find((n) => n.id === 'reg:docker.io')).toMatchObject({
      where: 'outside',
      group: 'outside',
    });
    expect(p.nodes.find((n) => n.id === 'reg:registry.de.example')).toMatchObject({
      where: 'inside',
      group: 'boundary',
    });
    expect(p.nodes.find((n) => n.id === 'model:llama')).toMatchObject({ group: 'cluster' });
    expect(p.edges).toContainEqual({ from: 'model:llama', to: 'pool:h100', label: 'runs on' });
    // The way in: who may call, the Service, the model it serves.
    expect(p.edges).toContainEqual({ from: 'svc:llm/vllm-llama', to: 'model:llama', label: 'serves' });
    expect(p.edges).toContainEqual({ from: 'callers:0', to: 'svc:llm/vllm-llama', label: 'calls' });
    expect(p.nodes.find((n) => n.id === 'callers:0')!.lines).toEqual([
      'may call in (allow-serving)',
      'namespace gateway',
    ]);
    expect(p.edges).toContainEqual({ from: 'reg:docker.io', to: 'model:llama', label: 'images' });
    expect(p.groups.map((g) => g.id)).toEqual(['boundary', 'cluster', 'public', 'outside', 'unknown']);
  });

  test('a public provider registry the stack declares is drawn as declared public', () => {
    const m = metadata();
    const r = buildReport(evaluateStacks([{ name: 'de', json: exampleStack(m) }], { today: '2026-06-01' }), {
      now: 'x',
    });
    const p = pictureOf(r.stacks[0]);
    expect(p.nodes.find((n) => n.id === 'prov:registry.terraform.io')).toMatchObject({
      where: 'declared-public',
      group: 'public',
    });
  });
});
