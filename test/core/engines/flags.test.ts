import {
  type EngineFlagTable,
  allowed,
  checkExtraArgs,
  checkRelease,
  didYouMean,
  flagsOf,
  imageReleaseMismatch,
} from '../../../core/engines/flags';
import { VLLM_FLAGS, VLLM_RELEASES, VLLM_RELEASE_FACTS, VLLM_TABLE } from '../../../core/engines/vllm';
import {
  LLAMA_CPP_FLAGS,
  LLAMA_CPP_RELEASE_FACTS,
  LLAMA_CPP_TABLE,
  type LlamaCppRelease,
} from '../../../core/engines/llama-cpp';

const OLD = 'v0.12.0';
const NEW = 'v0.33.0';
const REMOVED = [
  '--swap-space',
  '--calculate-kv-scales',
  '--max-num-partial-prefills',
  '--max-long-partial-prefills',
] as const;

const MP_ACROSS_NODES: readonly string[] = [
  '--nnodes',
  '--node-rank',
  '--master-addr',
  '--master-port',
  '--headless',
];

describe('flag tables', () => {
  test('every flag names its upstream source, no spelling is listed twice, every marker names a supported release', () => {
    for (const [table, tag] of [
      [VLLM_TABLE, '@ v0.12.0'],
      [LLAMA_CPP_TABLE, '@ b9174'],
    ] as const) {
      const names = table.flags.flatMap((f) => f.names);
      expect(new Set(names).size).toBe(names.length);
      for (const f of table.flags) {
        // The multiprocessing executor's flags across nodes were read at the 2026 source only;
        // the construct writes them, so a spec gets "set by the construct" on either release.
        if (table === VLLM_TABLE && MP_ACROSS_NODES.includes(f.names[0])) {
          expect([f.source, f.disposition.kind]).toEqual([
            expect.stringContaining('read at main 9aaf83ef'),
            'managed',
          ]);
          continue;
        }
        expect(f.source).toContain(tag);
        if (f.since) expect(table.releases).toContain(f.since);
        if (f.removed) expect(table.releases).toContain(f.removed.in);
      }
    }
    expect(VLLM_RELEASES).toEqual(['v0.12.0', 'v0.33.0']);
    expect(LLAMA_CPP_TABLE.releases).toEqual(['b9174', 'b11459']);
  });

  test('did-you-mean over every spelling of every flag', () => {
    expect(didYouMean('--enable-prefix-cache', VLLM_FLAGS)).toBe('--enable-prefix-caching');
    expect(didYouMean('--completely-different', VLLM_FLAGS)).toBeUndefined();
  });

  test('values, negative numbers and --flag=value forms', () => {
    expect(checkExtraArgs('x', ['--seed', '-1', '--block-size=16', 'plain'], VLLM_TABLE, NEW)).toEqual([]);
  });

  test('spellings the releases do not accept are not listed', () => {
    // vLLM v0.12.0+: -O<n> is an optimization level, no longer a spelling of --compilation-config
    expect(checkExtraArgs('x', ['-O', '{}'], VLLM_TABLE, OLD)).toHaveLength(1);
    expect(checkExtraArgs('x', ['--compilation-config', '{}'], VLLM_TABLE, OLD)).toEqual([]);
    // llama.cpp: not registered in common/arg.cpp at the checked commit
    for (const release of LLAMA_CPP_TABLE.releases) {
      for (const flag of ['--temperature', '--cache-prompt', '--tools']) {
        expect(checkExtraArgs('x', [flag], LLAMA_CPP_TABLE, release)[0].message).toContain(
          `is not a llama.cpp ${release} flag`,
        );
      }
    }
  });

  test('llama.cpp: --ui/--no-ui and their deprecated aliases --webui/--no-webui are set by the construct', () => {
    for (const flag of ['--ui', '--no-ui', '--webui', '--no-webui']) {
      expect(checkExtraArgs('x', [flag], LLAMA_CPP_TABLE, 'b9174')[0].message).toContain(
        `"${flag}" is set by the construct`,
      );
    }
    expect(LLAMA_CPP_FLAGS.length).toBe(flagsOf(LLAMA_CPP_TABLE, 'b11459').length);
  });
});

describe('vLLM: two releases, both ways', () => {
  test.each(REMOVED)('%s is accepted on v0.12.0 and refused on v0.33.0 naming the removal', (flag) => {
    expect(checkExtraArgs('extraArgs', [flag, '4'], VLLM_TABLE, OLD)).toEqual([]);
    const [p, ...rest] = checkExtraArgs('extraArgs', [flag, '4'], VLLM_TABLE, NEW);
    expect(rest).toEqual([]);
    expect(p.path).toBe('extraArgs[0]');
    expect(p.message).toMatch(new RegExp(`^"${flag}" was removed from vLLM in .*vllm-project/vllm#\\d+`));
    expect(p.message).toContain('v0.33.0 refuses it');
    expect(p.message).toContain('(pin v0.12.0 to keep it)');
  });

  test.each([
    [
      '--swap-space',
      '"--swap-space" was removed from vLLM in v0.18.0 (vllm-project/vllm#36216); v0.33.0 refuses it (pin v0.12.0 to keep it)',
    ],
    [
      '--calculate-kv-scales',
      '"--calculate-kv-scales" was removed from vLLM in the first release after vllm-project/vllm#49389 (merged 2026-07-22; deprecated by #37201); v0.33.0 refuses it (pin v0.12.0 to keep it)',
    ],
    [
      '--max-num-partial-prefills',
      '"--max-num-partial-prefills" was removed from vLLM in the first release after vllm-project/vllm#49244 (merged 2026-07-21); v0.33.0 refuses it (pin v0.12.0 to keep it)',
    ],
    [
      '--max-long-partial-prefills',
      '"--max-long-partial-prefills" was removed from vLLM in the first release after vllm-project/vllm#49244 (merged 2026-07-21); v0.33.0 refuses it (pin v0.12.0 to keep it)',
    ],
  ])('%s: the refusal on v0.33.0 names the upstream release or change that removed it', (flag, message) => {
    expect(checkExtraArgs('x', [flag, '4'], VLLM_TABLE, NEW)).toEqual([{ path: 'x[0]', message }]);
    expect(checkExtraArgs('x', [`${flag}=4`], VLLM_TABLE, OLD)).toEqual([]);
  });

  test('every row re-read at the 2026 source gets the same verdict on both releases; only the removed four differ', () => {
    const verdict = (flag: string, release: string) =>
      checkExtraArgs('x', [flag], VLLM_TABLE, release).map((p) => p.message.replace(release, 'R'));
    const differ: string[] = [];
    for (const f of VLLM_FLAGS)
      for (const n of f.names)
        if (JSON.stringify(verdict(n, OLD)) !== JSON.stringify(verdict(n, NEW))) differ.push(n);
    expect(differ.sort()).toEqual([...REMOVED].sort());
    // the rows still in v0.33.0 cite the re-read at vllm-project/vllm main 9aaf83ef; the one
    // gone before it (--swap-space) cites v0.12.0 only
    for (const f of VLLM_FLAGS) {
      if (f.names[0] === '--swap-space') expect(f.source).not.toContain('9aaf83ef');
      else if (MP_ACROSS_NODES.includes(f.names[0])) expect(f.source).toContain('read at main 9aaf83ef');
      else expect(f.source).toContain('re-read at main 9aaf83ef');
    }
    // --cpu-offload-gb kept its spelling when its field moved to the offload configs
    expect(VLLM_FLAGS.find((f) => f.names[0] === '--cpu-offload-gb')?.source).toContain('now OffloadConfig');
    expect(checkExtraArgs('x', ['--cpu-offload-gb', '4'], VLLM_TABLE, NEW)).toEqual([]);
  });

  test('hostile spellings: underscores (as vLLM reads them), =value, lookalikes', () => {
    // vLLM's parser reads --swap_space as --swap-space: the same verdict, shown both ways
    const [u] = checkExtraArgs('x', ['--swap_space', '4'], VLLM_TABLE, NEW);
    expect(u.message).toMatch(/^"--swap_space" \(read as "--swap-space"\) was removed/);
    expect(checkExtraArgs('x', ['--swap_space', '4'], VLLM_TABLE, OLD)).toEqual([]);
    expect(checkExtraArgs('x', ['--swap-space=4'], VLLM_TABLE, NEW)[0].message).toContain('was removed');
    expect(checkExtraArgs('x', ['--swap-space=4'], VLLM_TABLE, OLD)).toEqual([]);
    // a forbidden flag does not slip through in underscore form
    expect(checkExtraArgs('x', ['--trust_remote_code'], VLLM_TABLE, NEW)[0].message).toContain(
      'is not allowed: it executes Python code',
    );
    // lookalikes: unknown, with the closest real spelling of that release
    const [l] = checkExtraArgs('x', ['--swap-spaces', '4'], VLLM_TABLE, OLD);
    expect(l.message).toContain('"--swap-spaces" is not a vLLM v0.12.0 flag');
    expect(l.message).toContain('did you mean "--swap-space"?');
    const [l2] = checkExtraArgs('x', ['--swap-spaces', '4'], VLLM_TABLE, NEW);
    expect(l2.message).not.toContain('did you mean "--swap-space"');
    // a typographic dash (copied from a document) would stop the server at start
    for (const dash of ['—', '–', '−', '－'])
      expect(checkExtraArgs('x', [`${dash}swap-space`], VLLM_TABLE, OLD)[0].message).toContain(
        'starts with a typographic dash',
      );
    expect(checkExtraArgs('x', ['--seed', '-1'], VLLM_TABLE, OLD)).toEqual([]); // a negative value
    // flags whose value names a model the toolkit did not verify (a hub id is fetched at start)
    for (const args of [
      ['--speculative-config', '{"model":"meta-llama/Llama-3.2-1B","num_speculative_tokens":5}'],
      ['--speculative_config={"model":"org/draft"}'],
      ['--lora-modules', 'x=org/lora'],
    ])
      for (const r of [OLD, NEW])
        expect(checkExtraArgs('x', args, VLLM_TABLE, r)[0].message).toMatch(
          /is not allowed: it can name a Hugging Face Hub repository.*not verified weights/,
        );
    // llama.cpp does not normalise: an underscore spelling is unknown
    expect(checkExtraArgs('x', ['--ctx_size', '8'], LLAMA_CPP_TABLE, 'b11459')[0].message).toContain(
      'is not a llama.cpp b11459 flag',
    );
  });

  test('a release string that is not supported is refused with the list, never guessed', () => {
    for (const bad of ['v0.34.0', '0.33.0', 'V0.33.0', 'v0.33.0 ', 'latest', '']) {
      expect(checkRelease(VLLM_TABLE, bad)).toContain('(supported: v0.12.0, v0.33.0)');
      const [p] = checkExtraArgs('extraArgs', ['--seed', '1'], VLLM_TABLE, bad);
      expect(p.message).toContain('is not a vLLM release this toolkit supports');
    }
    expect(checkRelease(VLLM_TABLE, 'v0.33.1')).toContain('did you mean "v0.33.0"?');
    expect(checkRelease(LLAMA_CPP_TABLE, 'b11460')).toContain('supported: b9174, b11459');
  });
});

describe('llama.cpp: two builds, both ways', () => {
  test.each(['--no-log-prefix', '--no-log-timestamps'])(
    '%s (seen at b9409 … b10488, not at the checked arg.cpp) is accepted on b11459 and refused on b9174 naming the build',
    (flag) => {
      expect(checkExtraArgs('extraArgs', [flag], LLAMA_CPP_TABLE, 'b11459')).toEqual([]);
      expect(checkExtraArgs('extraArgs', [flag], LLAMA_CPP_TABLE, 'b9174')).toEqual([
        {
          path: 'extraArgs[0]',
          message: `"${flag}" is not in llama.cpp b9174: it was added by b11459; pin b11459 or later to use it`,
        },
      ]);
    },
  );

  test('every other row gets the same verdict on both builds', () => {
    const verdict = (flag: string, release: string) =>
      checkExtraArgs('x', [flag], LLAMA_CPP_TABLE, release).map((p) => p.message.replace(release, 'R'));
    const differ = LLAMA_CPP_FLAGS.flatMap((f) => f.names).filter(
      (n) => JSON.stringify(verdict(n, 'b9174')) !== JSON.stringify(verdict(n, 'b11459')),
    );
    expect(differ.sort()).toEqual(['--no-log-prefix', '--no-log-timestamps']);
    // the rows a b10488 launcher passes stay as they were: set by the construct or allowed
    expect(checkExtraArgs('x', ['--no-webui'], LLAMA_CPP_TABLE, 'b11459')[0].message).toContain(
      'is set by the construct',
    );
    expect(checkExtraArgs('x', ['--log-prefix', '--split-mode', 'layer'], LLAMA_CPP_TABLE, 'b11459')).toEqual(
      [],
    );
  });
});

describe('the since/removed mechanism, both directions', () => {
  // A table over three releases exercises every branch of the check, including a flag only
  // the newer releases have and a rename with its replacement.
  const table: EngineFlagTable = {
    engine: 'Engine',
    releases: ['r1', 'r2', 'r3'],
    flags: [
      { names: ['--old'], disposition: allowed, source: 's', removed: { in: 'r2', upstream: 'r2 (#1)' } },
      {
        names: ['--renamed'],
        disposition: allowed,
        source: 's',
        removed: { in: 'r3', upstream: 'r3 (#2)', replacement: '--new-name' },
      },
      { names: ['--new-name'], disposition: allowed, source: 's', since: 'r3' },
      { names: ['--fresh'], disposition: allowed, source: 's', since: 'r2' },
    ],
  };
  test('a flag only in the newer release is refused on the older, naming the release that added it', () => {
    expect(checkExtraArgs('x', ['--fresh'], table, 'r2')).toEqual([]);
    expect(checkExtraArgs('x', ['--fresh'], table, 'r1')[0].message).toBe(
      '"--fresh" is not in Engine r1: it was added by r2; pin r2 or later to use it',
    );
  });
  test('a renamed flag names its replacement', () => {
    expect(checkExtraArgs('x', ['--renamed'], table, 'r3')[0].message).toBe(
      '"--renamed" was removed from Engine in r3 (#2); r3 refuses it: use "--new-name" instead (pin r2 to keep it)',
    );
    expect(checkExtraArgs('x', ['--new-name'], table, 'r2')[0].message).toContain('added by r3');
    expect(checkExtraArgs('x', ['--old'], table, 'r3')[0].message).toContain('(pin r1 to keep it)');
  });
});

describe('release facts: upstream images and digests as found, never invented', () => {
  test('each upstream image tag names its own release; a digest only with the source that gave it', () => {
    for (const r of VLLM_RELEASES) {
      const { image } = VLLM_RELEASE_FACTS[r];
      expect(imageReleaseMismatch(VLLM_TABLE, image.upstream, r)).toBeUndefined();
      expect(VLLM_TABLE.releaseInTag?.(image.upstream.split(':').pop() as string)).toBe(r);
      if (image.digest !== undefined) {
        expect(image.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
        expect(image.digestSource).toBeTruthy();
      }
    }
    for (const r of LLAMA_CPP_TABLE.releases as readonly LlamaCppRelease[]) {
      const facts = LLAMA_CPP_RELEASE_FACTS[r];
      for (const ref of [facts.cuda, facts.cpu]) {
        expect(imageReleaseMismatch(LLAMA_CPP_TABLE, ref, r)).toBeUndefined();
        expect(LLAMA_CPP_TABLE.releaseInTag?.(ref.split('@')[0].split(':').pop() as string)).toBe(r);
        if (ref.includes('@')) {
          expect(ref).toMatch(/@sha256:[0-9a-f]{64}$/);
          expect(facts.digestSource).toBeTruthy();
        }
      }
    }
    // no stored source gave these: the spec must carry the digest of the site's mirror
    expect(VLLM_RELEASE_FACTS['v0.33.0'].image.digest).toBeUndefined();
    expect(LLAMA_CPP_RELEASE_FACTS.b9174.cuda).not.toContain('@sha256:');
    expect(LLAMA_CPP_RELEASE_FACTS.b9174.cpu).not.toContain('@sha256:');
  });
});
