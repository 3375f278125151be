import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatProblem, isSovereignError, type SovereignError } from '../../../core/errors';
import { loadSpec, MAX_SPEC_BYTES, parseSpec } from '../../../stacks/spec/load';
import { REPO_ROOT, fixture } from '../../support/paths';

beforeAll(() => process.chdir(REPO_ROOT));

function failure(file: string): SovereignError {
  try {
    loadSpec(file);
  } catch (e) {
    if (isSovereignError(e)) return e;
    throw e;
  }
  throw new Error(`${file} was accepted`);
}

function lines(file: string): string[] {
  return failure(file).problems.map(formatProblem);
}

describe('loadSpec on the bundled examples', () => {
  test.each(['examples/sovereign.yaml', 'examples/minimal.yaml'])('accepts %s', (file) => {
    const { spec } = loadSpec(file);
    expect(Object.keys(spec.jurisdictions).length).toBeGreaterThan(0);
  });

  test('applies defaults and resolves <jurisdiction> placeholders', () => {
    const { spec } = loadSpec('examples/sovereign.yaml');
    const de = spec.jurisdictions['de-fra'];
    expect(de.namespaces).toEqual({ serving: 'llm-serving', gpuOperator: 'gpu-operator' });
    expect(de.backend).toEqual({
      type: 's3',
      endpoint: 'https://s3.fra.sovereign-cloud.de.example',
      bucket: 'platform-tfstate',
      key: 'de-fra/terraform.tfstate',
      region: 'us-east-1',
      usePathStyle: true,
      useLockfile: true,
      encrypt: true,
    });
    expect(spec.jurisdictions['eu-edge-vie'].backend).toEqual({
      type: 'kubernetes',
      secretSuffix: 'eu-edge-vie',
      namespace: 'terraform-state',
    });
    expect(de.models['llama-3-1-70b'].maxConcurrentSequences).toBe(8);
    expect(de.models['llama-3-1-8b'].gpuMemoryUtilization).toBe(0.9);
    expect(de.pools.h100.sharing).toEqual({ mode: 'none' });
  });

  test('locate() gives the line and column of a field', () => {
    const loaded = loadSpec('examples/minimal.yaml');
    const text = fs.readFileSync('examples/minimal.yaml', 'utf8').split('\n');
    const pos = loaded.locate(['jurisdictions', 'lab', 'models', 'llama-8b', 'maxModelLenTokens'])!;
    expect(text[pos.line - 1].slice(pos.col - 1)).toBe('8192');
  });
});

describe('loadSpec refuses broken files with a located message', () => {
  test('fails when the file is missing', () => {
    expect(lines('test/fixtures/spec/nope.yaml')).toEqual(['test/fixtures/spec/nope.yaml  no such file']);
  });

  test('a directory is read as a spec in several files: each broken file reported in itself', () => {
    const ps = lines(fixture('spec'));
    expect(ps.slice(0, 3)).toEqual([
      'test/fixtures/spec/alias-bomb.yaml:3:8  expands YAML aliases more than 100 times; refused as a resource-exhaustion risk',
      'test/fixtures/spec/binary.yaml  holds binary content (a NUL byte at offset 32); a spec is UTF-8 text',
      'test/fixtures/spec/comments-only.yaml  is empty; a spec starts with `version: 1` and a `jurisdictions:` map',
    ]);
    expect(ps).toContain(
      'test/fixtures/spec/tags.yaml:5:25  YAML tag !vault is not allowed; write plain values',
    );
  });

  test('fails when the file is larger than 1 MiB, before parsing it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sov-huge-'));
    const big = path.join(dir, 'huge.yaml');
    fs.writeFileSync(big, `version: 1\n# ${'x'.repeat(MAX_SPEC_BYTES)}\n`);
    try {
      const e = failure(big);
      expect(e.code).toBe('SPEC_UNREADABLE');
      expect(e.problems[0].message).toBe(
        `is ${MAX_SPEC_BYTES + 14} bytes; a spec may be at most 1048576 bytes (1 MiB)`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });

  test.each([
    [
      'empty.yaml',
      'test/fixtures/spec/empty.yaml  is empty; a spec starts with `version: 1` and a `jurisdictions:` map',
    ],
    [
      'comments-only.yaml',
      'test/fixtures/spec/comments-only.yaml  is empty; a spec starts with `version: 1` and a `jurisdictions:` map',
    ],
    [
      'binary.yaml',
      'test/fixtures/spec/binary.yaml  holds binary content (a NUL byte at offset 32); a spec is UTF-8 text',
    ],
    ['latin1.yaml', 'test/fixtures/spec/latin1.yaml  is not valid UTF-8 text; save it as UTF-8'],
    [
      'multi-document.yaml',
      'test/fixtures/spec/multi-document.yaml:3:1  holds several YAML documents (---); put the whole spec in one document',
    ],
    [
      'not-a-mapping.yaml',
      'test/fixtures/spec/not-a-mapping.yaml:1:1  is not a mapping; a spec is a map with `version` and `jurisdictions`',
    ],
    [
      'syntax-error.yaml',
      'test/fixtures/spec/syntax-error.yaml:4:3  YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
    [
      'duplicate-key.yaml',
      'test/fixtures/spec/duplicate-key.yaml:2:1  key "version" appears more than once in this map; keys must be unique',
    ],
    [
      'alias-bomb.yaml',
      'test/fixtures/spec/alias-bomb.yaml:3:8  expands YAML aliases more than 100 times; refused as a resource-exhaustion risk',
    ],
  ])('fails when the file is %s', (name, expected) => {
    expect(lines(fixture('spec', name))).toEqual([expected]);
  });

  test('fails when the file uses YAML tags, naming each', () => {
    expect(lines(fixture('spec', 'tags.yaml'))).toEqual([
      'test/fixtures/spec/tags.yaml:4:23  YAML tag !!binary is not allowed; write plain values',
      'test/fixtures/spec/tags.yaml:5:25  YAML tag !vault is not allowed; write plain values',
    ]);
  });

  test('a leading byte-order mark is accepted', () => {
    const text = fs.readFileSync('examples/minimal.yaml');
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]);
    expect(Object.keys(parseSpec(withBom, 'bom.yaml').spec.jurisdictions)).toEqual(['lab']);
  });
});

describe('loadSpec reports every schema problem at once', () => {
  test('fails when keys are unknown, suggesting the closest', () => {
    expect(lines(fixture('spec', 'unknown-keys.yaml'))).toEqual([
      'test/fixtures/spec/unknown-keys.yaml:1:1  jurisdictions  is required (a map)',
      'test/fixtures/spec/unknown-keys.yaml:2:1  jurisdictons  unknown key "jurisdictons". Did you mean "jurisdictions"? Allowed here: version, defaults, jurisdictions',
    ]);
  });

  test('fails when the backend is HCP Terraform / Terraform Cloud, explaining why', () => {
    const got = lines(fixture('spec', 'remote-backend.yaml'));
    expect(got).toContain(
      'test/fixtures/spec/remote-backend.yaml:5:22  jurisdictions.lab.backend.type  backend "remote" (HCP Terraform / Terraform Cloud) is refused: the state would live outside the jurisdiction. Use s3 (an in-jurisdiction endpoint), kubernetes, pg or local',
    );
  });

  test('fails when fields have wrong types: one located line per field', () => {
    const e = failure(fixture('spec', 'wrong-types.yaml'));
    expect(e.code).toBe('SPEC_INVALID');
    expect(e.exitCode).toBe(2);
    const got = e.problems.map((p) => `${p.line}:${p.col} ${p.path}  ${p.message}`);
    // Every problem carries a position and a field path.
    for (const p of e.problems) {
      expect(p.line).toBeGreaterThan(0);
      expect(p.file).toBe('test/fixtures/spec/wrong-types.yaml');
    }
    expect(got).toEqual(
      fs
        .readFileSync(fixture('spec', 'wrong-types.expected.txt'), 'utf8')
        .split('\n')
        .filter((l) => l !== ''),
    );
  });

  test('fails when references, registries or endpoints leave the jurisdiction', () => {
    const got = failure(fixture('spec', 'semantic.yaml')).problems.map(
      (p) => `${p.line}:${p.col} ${p.path}  ${p.message}`,
    );
    expect(got).toEqual(
      fs
        .readFileSync(fixture('spec', 'semantic.expected.txt'), 'utf8')
        .split('\n')
        .filter((l) => l !== ''),
    );
  });

  test('one run reports type problems in one jurisdiction and semantic problems in another', () => {
    const text = fs
      .readFileSync('examples/sovereign.yaml', 'utf8')
      .replace('        replicas: 3\n', '        replicas: three\n')
      .replace(
        '        store: models\n        architecture: qwen2.5-7b',
        '        store: modles\n        architecture: qwen2.5-7b',
      );
    let problems: string[] = [];
    try {
      parseSpec(text, 'spec.yaml');
    } catch (e) {
      problems = (e as SovereignError).problems.map((p) => `${p.path}  ${p.message}`);
    }
    expect(problems).toEqual([
      'jurisdictions.fr-par.models.mistral-7b.replicas  expected a number, got "three"',
      'jurisdictions.eu-edge-vie.models.qwen-7b.store  store "modles" is not declared in this jurisdiction. Did you mean "models"? Stores: models',
    ]);
  });

  test('fails when weights are copied over the network but no network range is declared', () => {
    const text = fs
      .readFileSync('examples/minimal.yaml', 'utf8')
      .replace('      cidrs: [10.10.0.0/16]\n', '');
    let problems: string[] = [];
    try {
      parseSpec(text, 'spec.yaml');
    } catch (e) {
      problems = (e as SovereignError).problems.map(formatProblem);
    }
    expect(problems).toEqual([
      "spec.yaml:13:7  jurisdictions.lab.sovereignty.cidrs  weights are copied from models.lab.example, but no network range is declared: the weight Jobs' egress NetworkPolicy needs the CIDR of each source in sovereignty.cidrs",
    ]);
  });

  test('fails when extra engine flags are ones the toolkit sets, naming the spec field to use', () => {
    expect(lines(fixture('spec', 'engine-flags.yaml'))).toEqual([
      'test/fixtures/spec/engine-flags.yaml:27:21  jurisdictions.lab.models.m.extraArgs.0  "--served-model-name" is set by the toolkit from the model name (its key under models): set that in the spec instead',
      'test/fixtures/spec/engine-flags.yaml:27:45  jurisdictions.lab.models.m.extraArgs.2  "--max-num-seqs" is set by the toolkit from maxConcurrentSequences: set that in the spec instead',
      'test/fixtures/spec/engine-flags.yaml:27:66  jurisdictions.lab.models.m.extraArgs.4  "--port" is set by the toolkit',
      'test/fixtures/spec/engine-flags.yaml:29:11  jurisdictions.lab.models.m.weights.license  LIC-001 no licence is given: name the licence of the weights by its catalogue identifier (docs/licences.md)',
    ]);
  });

  test('judges endpoints as the policy gate does: a host declared with a port allows only that port', () => {
    const text = fs
      .readFileSync('examples/minimal.yaml', 'utf8')
      .replace("hosts: ['*.lab.example']", "hosts: ['*.lab.example', 'mirror.other.example:8443']")
      .replace('url: https://models.lab.example/', 'url: https://mirror.other.example/');
    let problems: string[] = [];
    try {
      parseSpec(text, 'spec.yaml');
    } catch (e) {
      problems = (e as SovereignError).problems.map((p) => `${p.path}  ${p.message}`);
    }
    expect(problems).toEqual([
      'jurisdictions.lab.models.llama-8b.weights.source.url  host "mirror.other.example" is not among the declared in-jurisdiction endpoints (*.lab.example, mirror.other.example:8443)',
    ]);
    const onPort = text.replace(
      'url: https://mirror.other.example/',
      'url: https://mirror.other.example:8443/',
    );
    expect(Object.keys(parseSpec(onPort, 'spec.yaml').spec.jurisdictions)).toEqual(['lab']);
  });

  test('a __proto__ key is refused, located, not dropped', () => {
    const text = fs
      .readFileSync('examples/minimal.yaml', 'utf8')
      .replace('jurisdictions:\n', 'jurisdictions:\n  "__proto__": { profile: bogus }\n');
    let problems: string[] = [];
    try {
      parseSpec(text, 'spec.yaml');
    } catch (e) {
      problems = (e as SovereignError).problems.map(formatProblem);
    }
    expect(problems).toEqual(['spec.yaml:7:3  jurisdictions.__proto__  "__proto__" is not allowed as a key']);
  });

  test('a bad value in defaults is reported once, at the defaults entry', () => {
    const text = fs
      .readFileSync('examples/sovereign.yaml', 'utf8')
      .replace('    dcgmExporter: true\n', '    dcgmExporter: "on"\n');
    const e = (() => {
      try {
        parseSpec(text, 'spec.yaml');
      } catch (err) {
        return err as SovereignError;
      }
      throw new Error('accepted');
    })();
    expect(e.problems.map(formatProblem)).toEqual([
      'spec.yaml:12:19  defaults.gpuOperator.dcgmExporter  expected true or false, got "on"',
    ]);
  });
});

describe('engine releases pinned per jurisdiction', () => {
  const base = () =>
    fs
      .readFileSync('test/fixtures/spec/engine-flags.yaml', 'utf8')
      .replace(/extraArgs: \[.*\]/, 'extraArgs: [--swap-space, "4"]')
      .replace('    pools:\n', '    ENGINES\n    pools:\n')
      .replace('        weights:\n', '        weights:\n          license: Apache-2.0\n')
      // A site's own tag names no release: these cases judge the pin alone.
      .replace('vllm-openai:v0.33.0@', 'vllm-openai:lab@');
  const problems = (text: string): string[] => {
    try {
      parseSpec(text, 'spec.yaml');
      return [];
    } catch (e) {
      return (e as SovereignError).problems.map(formatProblem);
    }
  };

  test('default: the newest release, which refuses a flag removed upstream, located and naming the release', () => {
    const text = base().replace('    ENGINES\n', '');
    expect(problems(text)).toEqual([
      'spec.yaml:27:21  jurisdictions.lab.models.m.extraArgs.0  "--swap-space" was removed from vLLM in v0.18.0 (vllm-project/vllm#36216); v0.33.0 refuses it (pin v0.12.0 to keep it)',
    ]);
    const { spec } = loadSpecText(text.replace('[--swap-space, "4"]', '[--seed, "1"]'));
    expect(spec.jurisdictions.lab.engines).toEqual({ vllm: 'v0.33.0', llamaCpp: 'b11459' });
  });

  test('a jurisdiction pinned to v0.12.0 keeps the flag', () => {
    expect(problems(base().replace('ENGINES', 'engines: { vllm: v0.12.0 }'))).toEqual([]);
  });

  test('a release that is not supported is a located schema error listing the supported ones', () => {
    const [p, ...rest] = problems(base().replace('ENGINES', 'engines: { vllm: v0.34.0 }'));
    expect(rest).toEqual([]);
    expect(p).toBe(
      'spec.yaml:16:22  jurisdictions.lab.engines.vllm  "v0.34.0" is not allowed. Did you mean "v0.33.0"? Allowed: v0.12.0, v0.33.0',
    );
    expect(problems(base().replace('ENGINES', 'engines: { llamacpp: b9174 }'))[0]).toContain(
      'jurisdictions.lab.engines',
    );
  });

  test('fails when the image tag names another release than the pin, at the image field, naming both', () => {
    const tagged = (tag: string, engines: string) =>
      problems(
        base()
          .replace('vllm-openai:lab@', `vllm-openai:${tag}@`)
          .replace('ENGINES', engines)
          .replace('[--swap-space, "4"]', '[--seed, "1"]'),
      );
    expect(tagged('v0.12.0', '')).toEqual([
      expect.stringMatching(
        /^spec\.yaml:\d+:\d+ {2}jurisdictions\.lab\.images\.vllm {2}the image is tagged vLLM v0\.12\.0 but the jurisdiction runs vLLM v0\.33\.0 \(engines\.vllm\)/,
      ),
    ]);
    expect(tagged('0.33.0', 'engines: { vllm: v0.12.0 }')[0]).toContain(
      'tagged vLLM v0.33.0 but the jurisdiction runs vLLM v0.12.0',
    );
    // Upstream's suffixes, and the case of the v, do not hide the release a tag names.
    for (const tag of ['v0.12.0-cu130', '0.12.0-cuda', 'v0.12.0.post1', 'v0.12.0rc1', 'V0.12.0'])
      expect({ tag, p: tagged(tag, '')[0] }).toEqual({
        tag,
        p: expect.stringContaining('tagged vLLM v0.12.0 but the jurisdiction runs vLLM v0.33.0'),
      });
    // Agreeing tag and pin pass, with or without the leading v or a suffix; so does a tag
    // naming no release. A lookalike of the pin (v0.33.01) is another release.
    expect(tagged('v0.12.0', 'engines: { vllm: v0.12.0 }')).toEqual([]);
    expect(tagged('0.33.0', '')).toEqual([]);
    expect(tagged('v0.33.0-cu130', '')).toEqual([]);
    expect(tagged('lab-2026-12', '')).toEqual([]);
    expect(tagged('v0.33.01', '')[0]).toContain(
      'tagged vLLM v0.33.01 but the jurisdiction runs vLLM v0.33.0',
    );
  });

  test('fails when a llama.cpp image tag names another build than the pin', () => {
    const text = base()
      .replace('ENGINES', 'engines: { llamaCpp: b9174 }')
      .replace('[--swap-space, "4"]', '[--seed, "1"]')
      .replace(
        '      vllm: registry.lab.example/vllm/vllm-openai:lab@',
        '      llamaCpp: registry.lab.example/ggml-org/llama.cpp:server-cuda-b11459@sha256:33868c035b21dc63f7c60b7438774283fd99215bc319114eb03de5df4ce7cd6b\n      vllm: registry.lab.example/vllm/vllm-openai:lab@',
      );
    // The fixture serves vLLM only: the llama.cpp image is judged when a model runs it.
    expect(problems(text)).toEqual([]);
    const served = text.replace('engine: vllm', 'engine: llama-cpp');
    expect(problems(served).join('\n')).toContain(
      'images.llamaCpp  the image is tagged llama.cpp b11459 but the jurisdiction runs llama.cpp b9174 (engines.llamaCpp)',
    );
    for (const tag of ['server-b11459-x', 'SERVER-B11459', 'full-cuda-b11459'])
      expect(problems(served.replace('server-cuda-b11459', tag)).join('\n')).toContain(
        'tagged llama.cpp b11459 but the jurisdiction runs llama.cpp b9174',
      );
  });

  test('defaults pin a release for every jurisdiction; a jurisdiction overrides it', () => {
    const text = base()
      .replace('ENGINES', 'engines: { vllm: v0.33.0 }')
      .replace('jurisdictions:\n', 'defaults:\n  engines: { vllm: v0.12.0 }\njurisdictions:\n');
    expect(problems(text)[0]).toContain('v0.33.0 refuses it');
    expect(problems(text.replace('    engines: { vllm: v0.33.0 }\n', ''))).toEqual([]);
  });
});

function loadSpecText(text: string) {
  return parseSpec(text, 'spec.yaml');
}
