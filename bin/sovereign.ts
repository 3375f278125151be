#!/usr/bin/env node
/**
 * The `sovereign` CLI. Each command lives in its own file, bin/commands/<name>.ts (the command
 * path joined by `-`: `weights manifest` is weights-manifest.ts), which holds its definition and
 * its handler and exports the `register` that adds both to the program. This file builds the
 * program, registers the commands and runs. Handlers load what they need when they run, so
 * `--help` and `validate` never load cdktf or the provider bindings.
 *
 * `run(args, io)` is the whole CLI without the process around it: it resolves to the exit code
 * and never exits. The binary runs it on its own streams and exits once they drained; tests
 * run it in-process with buffers, a directory and an environment of their own
 * (test/support/cli.ts).
 */
import './lib/compile-cache-install';
import { Command, CommanderError } from 'commander';
import { TOOLKIT_VERSION } from '../core/version';
import { EXIT_USAGE, report, runCommand, withIo, type CliIo, type CommonOptions } from './lib/run-command';
import { exitWhenFlushed, guardStreams, stderr, stdout, type OutStream } from './lib/output';
import type { Register } from './lib/command';

/**
 * Every command by its path, in the order `--help` lists them. A command's file is
 * bin/commands/<its path joined by '-'>.ts (test/bin/command-files.test.ts holds every file to it).
 */
export const COMMANDS: readonly (readonly string[])[] = [
  ['init'],
  ['validate'],
  ['synth'],
  ['audit'],
  ['verify-bundle'],
  ['models'],
  ['schema'],
  ['weights', 'manifest'],
];

/** The `register` of the command at `path`, from its file. */
export function commandRegister(path: readonly string[]): Register {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(`./commands/${path.join('-')}`) as { register: Register }).register;
}

/**
 * The program with the commands registered: every command, or with `only` the commands under that
 * top-level name (all a command line that starts with it can reach). `done` receives the exit
 * code of the command that ran (help, version and usage errors end in a CommanderError instead,
 * see `run`).
 */
export function buildProgram(done: (code: number) => void = () => {}, only?: string): Command {
  const program = new Command('sovereign')
    .description(
      'Synthesize, validate and audit Terraform stacks that serve open-weight LLMs inside one jurisdiction.',
    )
    .version(TOOLKIT_VERSION, '-V, --version')
    .option('--debug', 'show stack traces of internal faults')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  // Help and usage errors go where the command output goes; subcommands inherit this.
  const defaults = { ...program.configureOutput() };
  const own = (s: OutStream, proc: NodeJS.WriteStream) => s === proc;
  program.configureOutput({
    writeOut: (t) => void stdout().write(t),
    writeErr: (t) => void stderr().write(t),
    getOutHelpWidth: () =>
      own(stdout(), process.stdout)
        ? defaults.getOutHelpWidth!()
        : (stdout().isTTY ? stdout().columns : undefined)!,
    getErrHelpWidth: () =>
      own(stderr(), process.stderr)
        ? defaults.getErrHelpWidth!()
        : (stderr().isTTY ? stderr().columns : undefined)!,
    getOutHasColors: () => (own(stdout(), process.stdout) ? defaults.getOutHasColors!() : false),
    getErrHasColors: () => (own(stderr(), process.stderr) ? defaults.getErrHasColors!() : false),
  });

  const act = (cmd: Command, handler: () => Promise<number>): Promise<void> =>
    runCommand(cmd.optsWithGlobals<CommonOptions>(), handler).then(done);
  for (const path of COMMANDS)
    if (only === undefined || path[0] === only) commandRegister(path)(program, act);
  return program;
}

export type { CliIo } from './lib/run-command';

/**
 * Runs the CLI on `args` (what follows `sovereign` on the command line) and resolves to its
 * exit code, without exiting. A `cwd` or `env` given is the process's for the duration of the
 * run and restored after (bin/lib/run-command.ts `withIo`), so runs in one process take turns.
 */
export function run(args: readonly string[], io: CliIo = {}): Promise<number> {
  return withIo(io, () => parse(args));
}

async function parse(args: readonly string[]): Promise<number> {
  let code = 0;
  // A command line that starts with a command's name reaches that command only: its file alone
  // is loaded. Anything else (--help, help, an unknown name, a global option first) sees them all.
  const first = args[0];
  const only = COMMANDS.some((c) => c[0] === first) ? first : undefined;
  const program = buildProgram((c) => (code = c), only);
  program.commands.forEach(function override(c: Command): void {
    c.exitOverride();
    c.commands.forEach(override);
  });
  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    const ok =
      e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help';
    return ok ? 0 : EXIT_USAGE;
  }
  return code;
}

async function main(): Promise<never> {
  guardStreams();
  let code: number;
  try {
    code = await run(process.argv.slice(2));
  } catch (e) {
    code = report(e, {});
  }
  return exitWhenFlushed(code);
}

if (require.main === module) {
  void main();
}
