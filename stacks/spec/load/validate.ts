/**
 * What was read, validated: defaults merged, the zod schema, the semantic checks; every
 * problem collected, located, and thrown at once.
 */
import { specInvalid, type Problem } from '../../../core/errors';
import type { LoadedSpec } from '../load';
import { jurisdictionSchema, SPEC_VERSION, specSchema, type SovereignSpec } from '../schema';
import { semanticProblems } from '../semantics';
import { isPlainObject, mergeDefaults, originOf, resolvePlaceholders } from './defaults';
import { issueProblems } from './issues';
import { dedupe, locateIn, locateKey, sortProblems, type SpecPath } from './positions';
import { protoKeys, type FullRead } from './read';

/**
 * zod's objects otherwise generate a parser (`new Function`) per shape on first use: a spec is
 * parsed once per run, so compiling those costs more than it saves (~15 ms of `validate` on the
 * example; the same time on a 900 KB spec). Same result either way (zod's own option).
 */
const PARSE = { jitless: true } as const;

/**
 * Validates what was read (one file, or the files of a directory combined); see parseSpec.
 * `reread` reads the same text again, as it was read into `full`: a valid spec does not keep
 * its parsed document (~12× the text in memory, for the whole run) for the one use it has
 * after loading, locating a problem found later; that reads the text again, once.
 */
export function validateRead(full: FullRead, text: string, file: string, reread: () => FullRead): LoadedSpec {
  let held: FullRead | undefined = full;
  const read = () => (held ??= reread());
  const data = full.data;

  const problems: Problem[] = [];
  const locate = (path: SpecPath) => locateIn(read().doc, read().at, path);
  // JavaScript drops a `__proto__` key in places (zod's records skip it): refuse it outright
  // rather than lose, say, a jurisdiction of that name without a word.
  const proto = text.includes('__proto__') || text.includes('\\') ? protoKeys(data) : [];
  if (proto.length > 0) {
    throw specInvalid(
      file,
      proto.map((path) => {
        const pos = locateKey(read().doc, read().at, path.slice(0, -1), '__proto__');
        return {
          file: pos?.file ?? file,
          line: pos?.line,
          col: pos?.col,
          path: path.join('.'),
          message: '"__proto__" is not allowed as a key',
        };
      }),
    );
  }
  const merged = mergeDefaults(data as Record<string, unknown>);
  const result = specSchema.safeParse(merged, PARSE);
  if (!result.success) {
    const seen = new Set<string>();
    // A value of the wrong type also fails its refinements: report only the type.
    const mistyped = new Set(
      result.error.issues.filter((i) => i.code === 'invalid_type').map((i) => i.path.join('\u0000')),
    );
    for (const issue of result.error.issues) {
      if (issue.code !== 'invalid_type' && mistyped.has(issue.path.join('\u0000'))) continue;
      for (const p of issueProblems(issue, merged, read().doc, read().at, file)) {
        const k = `${p.line}:${p.col}:${p.path}:${p.message}`;
        if (!seen.has(k)) {
          seen.add(k);
          problems.push(p);
        }
      }
    }
    // Jurisdictions that are well-typed on their own still get their semantic checks, so one
    // run reports as much as it can.
    const mistypedJurisdictions = new Set(
      result.error.issues.filter((i) => i.path[0] === 'jurisdictions').map((i) => String(i.path[1])),
    );
    const raw = (merged as { jurisdictions?: unknown }).jurisdictions;
    if (isPlainObject(raw)) {
      for (const [name, j] of Object.entries(raw)) {
        if (mistypedJurisdictions.has(name)) continue;
        const one = jurisdictionSchema.safeParse(j, PARSE);
        if (!one.success) continue;
        const resolved = resolvePlaceholders({ version: SPEC_VERSION, jurisdictions: { [name]: one.data } });
        problems.push(...locateSemantic(semanticProblems(resolved)));
      }
    }
    throw specInvalid(file, dedupe(sortProblems(problems)));
  }
  const spec = resolvePlaceholders(result.data);
  problems.push(...locateSemantic(semanticProblems(spec)));
  if (problems.length > 0) throw specInvalid(file, dedupe(sortProblems(problems)));
  held = undefined;
  return laterLocated(file, spec, reread);

  function locateSemantic(ps: readonly { path: SpecPath; message: string }[]): Problem[] {
    return ps.map((p) => {
      const origin = originOf(read().doc, p.path);
      const pos = locate(origin);
      return {
        file: pos?.file ?? file,
        line: pos?.line,
        col: pos?.col,
        path: origin.join('.'),
        message: p.message,
      };
    });
  }
}

/** A valid spec, its positions read again from the text when a problem found later needs one. */
function laterLocated(file: string, spec: SovereignSpec, reread: () => FullRead): LoadedSpec {
  let read: FullRead | undefined;
  return {
    file,
    spec,
    locate: (path: SpecPath) => {
      read ??= reread();
      return locateIn(read.doc, read.at, path);
    },
  };
}
