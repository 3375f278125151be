#!/usr/bin/env node
/**
 * The `sovereign` CLI. Each command lives in bin/commands/<name>.ts and is loaded only when it
 * runs, so `--help` and `validate` never load cdktf or the provider bindings.
 *
 * `run(args, io)` is the whole CLI without the process around it: it resolves to the exit code
 * and never exits. The binary runs it on its own streams and exits once they drained; tests
 * run it in-process with buffers, a directory and an environment of their own
 * (test/support/cli.ts).
 */
import './lib/compile-cache-install';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { TOOLKIT_VERSION } from '../core/version';
import { EXIT_USAGE, report, runCommand, withIo, type CliIo, type CommonOptions } from './lib/run-command';
import { exitWhenFlushed, guardStreams, stderr, stdout, type OutStream } from './lib/output';

const DEFAULT_SPEC = 'sovereign.yaml';

function common(cmd: Command): CommonOptions & Record<string, unknown> {
  return cmd.optsWithGlobals();
}

/**
 * The commands and their options. `done` receives the exit code of the command that ran
 * (help, version and usage errors end in a CommanderError instead, see `run`).
 */
export function buildProgram(done: (code: number) => void = () => {}): Command {
  const act = (cmd: Command, body: () => Promise<number>): Promise<void> =>
    runCommand(common(cmd), body).then(done);
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

  program
    .command('init')
    .description(
      'scaffold a project: sovereign.yaml, cdktf.json, package.json, .gitignore, main.ts, a CI pipeline',
    )
    .argument('[dir]', 'project directory (created when missing)', '.')
    .addOption(
      new Option('--ci <kind>', 'CI pipeline to write').choices(['github', 'gitlab', 'none']).default('none'),
    )
    .action((dir: string, _o, cmd: Command) =>
      act(cmd, async () => (await import('./commands/init')).run(dir, common(cmd) as never)),
    );

  program
    .command('validate')
    .description('check a spec; exit 0 when valid, 2 with every problem located as file:line:col')
    .argument('[spec]', 'spec file', DEFAULT_SPEC)
    .option('--json', 'print the result as JSON')
    .action((spec: string, _o, cmd: Command) =>
      act(cmd, async () => (await import('./commands/validate')).run(spec, common(cmd))),
    );

  program
    .command('synth')
    .description('synthesize one Terraform stack per jurisdiction, then run the policy gate')
    .argument('[spec]', 'spec file', DEFAULT_SPEC)
    .option(
      '-o, --out <dir>',
      'output directory (cdktf layout: <out>/stacks/<jurisdiction>/cdk.tf.json)',
      'cdktf.out',
    )
    .option('--report <file>', 'also write the Markdown audit report to this file')
    .option('--strict', 'treat findings the policy cannot resolve (unknown) as failures')
    .option('--json', 'print the summary as JSON')
    .option(
      '-j, --jobs <n>',
      'jurisdictions synthesized in parallel worker threads (default: the number of cores)',
      (v) => {
        const n = /^[0-9]+$/.test(v.trim()) ? Number(v) : NaN;
        if (!Number.isInteger(n) || n < 1 || n > 256)
          throw new InvalidArgumentError(`--jobs takes a whole number from 1 to 256, got "${v}".`);
        return n;
      },
    )
    .option(
      '--only <jurisdiction...>',
      're-synthesize only these jurisdictions; the others must be up to date in the synth cache',
    )
    .option('--no-cache', 'neither read nor write the synth cache (.<out>.cache beside the output)')
    .action((spec: string, _o, cmd: Command) =>
      act(cmd, async () => (await import('./commands/synth')).run(spec, common(cmd) as never)),
    );

  program
    .command('audit')
    .description('audit a synthesized cdktf.out (and optionally a plan) and write the evidence report')
    .argument('[dir]', 'synthesized output directory', 'cdktf.out')
    .option(
      '--spec <file>',
      'the approved spec: re-synthesize it and compare with the directory byte for byte',
    )
    .option(
      '--policy <file>',
      "the auditor's policy file: approved boundary and minimum packs per jurisdiction",
    )
    .option(
      '--plan <file>',
      'a plan as JSON (terraform show -json plan.out / tofu show -json); every rule runs on it',
    )
    .option(
      '--allow-unknown <reason>',
      'accept what the sovereignty rules cannot judge, for this reason (listed in the report)',
    )
    .addOption(
      new Option('--format <format>', 'report format')
        .choices(['text', 'markdown', 'json', 'cyclonedx', 'html'])
        .default('text'),
    )
    .option('--output <file>', 'write the report to this file instead of stdout')
    .option('--strict', 'treat findings the policy cannot resolve (unknown) as failures')
    .option(
      '--bundle <file.tar>',
      'also write the evidence bundle: files, reports in every format, plan, SHA-256 manifest',
    )
    .option('--sign-key <key.pem>', "sign the bundle's manifest with this Ed25519 private key")
    .action((dir: string, _o, cmd: Command) =>
      act(cmd, async () => (await import('./commands/audit')).run(dir, common(cmd) as never)),
    );

  program
    .command('verify-bundle')
    .description('check every hash of an evidence bundle, and its signature with --pub')
    .argument('<bundle>', 'the evidence bundle (.tar) sovereign audit --bundle wrote')
    .option('--pub <key.pem>', 'Ed25519 public key (PEM) the manifest must be signed with')
    .action((bundle: string, _o, cmd: Command) =>
      act(cmd, async () => (await import('./commands/verify-bundle')).run(bundle, common(cmd) as never)),
    );

  program
    .command('models')
    .description('list the built-in model architectures the capacity planner knows')
    .option('--json', 'print the catalogue as JSON, with the source of every number')
    .action((_o, cmd: Command) => act(cmd, async () => (await import('./commands/models')).run(common(cmd))));

  program
    .command('schema')
    .description("print the spec's JSON Schema")
    .action((_o, cmd: Command) => act(cmd, async () => (await import('./commands/schema')).run()));

  const weights = program.command('weights').description('work with model weights');
  weights
    .command('manifest')
    .description('hash a model directory (or one file) and print the manifest the spec takes')
    .argument('<path>', 'model directory or single file (GGUF)')
    .option('--json', 'print the manifest as JSON')
    .option('-j, --jobs <n>', 'files hashed in parallel (default: the number of cores)', (v) => {
      // Commander prints an InvalidArgumentError with the option's name; exit 2 (main).
      const n = /^[0-9]+$/.test(v.trim()) ? Number(v) : NaN;
      if (!Number.isInteger(n) || n < 1 || n > 256)
        throw new InvalidArgumentError(`--jobs takes a whole number from 1 to 256, got "${v}".`);
      return n;
    })
    .option('--no-progress', 'no progress bar, even on a terminal')
    .option('--all', 'also hash the top-level .cache/ and .git/ directories (left out by default)')
    .action((target: string, _o, cmd: Command) =>
      act(cmd, async () => (await import('./commands/weights-manifest')).run(target, common(cmd) as never)),
    );

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
  const program = buildProgram((c) => (code = c));
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
