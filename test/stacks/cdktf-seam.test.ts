/**
 * The cdktf internals sovereign-stack relies on, one contract test each: a cdktf (or CDK
 * Terrain) release that moves one fails the test named after it. Then what synth changes in
 * cdktf: byte-identical output, and nothing left installed once synth is done.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Module from 'module';
import { App, DefaultTokenResolver, Lazy, StringConcat, TerraformStack, Token } from 'cdktf';
import { synthesize } from '../../bin/lib/synthesize';
import {
  archiverDeferralInstalled,
  deepMerge,
  disableTokenStackTraces,
  MAP_SENTINELS,
  NUMBER_TOKEN,
  privateResolve,
  restoreTokenStackTraces,
  STACK_TRACES_ENV,
  stackInternals,
  TOKEN_DOUBLE_MAGNITUDE,
  TOKEN_MAP_MODULE,
  TOKEN_MARKER,
  tokenStackTracesPatched,
} from '../../stacks/cdktf-seam';
import { REPO_ROOT } from '../support/paths';
import { lintTexts } from '../support/lint-texts';

beforeAll(() => process.chdir(REPO_ROOT));
afterEach(() => restoreTokenStackTraces());

/** Every file under `dir` as bytes, by relative path. */
function tree(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (fs.statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p);
    }
  };
  walk(dir);
  return out;
}

/** The creation stack cdktf records for a new token. */
function creationStack(): readonly string[] {
  return Lazy.anyValue({ produce: () => 'x' }).creationStack;
}

function node(script: string) {
  return spawnSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
}

const seam = JSON.stringify(path.join(REPO_ROOT, 'dist/stacks/cdktf-seam.js'));
const archiverLoaded = `Object.keys(require.cache).some((k) => k.includes('/node_modules/archiver/'))`;

describe('cdktf internals (one contract each)', () => {
  test('cdktf/lib/tokens/private/resolve: resolve(obj, { scope, preparing, resolver, prefix })', () => {
    const stack = new TerraformStack(new App({ outdir: '/nonexistent' }), 's');
    const resolve = privateResolve();
    expect(typeof resolve).toBe('function');
    const options = (prefix: string[]) => ({
      scope: stack,
      preparing: false,
      resolver: new DefaultTokenResolver(new StringConcat()),
      prefix,
    });
    const lazy = Lazy.stringValue({ produce: () => 'resolved' });
    expect(resolve({ a: [lazy, 1], b: undefined }, options([]))).toEqual({ a: ['resolved', 1] });
    // The prefix is what cdktf names in its errors: a function is refused at its full path.
    expect(() => resolve({ f: () => 1 }, options(['resource', 'x']))).toThrow(/resource\/x\/f/);
  });

  test('cdktf/lib/util: deepMerge(target, ...sources) merges maps in place and appends lists', () => {
    const target = { a: { b: 1 }, l: [1] };
    deepMerge(target, { a: { c: 2 }, l: [2] });
    expect(target).toEqual({ a: { b: 1, c: 2 }, l: [1, 2] });
  });

  test('TerraformStack fields rawOverrides and cdktfVersion', () => {
    const app = new App({ outdir: '/nonexistent' });
    const stack = new TerraformStack(app, 's');
    stack.addOverride('terraform.required_version', '>= 1.10');
    const internals = stackInternals(stack);
    expect(internals.rawOverrides).toEqual({ terraform: { required_version: '>= 1.10' } });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(internals.cdktfVersion).toBe((require('cdktf/package.json') as { version: string }).version);
  });

  test('token encoding: markers, number tokens and map sentinels', () => {
    const lazy = Lazy.stringValue({ produce: () => 'x' });
    expect(Token.asString(lazy)).toContain(TOKEN_MARKER);
    expect(Token.asList(lazy)[0]).toContain(TOKEN_MARKER);
    const n = Token.asNumber(Lazy.numberValue({ produce: () => 1 }));
    expect(Math.abs(n)).toBeGreaterThanOrEqual(TOKEN_DOUBLE_MAGNITUDE);
    expect(NUMBER_TOKEN.test(String(n))).toBe(true);
    expect([...MAP_SENTINELS].sort()).toEqual(
      [Token.STRING_MAP_TOKEN_VALUE, Token.ANY_MAP_TOKEN_VALUE, Token.NUMBER_MAP_TOKEN_VALUE].sort(),
    );
  });

  test('cdktf/lib/tokens/private/stack-trace: captureStackTrace records each token', () => {
    expect(creationStack().length).toBeGreaterThan(0);
    expect(disableTokenStackTraces(false)).toBe(true);
    expect(creationStack()).toEqual([]);
    restoreTokenStackTraces();
    expect(creationStack().length).toBeGreaterThan(0);
  });

  test('cdktf/lib/tokens/private/token-map: TokenMap.instance() holds the string and number maps', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { TokenMap } = require(TOKEN_MAP_MODULE) as {
      TokenMap: {
        instance(): { stringTokenMap: Map<unknown, unknown>; numberTokenMap: Map<unknown, unknown> };
      };
    };
    const map = TokenMap.instance();
    expect(map.stringTokenMap).toBeInstanceOf(Map);
    expect(map.numberTokenMap).toBeInstanceOf(Map);
    const before = map.stringTokenMap.size;
    Token.asString(Lazy.stringValue({ produce: () => 'y' }));
    expect(map.stringTokenMap.size).toBe(before + 1);
  });

  test('cdktf/lib/private/fs.js: requires archiver when cdktf loads; assets still zip with it deferred', () => {
    // Node's loader, not jest's: in a plain node process.
    const plain = node(`require('cdktf'); console.log(${archiverLoaded});`);
    expect(plain.stderr).toBe('');
    expect(plain.stdout.trim()).toBe('true');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-zip-'));
    try {
      fs.mkdirSync(path.join(tmp, 'src'));
      fs.writeFileSync(path.join(tmp, 'src', 'a.txt'), 'a');
      const zip = path.join(tmp, 'a.zip');
      const r = node(`
        const Module = require('module');
        const nodeLoad = Module._load;
        const undo = require(${seam}).deferArchiver();
        require('cdktf');
        const deferred = !(${archiverLoaded});
        undo();
        require('cdktf/lib/private/fs.js').archiveSync(${JSON.stringify(path.join(tmp, 'src'))}, ${JSON.stringify(zip)});
        console.log(deferred, Module._load === nodeLoad);
      `);
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe('true true');
      expect(fs.readFileSync(zip).subarray(0, 2).toString()).toBe('PK');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('the seam is the only way in', () => {
  interface Linted {
    readonly errorCount: number;
    readonly messages: string;
  }
  /** Each text linted as the file it names, with the project's config (test/support/lint-texts.ts). */
  function lint(cases: readonly { readonly file: string; readonly text: string }[]): Linted[] {
    return lintTexts(cases).map((m) => ({
      errorCount: m.filter((x) => x.severity === 2).length,
      messages: m.map((x) => x.message).join('\n'),
    }));
  }

  test('fails lint when code outside the seam imports or requires cdktf/lib/*', () => {
    const [imported, required, app] = lint([
      { file: 'stacks/elsewhere.ts', text: "export { deepMerge } from 'cdktf/lib/util';\n" },
      {
        file: 'constructs/elsewhere.ts',
        text: "// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const u = require('cdktf/lib/util');\n",
      },
      { file: 'stacks/elsewhere.ts', text: "export { App } from 'cdktf';\n" },
    ]);
    expect(imported.errorCount).toBeGreaterThan(0);
    expect(imported.messages).toContain('cdktf internals go through stacks/cdktf-seam.ts');
    expect(required.errorCount).toBeGreaterThan(0);
    expect(required.messages).toContain('cdktf internals go through stacks/cdktf-seam.ts');
    expect(app).toEqual({ errorCount: 0, messages: '' });
  });
});

describe('what synth changes in cdktf', () => {
  test.each(['examples/sovereign.yaml', 'examples/minimal.yaml'])(
    'synthesized files of %s are byte-identical with and without stack traces',
    async (spec) => {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-traces-'));
      try {
        const fast = path.join(tmp, 'fast', 'cdktf.out');
        const traced = path.join(tmp, 'traced', 'cdktf.out');
        const today = '2026-01-01';
        await synthesize({ spec, outdir: fast, today });
        await synthesize({ spec, outdir: traced, today, debug: true });
        const a = tree(fast);
        const b = tree(traced);
        expect(Object.keys(a).length).toBeGreaterThan(1);
        expect(Object.keys(a)).toEqual(Object.keys(b));
        for (const f of Object.keys(a)) expect({ f, same: a[f].equals(b[f]) }).toEqual({ f, same: true });
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    },
  );

  test(`stack traces stay on when asked to keep them (--debug, ${STACK_TRACES_ENV}=1)`, () => {
    expect(disableTokenStackTraces(true)).toBe(false);
    expect(creationStack().length).toBeGreaterThan(0);
    const before = process.env[STACK_TRACES_ENV];
    process.env[STACK_TRACES_ENV] = '1';
    try {
      expect(disableTokenStackTraces()).toBe(false);
      expect(creationStack().length).toBeGreaterThan(0);
    } finally {
      if (before === undefined) delete process.env[STACK_TRACES_ENV];
      else process.env[STACK_TRACES_ENV] = before;
    }
  });

  test('nothing stays patched after synth: capture, module loader, cross-stack switch', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-traces-'));
    const load = (Module as unknown as { _load: unknown })._load;
    try {
      await synthesize({ spec: 'examples/minimal.yaml', outdir: path.join(tmp, 'out') });
      expect(creationStack().length).toBeGreaterThan(0);
      expect(tokenStackTracesPatched()).toBe(false);
      expect(archiverDeferralInstalled()).toBe(false);
      expect((Module as unknown as { _load: unknown })._load).toBe(load);
      const { JurisdictionStack } = await import('../../stacks/jurisdiction-stack');
      expect(JurisdictionStack.findCrossStackReferences).toBe(true);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('nothing stays patched after a synth that fails', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-traces-'));
    const load = (Module as unknown as { _load: unknown })._load;
    try {
      // A file where the output directory should go: synth refuses after loading cdktf.
      const blocker = path.join(tmp, 'file');
      fs.writeFileSync(blocker, 'x');
      await expect(
        synthesize({ spec: 'examples/minimal.yaml', outdir: path.join(blocker, 'out') }),
      ).rejects.toThrow(/output directory/);
      expect(tokenStackTracesPatched()).toBe(false);
      expect(archiverDeferralInstalled()).toBe(false);
      expect((Module as unknown as { _load: unknown })._load).toBe(load);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
