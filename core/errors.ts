/**
 * The one error type of sovereign-stack. Every refusal — a bad spec, impossible construct
 * props, a model that does not fit its pool — is a SovereignError with a stable code and
 * every problem found at once, so a user fixes them in one pass. The CLI maps codes to exit
 * codes and prints problems without a stack trace. The factories below are the only places
 * that create one.
 *
 * This file has no imports: the CLI's fast paths (validate, --help) load it without cdktf.
 */

/** Stable codes; a code never changes meaning. */
export type SovereignErrorCode =
  /** The spec file cannot be read or parsed (missing, a directory, binary, YAML syntax). */
  | 'SPEC_UNREADABLE'
  /** The spec parsed but does not satisfy the schema or a semantic check. */
  | 'SPEC_INVALID'
  /** A construct received props it cannot honour. */
  | 'PROPS_INVALID'
  /** A model does not fit the GPU pool it is placed on. */
  | 'CAPACITY'
  /** Command-line usage: an unknown option, a missing argument, an unusable path. */
  | 'USAGE'
  /** Input that is not a spec: a plan, a cdktf.out directory, a manifest. */
  | 'INPUT_INVALID'
  /** Policy findings that are not suppressed. */
  | 'POLICY_VIOLATION';

/** One problem: what is wrong, where, and what is allowed. */
export interface Problem {
  /** Dotted path of the field (`jurisdictions.de.models.llama.replicas`) or construct prop. */
  readonly path: string;
  /** What is wrong and what is allowed, as one sentence. */
  readonly message: string;
  /** File the problem is in, as the user named it (never made absolute). */
  readonly file?: string;
  /** 1-based line and column in `file`. */
  readonly line?: number;
  readonly col?: number;
}

const EXIT_CODES: Record<SovereignErrorCode, number> = {
  SPEC_UNREADABLE: 2,
  SPEC_INVALID: 2,
  PROPS_INVALID: 2,
  CAPACITY: 2,
  USAGE: 2,
  INPUT_INVALID: 2,
  POLICY_VIOLATION: 1,
};

export class SovereignError extends Error {
  public readonly code: SovereignErrorCode;
  public readonly problems: readonly Problem[];

  private constructor(code: SovereignErrorCode, summary: string, problems: readonly Problem[]) {
    super(`${summary}\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'SovereignError';
    this.code = code;
    this.problems = problems;
  }

  /** The process exit code for this error: 2 for bad input, 1 for policy violations. */
  public get exitCode(): number {
    return EXIT_CODES[this.code];
  }

  /** @internal used by the factories below only */
  public static create(
    code: SovereignErrorCode,
    summary: string,
    problems: readonly Problem[],
  ): SovereignError {
    return new SovereignError(code, summary, problems);
  }
}

/** `file:line:col  path  message`, omitting the parts that are unknown. */
export function formatProblem(p: Problem): string {
  const where = p.file ? [p.file, p.line, p.col].filter((x) => x !== undefined).join(':') : '';
  return [where, p.path, p.message].filter((x) => x !== '').join('  ');
}

export function isSovereignError(e: unknown): e is SovereignError {
  return e instanceof SovereignError;
}

// ---------------------------------------------------------------- factories

export function specUnreadable(file: string, message: string, line?: number, col?: number): SovereignError {
  return SovereignError.create('SPEC_UNREADABLE', `${file}: cannot be read as a sovereign spec`, [
    { file, path: '', message, line, col },
  ]);
}

export function specInvalid(file: string, problems: readonly Problem[]): SovereignError {
  const n = problems.length;
  return SovereignError.create(
    'SPEC_INVALID',
    `${file}: ${n} problem${n === 1 ? '' : 's'} in the spec`,
    problems,
  );
}

/**
 * Invalid construct props. `construct` is the construct's path or class and id
 * (`VllmServer llama`); each problem's `path` names the prop.
 */
export function invalidProps(construct: string, problems: readonly Problem[]): SovereignError {
  const n = problems.length;
  return SovereignError.create(
    'PROPS_INVALID',
    `${construct}: ${n} invalid prop${n === 1 ? '' : 's'}`,
    problems,
  );
}

/** Throws `invalidProps` when `problems` is not empty. */
export function throwIfProblems(construct: string, problems: readonly Problem[]): void {
  if (problems.length > 0) throw invalidProps(construct, problems);
}

export function capacityExceeded(model: string, path: string, message: string): SovereignError {
  return SovereignError.create('CAPACITY', `${model}: does not fit its GPU pool`, [{ path, message }]);
}

export function usageError(message: string): SovereignError {
  return SovereignError.create('USAGE', 'usage error', [{ path: '', message }]);
}

export function inputInvalid(file: string, message: string, path = ''): SovereignError {
  return SovereignError.create('INPUT_INVALID', `${file}: unusable input`, [{ file, path, message }]);
}

export function policyViolation(summary: string, problems: readonly Problem[]): SovereignError {
  return SovereignError.create('POLICY_VIOLATION', summary, problems);
}

/** Input that is not usable for several reasons, each located (`path` inside `file`). */
export function inputProblems(file: string, problems: readonly Problem[]): SovereignError {
  const n = problems.length;
  return SovereignError.create(
    'INPUT_INVALID',
    `${file}: ${n} problem${n === 1 ? '' : 's'} in the input`,
    problems.map((p) => ({ ...p, file: p.file ?? file })),
  );
}
