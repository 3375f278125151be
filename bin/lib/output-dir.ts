/**
 * The output directory of `sovereign synth` (and of the cdktf app entry): replaced only when it
 * is ours, swapped so that a kill at any point loses nothing, and left clean by the next run.
 * docs/output-safety.md explains the rules and the swap; this file is their only home.
 *
 * Ours means: absent, empty, or carrying the marker file `.sovereign-synth` whose first line is
 * MARKER_FORMAT and whose other lines list every file the tool wrote there. (A cdktf output
 * written before the marker existed, holding only manifest.json and stacks/, counts as ours
 * for the files its manifest lists.) Anything else — a repository, a home directory, a
 * directory with other files, `/`, a symlink — is refused with exit 2, naming it.
 *
 * Files in an output that the tool did not write (`tofu init`'s .terraform/, a lock file, a
 * plan) are carried into the new output at the same place. When that is impossible (their
 * jurisdiction is gone, or the new output writes the same name) the run is refused: they are
 * never deleted.
 *
 * The swap, beside `out` in its parent directory (names for `out` = `cdktf.out`):
 *   .cdktf.out.lock          one writer at a time (holds the writer's pid; a dead pid is stale)
 *   .cdktf.out.partial-XXXX  the new output, complete with its marker before the swap starts
 *   .cdktf.out.swap          journal: which staged and which old directory this swap uses
 *   .cdktf.out.old-XXXX      the previous output, moved aside
 * Steps: journal → rename out→old → rename staged→out → carry foreign files old→out → remove
 * old → remove journal. Every step is a rename on one file system, so a complete output is
 * always on disk; between the two renames it is under the journal's name, and the next run (of
 * any command that writes this output) completes or rolls back the swap before anything else.
 */
import * as fs from 'fs';
import * as path from 'path';
import { inputInvalid } from '../../core/errors';
import { ioFailure } from './io-error';
import { stderr } from './output';
import { faultPoint, killPoint } from './test-hooks';

export const MARKER = '.sovereign-synth';
export const MARKER_FORMAT = 'sovereign-synth output 1';

/** Names of the swap's files beside `out`. */
export function swapNames(out: string): {
  parent: string;
  lock: string;
  journal: string;
  partialPrefix: string;
  oldPrefix: string;
} {
  const parent = path.dirname(out);
  const base = path.basename(out);
  return {
    parent,
    lock: path.join(parent, `.${base}.lock`),
    journal: path.join(parent, `.${base}.swap`),
    partialPrefix: `.${base}.partial-`,
    oldPrefix: `.${base}.old-`,
  };
}

interface Journal {
  readonly staged: string;
  readonly old: string | null;
}

/** What is under `out` now. */
type Existing =
  | { readonly kind: 'absent' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'ours'; readonly foreign: readonly string[] };

export interface StagedOutput {
  /** Where to write the new output. */
  readonly dir: string;
  /** Marks the staged output and swaps it in. */
  commit(): void;
  /** Removes the staged output unless committed, and releases the lock. Safe to call twice. */
  release(): void;
}

/**
 * Checks that `out` may be replaced, takes its lock, finishes or removes what a killed run
 * left, and creates the staging directory. `shown` is `out` as the user named it.
 */
export function stageOutput(outdir: string, shown: string): StagedOutput {
  const out = path.resolve(outdir);
  const names = swapNames(out);
  if (names.parent === out) throw inputInvalid(shown, refusal('is the root of the file system'));
  inspect(out, shown); // refuse before touching anything beside it
  try {
    fs.mkdirSync(names.parent, { recursive: true });
  } catch (e) {
    // A recursive mkdir fails with EEXIST only where a part of the path is a file.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') (e as NodeJS.ErrnoException).code = 'ENOTDIR';
    ioFailure(e, path.dirname(shown), 'create the directory');
  }
  const unlock = lock(names.lock, shown);
  let dir: string | undefined;
  let done = false;
  try {
    recover(out, shown);
    inspect(out, shown); // again, after recovery; before spending time on synthesis
    try {
      dir = fs.mkdtempSync(path.join(names.parent, names.partialPrefix));
      // mkdtemp makes it private (0700); the output is an artifact for CI and auditors.
      fs.chmodSync(dir, 0o777 & ~process.umask());
    } catch (e) {
      ioFailure(e, shown, 'create the output directory beside it');
    }
  } catch (e) {
    unlock();
    throw e;
  }
  const staged = dir as string;
  return {
    dir: staged,
    commit(): void {
      writeMarker(staged, shown);
      killPoint('staged');
      swap(out, staged, shown);
      done = true;
    },
    release(): void {
      if (!done) {
        fs.rmSync(staged, { recursive: true, force: true });
        done = true;
      }
      unlock();
    },
  };
}

function refusal(why: string): string {
  return `${why}; sovereign synth replaces only a directory that is absent, empty or written by it (marked by ${MARKER}), so it leaves this one alone: choose another --out (for example cdktf.out)`;
}

// ------------------------------------------------------------------ lock

function lock(file: string, shown: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o644);
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      let held = true;
      return () => {
        if (held) fs.rmSync(file, { force: true });
        held = false;
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') ioFailure(e, shown, 'lock the output directory');
    }
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
      throw inputInvalid(
        shown,
        `another sovereign synth (pid ${pid}) is writing this directory; wait for it, or remove ${path.basename(file)} if that process is not ours`,
      );
    }
    fs.rmSync(file, { force: true }); // left by a killed run
  }
  throw inputInvalid(shown, 'cannot take the lock of this output directory');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// ------------------------------------------------------------------ what is there

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Reads the marker of `dir`: the files the tool wrote there, or undefined when not ours. */
function ownedFiles(dir: string): Set<string> | undefined {
  const marker = path.join(dir, MARKER);
  const st = lstatOrUndefined(marker);
  if (st?.isFile()) {
    const lines = fs.readFileSync(marker, 'utf8').split('\n');
    if (lines[0] !== MARKER_FORMAT) return undefined;
    return new Set(
      lines.slice(1).filter((l) => l !== '' && !l.startsWith('/') && !l.split('/').includes('..')),
    );
  }
  return legacyCdktfOutput(dir);
}

/**
 * A cdktf output written before the marker existed: only manifest.json and stacks/ at the top,
 * and a manifest listing its stacks. Ours are the manifest and the stack files it names.
 */
function legacyCdktfOutput(dir: string): Set<string> | undefined {
  const top = fs.readdirSync(dir);
  if (!top.includes('manifest.json') || top.some((n) => n !== 'manifest.json' && n !== 'stacks'))
    return undefined;
  const st = fs.lstatSync(path.join(dir, 'manifest.json'));
  if (!st.isFile() || st.size > 16 * 1024 * 1024) return undefined;
  let manifest: { stacks?: Record<string, { synthesizedStackPath?: unknown }> };
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as typeof manifest;
  } catch {
    return undefined;
  }
  if (typeof manifest?.stacks !== 'object' || manifest.stacks === null) return undefined;
  const owned = new Set(['manifest.json']);
  for (const s of Object.values(manifest.stacks)) {
    const p = s?.synthesizedStackPath;
    if (typeof p === 'string' && /^stacks\/[^/]+\/cdk\.tf\.json$/.test(p)) owned.add(p);
  }
  return owned;
}

/**
 * Entries under `dir` the tool did not write: whole subtrees, as relative paths, sorted.
 * Symlinks are entries like files (never followed).
 */
function foreignEntries(dir: string, owned: ReadonlySet<string>): string[] {
  const prefixes = new Set<string>();
  for (const f of owned) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) prefixes.add(parts.slice(0, i).join('/'));
  }
  const foreign: string[] = [];
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const r = rel === '' ? name : `${rel}/${name}`;
      if (r === MARKER || owned.has(r)) continue;
      if (prefixes.has(r) && fs.lstatSync(path.join(dir, r)).isDirectory()) walk(r);
      else foreign.push(r);
    }
  };
  walk('');
  return foreign;
}

function inspect(out: string, shown: string): Existing {
  let st: fs.Stats | undefined;
  try {
    st = lstatOrUndefined(out);
    if (st === undefined) return { kind: 'absent' };
    if (st.isSymbolicLink()) {
      const to = fs.readlinkSync(out);
      throw inputInvalid(
        shown,
        refusal(`is a symbolic link (to ${to}); a link and what it points to are never replaced`),
      );
    }
    if (!st.isDirectory()) throw inputInvalid(shown, refusal('exists and is not a directory'));
    const entries = fs.readdirSync(out);
    if (entries.length === 0) return { kind: 'empty' };
    const owned = ownedFiles(out);
    if (owned === undefined) {
      const shownEntries = entries.sort().slice(0, 5).join(', ') + (entries.length > 5 ? ', …' : '');
      throw inputInvalid(
        shown,
        refusal(`is not empty and was not written by sovereign synth (it holds ${shownEntries})`),
      );
    }
    return { kind: 'ours', foreign: foreignEntries(out, owned) };
  } catch (e) {
    return ioFailure(e, shown, 'read the output directory');
  }
}

// ------------------------------------------------------------------ marker

/** Lists every file under `dir` (sorted, POSIX separators), then writes the marker. */
function writeMarker(dir: string, shown: string): void {
  const files: string[] = [];
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = fs.lstatSync(path.join(dir, r));
      if (st.isDirectory()) walk(r);
      else files.push(r);
    }
  };
  try {
    walk('');
    const text = [MARKER_FORMAT, ...files.sort()].join('\n') + '\n';
    faultPoint('marker', path.join(dir, MARKER));
    const fd = fs.openSync(path.join(dir, MARKER), 'wx', 0o666);
    try {
      fs.writeFileSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    ioFailure(e, shown, 'write the output directory');
  }
}

// ------------------------------------------------------------------ swap

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on a directory; the renames are still atomic.
  }
}

/** Foreign entries that cannot move into `staged`, each with the reason. */
function uncarriable(staged: string, foreign: readonly string[]): string[] {
  const problems: string[] = [];
  for (const rel of foreign) {
    const parent = path.posix.dirname(rel);
    const p = parent === '.' ? undefined : lstatOrUndefined(path.join(staged, parent));
    if (parent !== '.' && !p?.isDirectory()) {
      problems.push(`${rel} (the new output has no ${parent}/, e.g. its jurisdiction is gone)`);
    } else if (lstatOrUndefined(path.join(staged, rel)) !== undefined) {
      problems.push(`${rel} (the new output writes a file of that name)`);
    }
  }
  return problems;
}

function swap(out: string, staged: string, shown: string): void {
  const names = swapNames(out);
  try {
    const existing = inspect(out, shown);
    const foreign = existing.kind === 'ours' ? existing.foreign : [];
    const stuck = uncarriable(staged, foreign);
    if (stuck.length > 0) {
      throw inputInvalid(
        shown,
        `holds files sovereign synth did not write and cannot carry into the new output: ${stuck.join('; ')}. Move them out of ${shown} (they may be Terraform state or a plan), then run again`,
      );
    }
    const old =
      existing.kind === 'ours'
        ? path.join(
            names.parent,
            `${names.oldPrefix}${path.basename(staged).slice(names.partialPrefix.length)}`,
          )
        : null;
    writeJournal(names.journal, { staged: path.basename(staged), old: old && path.basename(old) });
    killPoint('journal');
    let state: 'journaled' | 'aside' | 'swapped' = 'journaled';
    try {
      if (existing.kind === 'empty') fs.rmdirSync(out);
      if (old !== null) {
        faultPoint('rename', out);
        fs.renameSync(out, old);
        state = 'aside';
        fsyncDir(names.parent);
        killPoint('moved-aside');
      }
      fs.renameSync(staged, out);
      state = 'swapped';
      fsyncDir(names.parent);
      killPoint('swapped');
    } catch (e) {
      // Put the previous output back; the journal goes once nothing needs it.
      if (state === 'aside' && old !== null) fs.renameSync(old, out);
      fs.rmSync(names.journal, { force: true });
      throw e;
    }
    if (old !== null) finishOld(old, out, foreign);
    fs.rmSync(names.journal, { force: true });
    fsyncDir(names.parent);
  } catch (e) {
    ioFailure(e, shown, 'replace the output directory');
  }
}

function writeJournal(file: string, j: Journal): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(j) + '\n');
  const fd = fs.openSync(tmp, 'r');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

/**
 * Moves what the tool did not write from the old output into the new one, then removes the
 * old output. Whatever cannot move (the new output gained the same name meanwhile) stays,
 * and so does the old directory, named in a note: nothing foreign is ever deleted.
 */
function finishOld(old: string, out: string, foreign: readonly string[]): void {
  let carried = 0;
  for (const rel of foreign) {
    const from = path.join(old, rel);
    if (lstatOrUndefined(from) === undefined) continue; // carried before a kill
    const to = path.join(out, rel);
    if (lstatOrUndefined(to) !== undefined || !lstatOrUndefined(path.dirname(to))?.isDirectory()) {
      stderr().write(
        `note: ${path.basename(old)} keeps ${rel}, which could not be carried into ${path.basename(out)}; nothing was deleted\n`,
      );
      return;
    }
    fs.renameSync(from, to);
    if (++carried === 1) killPoint('carried');
  }
  fsyncDir(out);
  killPoint('before-old-removed');
  fs.rmSync(old, { recursive: true, force: true });
  killPoint('old-removed');
}

/**
 * Completes or rolls back a swap a killed run left, and removes staging directories of runs
 * killed before their swap. Runs under the lock.
 */
export function recover(outdir: string, shown: string): void {
  const out = path.resolve(outdir);
  const names = swapNames(out);
  try {
    fs.rmSync(`${names.journal}.tmp`, { force: true });
    if (lstatOrUndefined(names.journal) !== undefined) {
      const j = JSON.parse(fs.readFileSync(names.journal, 'utf8')) as Journal;
      const safe = (n: string | null) =>
        n !== null &&
        (n.startsWith(names.partialPrefix) || n.startsWith(names.oldPrefix)) &&
        !n.includes('/');
      const staged = safe(j.staged) ? path.join(names.parent, j.staged) : undefined;
      const old = safe(j.old) ? path.join(names.parent, j.old as string) : undefined;
      if (lstatOrUndefined(out) === undefined) {
        // Killed between the two renames: the new output is complete (it was marked before).
        if (staged !== undefined && lstatOrUndefined(staged) !== undefined) fs.renameSync(staged, out);
        else if (old !== undefined && lstatOrUndefined(old) !== undefined) fs.renameSync(old, out);
        fsyncDir(names.parent);
      }
      if (old !== undefined && lstatOrUndefined(old) !== undefined) {
        const owned = ownedFiles(old);
        const newOwned = ownedFiles(out);
        if (owned !== undefined && newOwned !== undefined) {
          // The foreign files of the old output are those not yet in the new one.
          finishOld(old, out, foreignEntries(old, owned));
        }
      }
      fs.rmSync(names.journal, { force: true });
    }
    // Staging directories of runs killed before their swap (the lock says none is running).
    for (const n of fs.readdirSync(names.parent)) {
      if (n.startsWith(names.partialPrefix))
        fs.rmSync(path.join(names.parent, n), { recursive: true, force: true });
      else if (n.startsWith(names.oldPrefix)) {
        const old = path.join(names.parent, n);
        const owned = ownedFiles(old);
        if (owned !== undefined && lstatOrUndefined(out)?.isDirectory() && ownedFiles(out) !== undefined) {
          finishOld(old, out, foreignEntries(old, owned));
        }
      }
    }
    fsyncDir(names.parent);
  } catch (e) {
    ioFailure(e, shown, 'recover the output directory left by an interrupted run');
  }
}
