/**
 * Each example's HTML report, opened in Debian's headless Chromium (/usr/bin/chromium, driven
 * by playwright-core): it loads without a single network request and without a console error
 * (a CSP violation is one), the summary and one picture per jurisdiction are visible, and a
 * screenshot per example is saved under the test output directory ($SOVEREIGN_TEST_OUTPUT
 * when set, kept; a temporary directory removed afterwards otherwise).
 *
 * Chromium missing is a failure with the command to install it, not a skip: .ci/run installs it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { pathToFileURL } from 'url';
import { chromium, type BrowserContext } from 'playwright-core';
import { evaluateStacks } from '../../policy/engine';
import { renderHtml } from '../../policy/report/html';
import { buildReport } from '../../policy/report/model';
import { EXAMPLES } from '../support/paths';
import { synthExample, type Json } from '../support/synth';
import { exampleStack, metadata } from '../policy/fixtures';

const CHROMIUM = process.env.SOVEREIGN_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const kept = process.env.SOVEREIGN_TEST_OUTPUT;
let work: string;
let shots: string;
let context: BrowserContext | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Debian's chromium is not installed at ${CHROMIUM}: install it (apt-get install -y --no-install-recommends chromium; .ci/run does) or point SOVEREIGN_CHROMIUM at a Chromium binary`,
    );
  work = mkdtempSync(join(tmpdir(), 'sovereign-html-'));
  shots = kept ? join(kept, 'html-report') : join(work, 'screenshots');
  mkdirSync(shots, { recursive: true });
  // A fresh profile in the temporary directory.
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 1600 },
    offline: true,
  });
});

afterAll(async () => {
  await context?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each(['sovereign.yaml', 'minimal.yaml'])(
  'examples/%s HTML report in headless Chromium',
  (example) => {
    // The page is made in a hook of its own, the browser work is the test: each within the time limit.
    let stacks: { name: string; json: Json }[];
    let file: string;
    beforeAll(() => {
      const synth = synthExample(join(EXAMPLES, example));
      stacks = Object.entries(synth.stacks).map(([name, json]) => ({ name, json }));
      const report = buildReport(evaluateStacks(stacks, { today: '2026-12-07' }), {
        now: '2026-12-07T10:00:00Z',
      });
      file = join(work, `${example.replace(/\.yaml$/, '')}.html`);
      writeFileSync(file, renderHtml(report));
    });

    test('loads with no network request and no console error; summary and pictures are visible; screenshot saved', async () => {
      const url = pathToFileURL(file).href;

      const page = await context!.newPage();
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      const response = await page.goto(url, { waitUntil: 'load' });
      expect(response?.ok()).toBe(true);
      await page.waitForLoadState('networkidle');

      // The only request is the page itself.
      expect(requests).toEqual([url]);
      expect(errors).toEqual([]);
      expect(await page.locator('#summary').isVisible()).toBe(true);
      expect(await page.locator('#summary table.summary tbody tr').count()).toBe(stacks.length);
      const pictures = page.locator('svg.picture');
      expect(await pictures.count()).toBe(stacks.length);
      for (let i = 0; i < stacks.length; i++) {
        expect(await pictures.nth(i).isVisible()).toBe(true);
        const box = await pictures.nth(i).boundingBox();
        expect(box!.width).toBeGreaterThan(300);
        expect(box!.height).toBeGreaterThan(150);
      }
      // Details start collapsed; opening one shows its table.
      const first = page.locator('details').first();
      expect(await first.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(false);
      await first.locator('summary').click();
      expect(await first.locator('table').first().isVisible()).toBe(true);
      await first.locator('summary').click();

      const png = join(shots, `${example.replace(/\.yaml$/, '')}.png`);
      await page.screenshot({ path: png });
      expect(readFileSync(png).subarray(1, 4).toString('ascii')).toBe('PNG');
      await page.close();
      expect(requests).toEqual([url]);
    });
  },
);

test('the checks above do catch a page that tries to load something (negative control)', async () => {
  const page = await context!.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const file = join(work, 'hostile.html');
  // What a report must never do: the same CSP as the report, an external image and style.
  const html = renderHtml(
    buildReport(evaluateStacks([], { today: '2026-12-07' }), { now: '2026-12-07T10:00:00Z' }),
  ).replace(
    '</main>',
    '<img src="https://cdn.example/x.png"><link rel="stylesheet" href="https://cdn.example/x.css"></main>',
  );
  writeFileSync(file, html);
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  expect(errors.join('\n')).toMatch(/Content Security Policy/);
  await page.close();
});

test('hostile strings from the artifact stay text in the browser: no script runs, no element is injected', async () => {
  const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  const m = metadata({
    suppressions: [
      {
        rule: 'K8S-023',
        resource: 'kubernetes_namespace_v1.gpu_operator',
        reason: `fine ${evil}`,
        expires: '2099-12-31',
      },
    ],
    models: [{ ...metadata().models[0], name: `llama${evil}` }],
  });
  const j = exampleStack(m);
  j.resource.kubernetes_deployment_v1[`x${evil}`] = j.resource.kubernetes_deployment_v1.vllm_llama;
  const report = buildReport(evaluateStacks([{ name: `de${evil}`, json: j }], { today: '2026-12-07' }), {
    now: '2026-12-07T10:00:00Z',
  });
  const file = join(work, 'evil.html');
  writeFileSync(file, renderHtml(report));
  const page = await context!.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('console', (m2) => {
    if (m2.type() === 'error') errors.push(m2.text());
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
  expect(await page.locator('script').count()).toBe(0);
  expect(await page.locator('img').count()).toBe(0);
  // The text is shown as written.
  expect(await page.getByText(`fine ${evil}`).count()).toBeGreaterThan(0);
  await page.close();
});
