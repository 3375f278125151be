/** Zod issues turned into located problems that say what is wrong and what is allowed. */
import type { Document } from 'yaml';
import { type z } from 'zod';
import { type Problem } from '../../../core/errors';
import { didYouMean } from '../../../core/suggest';
import { specSchema } from '../schema';
import { isPlainObject, originOf } from './defaults';
import { locateIn, locateKey, type SpecPath, type SpecPosition } from './positions';

type Issue = z.core.$ZodIssue;

function valueAt(data: unknown, path: SpecPath): unknown {
  let v: unknown = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v))
    return v.length === 0 ? 'an empty list' : `a list of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (typeof v === 'object') return Object.keys(v).length === 0 ? 'an empty map' : 'a map';
  if (typeof v === 'string') return `"${v.length > 60 ? v.slice(0, 57) + '...' : v}"`;
  return `${typeof v} ${String(v)}`;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a map',
  record: 'a map',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

export function issueProblems(
  issue: Issue,
  data: unknown,
  doc: Document,
  at: (o: number) => SpecPosition,
  file: string,
): Problem[] {
  const path = issue.path as (string | number)[];
  const origin = originOf(doc, path);
  const make = (p: SpecPath, message: string, pos = locateIn(doc, at, p)): Problem => ({
    file: pos?.file ?? file,
    line: pos?.line,
    col: pos?.col,
    path: p.join('.'),
    message,
  });
  const received = valueAt(data, path);

  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(specSchema, path, data);
      return issue.keys.map((k) =>
        make(
          [...origin, k],
          `unknown key "${k}".${didYouMean(k, known)} Allowed here: ${known.join(', ')}`,
          locateKey(doc, at, origin, k),
        ),
      );
    }
    case 'invalid_type': {
      if (received === undefined)
        return [make(origin, `is required (${TYPE_WORDS[issue.expected] ?? issue.expected})`)];
      const quote =
        issue.expected === 'string' && (typeof received === 'number' || typeof received === 'boolean')
          ? ` (YAML read it as a ${typeof received}: put it in quotes)`
          : '';
      return [
        make(
          origin,
          `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}, got ${describeValue(received)}${quote}`,
        ),
      ];
    }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => String(v));
      if (received === undefined) return [make(origin, `is required; one of: ${allowed.join(', ')}`)];
      if (typeof received === 'string' && allowed.includes(received)) {
        return [
          make(
            origin,
            `expected the ${typeof issue.values[0]} ${received}, got the string "${received}": remove the quotes`,
          ),
        ];
      }
      const hint = typeof received === 'string' ? didYouMean(received, allowed) : '';
      return [
        make(origin, `${describeValue(received)} is not allowed.${hint} Allowed: ${allowed.join(', ')}`),
      ];
    }
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator) {
        const options = (issue as { options?: unknown[] }).options?.map(String) ?? [];
        if (received === undefined) return [make(origin, `is required; one of: ${options.join(', ')}`)];
        if (path[path.length - 2] === 'backend' && (received === 'remote' || received === 'cloud')) {
          return [
            make(
              origin,
              `backend "${received}" (HCP Terraform / Terraform Cloud) is refused: the state would live outside the jurisdiction. Use s3 (an in-jurisdiction endpoint), kubernetes, pg or local`,
            ),
          ];
        }
        const hint = typeof received === 'string' ? didYouMean(received, options) : '';
        return [
          make(origin, `${describeValue(received)} is not allowed.${hint} Allowed: ${options.join(', ')}`),
        ];
      }
      // A union of a catalogue name or the architecture numbers: report the branch that matches the type.
      const branch = issue.errors.find(
        (errs) => !errs.some((e) => e.code === 'invalid_type' && e.path.length === 0),
      );
      if (branch)
        return branch.flatMap((e) =>
          issueProblems({ ...e, path: [...path, ...e.path] } as Issue, data, doc, at, file),
        );
      return [
        make(
          origin,
          `expected a catalogue name or a map of architecture numbers, got ${describeValue(received)}`,
        ),
      ];
    }
    case 'invalid_key': {
      const key = String(path[path.length - 1]);
      const first = issue.issues[0];
      const shown = key.length > 60 ? `${key.slice(0, 57)}...` : key;
      // A name is a map key: say what a name may be, never the validator's own words.
      const inner =
        first === undefined
          ? 'is not an allowed name'
          : first.code === 'too_big'
            ? `is ${key.length} characters long; a name is at most ${String(first.maximum)} characters`
            : first.code === 'too_small'
              ? 'must not be empty'
              : first.message.startsWith('Invalid') || first.message.startsWith('Too')
                ? 'is not an allowed name'
                : first.message;
      const sep = /^(is|must) /.test(inner) ? ' ' : ': ';
      return [make(origin, `"${shown}"${sep}${inner}`, locateKey(doc, at, origin.slice(0, -1), key))];
    }
    case 'too_small':
    case 'too_big': {
      const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      const word = issue.code === 'too_small' ? 'at least' : 'at most';
      const exclusive = issue.inclusive === false;
      const what =
        issue.origin === 'array'
          ? `must have ${word} ${bound} item${bound === 1 ? '' : 's'}`
          : issue.origin === 'string'
            ? issue.message && !issue.message.startsWith('Too')
              ? issue.message
              : bound === 1 && issue.code === 'too_small'
                ? 'must not be empty'
                : `must be ${word} ${bound} characters long`
            : `must be ${exclusive ? (issue.code === 'too_small' ? 'greater than' : 'less than') : word} ${bound}`;
      return [make(origin, `${what}; got ${describeValue(received)}`)];
    }
    default:
      return [
        make(origin, `${issue.message}${received !== undefined ? `; got ${describeValue(received)}` : ''}`),
      ];
  }
}

/** Keys the schema allows for the object at `path`; unions pick the branch the data names. */
function knownKeys(schema: z.ZodType, path: SpecPath, data: unknown): string[] {
  let s: unknown = schema;
  let v: unknown = data;
  const unwrap = (x: unknown): unknown => {
    let cur = x as { _zod: { def: Record<string, unknown> } };
    for (;;) {
      const def = cur._zod.def;
      if (
        def.type === 'optional' ||
        def.type === 'default' ||
        def.type === 'nullable' ||
        def.type === 'prefault'
      ) {
        cur = def.innerType as typeof cur;
      } else if (def.type === 'pipe') {
        cur = def.in as typeof cur;
      } else if (def.type === 'union') {
        const options = def.options as (typeof cur)[];
        const disc = def.discriminator as string | undefined;
        const pick =
          options.find((o) => {
            const shape = o._zod.def.shape as
              Record<string, { _zod: { def: { values?: unknown[] } } }> | undefined;
            return disc && shape && isPlainObject(v) && shape[disc]?._zod.def.values?.includes(v[disc]);
          }) ?? options.find((o) => o._zod.def.type === 'object' && isPlainObject(v));
        if (!pick) return cur;
        cur = pick;
      } else {
        return cur;
      }
    }
  };
  for (const k of [...path, undefined]) {
    const def = (unwrap(s) as { _zod: { def: Record<string, unknown> } })._zod.def;
    if (k === undefined) {
      if (def.type === 'object') return Object.keys(def.shape as object);
      // A record keyed by an enum (partialRecord): its keys are the enum's values.
      const keyDef = (def.keyType as { _zod?: { def: { entries?: Record<string, string> } } } | undefined)
        ?._zod?.def;
      return def.type === 'record' && keyDef?.entries ? Object.values(keyDef.entries) : [];
    }
    if (def.type === 'object') s = (def.shape as Record<string, unknown>)[k];
    else if (def.type === 'record') s = def.valueType;
    else if (def.type === 'array') s = def.element;
    else return [];
    if (s === undefined) return [];
    v = isPlainObject(v) || Array.isArray(v) ? (v as Record<string | number, unknown>)[k] : undefined;
  }
  return [];
}
