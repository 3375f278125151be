import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  canonicalManifest,
  checkManifest,
  manifestPathProblem,
  manifestSha256,
} from '../../constructs/weights-manifest';

const h = (c: string) => c.repeat(64);

describe('weights manifest', () => {
  test('the canonical text is sha256sum lines sorted by path in byte order', () => {
    const files = { 'b.json': h('b'), 'B.json': h('c'), 'a/z.bin': h('a'), 'a.bin': h('d') };
    expect(canonicalManifest(files)).toBe(
      `${h('c')}  B.json\n${h('d')}  a.bin\n${h('a')}  a/z.bin\n${h('b')}  b.json\n`,
    );
  });

  test('the digest is the SHA-256 of the canonical text, as `sha256sum | sha256sum` would give', () => {
    const files = { 'config.json': h('1'), 'model.safetensors': h('2') };
    const text = `${h('1')}  config.json\n${h('2')}  model.safetensors\n`;
    expect(manifestSha256(files)).toBe(createHash('sha256').update(text).digest('hex'));
    const viaShell = spawnSync('sha256sum', [], { input: text, encoding: 'utf8' });
    if (viaShell.status === 0) expect(viaShell.stdout.slice(0, 64)).toBe(manifestSha256(files));
  });

  test('plain relative paths are accepted', () => {
    for (const p of [
      'config.json',
      'original/params.json',
      'model-00001-of-00030.safetensors',
      'a+b=c@d,e~f',
    ]) {
      expect(manifestPathProblem(p)).toBeUndefined();
    }
  });

  test('fails when paths escape, are absolute, empty, odd or use other characters', () => {
    expect(manifestPathProblem('../x')).toContain("escapes the model directory with '..'");
    expect(manifestPathProblem('a/../../x')).toContain('escapes');
    expect(manifestPathProblem('/etc/passwd')).toContain('is absolute');
    expect(manifestPathProblem('a//b')).toContain("empty or '.' segment");
    expect(manifestPathProblem('./a')).toContain("empty or '.' segment");
    expect(manifestPathProblem('a\\b')).toContain('backslash');
    expect(manifestPathProblem('my model.bin')).toContain('characters not allowed');
    expect(manifestPathProblem('x${HOME}')).toContain('characters not allowed');
    expect(manifestPathProblem('a\nb')).toContain('characters not allowed');
    expect(manifestPathProblem('')).toContain('empty');
  });

  test('fails when the manifest is empty, a digest is bad, or a file is also a directory', () => {
    expect(checkManifest('files', {})).toEqual([
      { path: 'files', message: expect.stringContaining('the manifest is empty') },
    ]);
    expect(checkManifest('files', { a: 'ABC' })).toEqual([
      { path: 'files.a', message: '"ABC" is not a SHA-256: use 64 lower-case hex digits' },
    ]);
    expect(checkManifest('files', { a: h('a'), 'a/b': h('b') })).toEqual([
      { path: 'files.a', message: '"a" is listed as a file but is also the directory of "a/b"' },
    ]);
  });
});
