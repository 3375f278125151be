/**
 * One file per command: bin/commands/<the command's path joined by '-'>.ts holds the command's
 * definition and handler, and the CLI loads a command's file only to list or run it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { buildProgram, COMMANDS, commandRegister } from '../../bin/sovereign';
import { REPO_ROOT } from '../support/paths';

/** The path of every command that runs something (the leaves of the command tree). */
function leaves(cmd: Command, above: readonly string[] = []): string[][] {
  return cmd.commands.flatMap((c) =>
    c.commands.length > 0 ? leaves(c, [...above, c.name()]) : [[...above, c.name()]],
  );
}

/** The command files in the source tree, by name without `.ts`. */
const FILES = fs
  .readdirSync(path.join(REPO_ROOT, 'bin', 'commands'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => f.slice(0, -'.ts'.length))
  .sort();

describe('bin/commands: one file per command', () => {
  test('every command the program registers has its own file, named after its path', () => {
    const registered = leaves(buildProgram()).map((p) => p.join('-'));
    expect(registered.slice().sort()).toEqual(FILES);
    expect(new Set(registered).size).toBe(registered.length);
  });

  test('the command table and the files agree, in the order --help lists the commands', () => {
    expect(COMMANDS.map((p) => p.join('-')).sort()).toEqual(FILES);
    expect(leaves(buildProgram())).toEqual(COMMANDS.map((p) => [...p]));
  });

  test.each(FILES)('%s.ts registers exactly the command its name says, with its action', (file) => {
    const at = COMMANDS.find((p) => p.join('-') === file);
    expect(at).toBeDefined();
    const program = new Command('sovereign');
    commandRegister(at!)(program, async () => {});
    const [only, ...others] = leaves(program);
    expect(others).toEqual([]);
    expect(only.join('-')).toBe(file);
    // The file gives the command its action (definition and handler together).
    const leaf = only.reduce<Command>((c, name) => c.commands.find((s) => s.name() === name)!, program);
    expect(typeof (leaf as unknown as { _actionHandler?: unknown })._actionHandler).toBe('function');
  });

  test('a command line starting with a command name registers that command only', () => {
    const program = buildProgram(() => {}, 'weights');
    expect(leaves(program)).toEqual([['weights', 'manifest']]);
    expect(leaves(buildProgram(() => {}, 'validate'))).toEqual([['validate']]);
  });

  test("a command file loads at its top only what the CLI's start loads (its handler loads the rest)", () => {
    // Modules loaded by the entry alone, then by registering every command: the difference must be
    // the command files and their shared definitions, nothing a handler needs.
    const cli = path.join(REPO_ROOT, 'dist', 'bin', 'sovereign.js');
    const script = `
      const keys = () => Object.keys(require.cache);
      const { buildProgram } = require(${JSON.stringify(cli)});
      const before = new Set(keys());
      buildProgram();
      console.log(JSON.stringify(keys().filter((k) => !before.has(k))));`;
    const r = spawnSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const added = (JSON.parse(r.stdout) as string[])
      .map((k) => path.relative(path.join(REPO_ROOT, 'dist'), k).split(path.sep).join('/'))
      .sort();
    expect(added).toEqual([...FILES.map((f) => `bin/commands/${f}.js`), 'bin/lib/command.js'].sort());
  });

  test('running one command loads its own file and no other command file', () => {
    const cli = path.join(REPO_ROOT, 'dist', 'bin', 'sovereign.js');
    const script = `
      const { run } = require(${JSON.stringify(cli)});
      const sink = { isTTY: false, write: (_s, cb) => (cb && cb(), true) };
      run(process.argv.slice(1), { stdout: sink, stderr: sink }).then((code) => {
        const files = Object.keys(require.cache).filter((k) => /[\\\\/]bin[\\\\/]commands[\\\\/]/.test(k));
        console.log(JSON.stringify({ code, files: files.map((f) => require('path').basename(f)) }));
      });`;
    for (const [args, file] of [
      [['validate', 'examples/minimal.yaml'], 'validate.js'],
      [['weights', 'manifest', '--help'], 'weights-manifest.js'],
      [['models', '--json'], 'models.js'],
    ] as const) {
      const r = spawnSync(process.execPath, ['-e', script, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ code: 0, files: [file] });
    }
  });
});
