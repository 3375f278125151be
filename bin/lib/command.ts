/**
 * What the command files share. Each `bin/commands/<name>.ts` exports one `register` that adds
 * its command to the program: the definition (arguments, options, help text) and the action
 * that runs its handler. bin/sovereign.ts builds the program and calls every `register`.
 *
 * `--help` loads every command file to list the commands, so a command file imports at its top
 * only commander, this module and what the start already loads (bin/lib/output,
 * bin/lib/run-command, core/errors, core/version); its handler loads the rest when it runs
 * (test/bin/command-files.test.ts holds this). This module imports nothing but commander.
 */
import { Argument, InvalidArgumentError, Option, type Command } from 'commander';

/**
 * Runs a command's handler through the CLI's one error handler (bin/lib/run-command.ts) and
 * hands its exit code to the run that parsed the command line (bin/sovereign.ts).
 */
export type Act = (cmd: Command, handler: () => Promise<number>) => Promise<void>;

/** A command file's export: adds the command, definition and action, to `program`. */
export type Register = (program: Command, act: Act) => void;

/** The spec file validate and synth read when none is named. */
export const DEFAULT_SPEC = 'sovereign.yaml';

/** The directory synth writes and audit reads when none is named (cdktf's own default). */
export const DEFAULT_OUT = 'cdktf.out';

/** `[spec]`: the spec file a command reads (validate, synth). */
export function specArgument(): Argument {
  return new Argument('[spec]', 'spec file').default(DEFAULT_SPEC);
}

/** `--strict`: findings the policy cannot resolve fail (synth, audit). */
export function strictOption(): Option {
  return new Option('--strict', 'treat findings the policy cannot resolve (unknown) as failures');
}

/**
 * `-j, --jobs <n>`: how many workers (synth, weights manifest). Commander prints what the parser
 * throws with the option's name, and the run exits 2.
 */
export function jobsOption(description: string): Option {
  return new Option('-j, --jobs <n>', description).argParser((v: string) => {
    const n = /^[0-9]+$/.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 256)
      throw new InvalidArgumentError(`--jobs takes a whole number from 1 to 256, got "${v}".`);
    return n;
  });
}

/**
 * Finds the command group `name` under `program`, adding it with `description` the first time
 * (`weights`, whose subcommands each have their own file).
 */
export function commandGroup(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}
