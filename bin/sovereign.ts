#!/usr/bin/env node
/**
 * The `sovereign` CLI. Each command lives in bin/commands/<name>.ts and is loaded only when it
 * runs, so `--help` and `validate` never load cdktf or the provider bindings.
 */
import { Command, CommanderError } from 'commander';
import { TOOLKIT_VERSION } from './version';
import { EXIT_USAGE, runCommand, type CommonOptions } from './lib/run-command';

const DEFAULT_SPEC = 'sovereign.yaml';

function common(cmd: Command): CommonOptions & Record<string, unknown> {
  return cmd.optsWithGlobals();
}

export function buildProgram(): Command {
  const program = new Command('sovereign')
    .description(
      'Synthesize, validate and audit Terraform stacks that serve open-weight LLMs inside one jurisdiction.',
    )
    .version(TOOLKIT_VERSION, '-V, --version')
    .option('--debug', 'show stack traces of internal faults')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('validate')
    .description('check a spec; exit 0 when valid, 2 with every problem located as file:line:col')
    .argument('[spec]', 'spec file', DEFAULT_SPEC)
    .option('--json', 'print the result as JSON')
    .action((spec: string, _o, cmd: Command) =>
      runCommand(common(cmd), async () => (await import('./commands/validate')).run(spec, common(cmd))),
    );

  program
    .command('schema')
    .description("print the spec's JSON Schema")
    .action((_o, cmd: Command) =>
      runCommand(common(cmd), async () => (await import('./commands/schema')).run()),
    );

  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.commands.forEach(function override(c: Command): void {
    c.exitOverride();
    c.commands.forEach(override);
  });
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      const ok =
        e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help';
      process.exit(ok ? 0 : EXIT_USAGE);
    }
    throw e;
  }
}

if (require.main === module) {
  void main(process.argv);
}
