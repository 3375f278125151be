/**
 * The shell script the weights Job runs: copy one pinned model revision onto the volume, then
 * verify every file's SHA-256 against the manifest. It is a real POSIX sh script kept as text here
 * so that synth reads no files; tests take it back out of the synthesized JSON and run it.
 *
 * Inside the template literal below `\${` stands for the shell's `${`; nothing is interpolated.
 */

/** Exit codes of the script; the Job's podFailurePolicy fails fast on the permanent ones. */
export const VERIFY_EXIT = {
  /** Verified now, or already verified for this manifest (marker). */
  ok: 0,
  /** Bad configuration (environment, manifest unreadable, tool missing): retrying cannot help. */
  config: 2,
  /** The files do not match the manifest (missing, extra, changed, not regular): permanent. */
  mismatch: 3,
  /** Copy or I/O failure (network, storage): retried up to the Job's backoffLimit. */
  transient: 4,
} as const;

export const VERIFY_WEIGHTS_SCRIPT = `#!/bin/sh
# verify-weights: copy one pinned model revision onto the volume and verify every file.
#
# Needs: sh, sha256sum, find, awk, sort, wc, cat, mkdir, mktemp, mv, rm (busybox or coreutils);
# rclone as well when SOURCE_KIND is s3 or https.
#
# Environment:
#   MANIFEST          the manifest: "<sha256>  <path>" lines sorted by path (sha256sum format)
#   MANIFEST_SHA256   SHA-256 of the manifest file; a manifest that differs is refused
#   WEIGHTS_DIR       the revision directory to fill and verify
#   MARKER            file recording a completed verification; holds MANIFEST_SHA256
#   SOURCE_KIND       s3 | https | volume (volume: the files are already in WEIGHTS_DIR)
#   SOURCE            where the files come from, for messages
#   SOURCE_PATH       s3/https: path below the rclone remote "SRC:" (configured by
#                     RCLONE_CONFIG_SRC_* variables, rclone docs: config file)
#   CA_CERT           optional PEM file of CAs for the source's TLS (rclone --ca-cert)
#   ALWAYS_VERIFY     "true": verify again even when the marker matches
#   VERIFY_JOBS       files hashed at the same time (default 2)
#   COPY_TRANSFERS    files copied at the same time (default 4)
#
# Exit: 0 verified (or already verified), 2 bad configuration, 3 files do not match the
# manifest, 4 copy or I/O failure (worth a retry).
set -eu

log() { printf 'verify-weights: %s\\n' "$*" >&2; }
die() { code=$1; shift; log "$*"; exit "$code"; }

[ -n "\${MANIFEST:-}" ] || die 2 "MANIFEST is not set"
[ -n "\${MANIFEST_SHA256:-}" ] || die 2 "MANIFEST_SHA256 is not set"
[ -n "\${WEIGHTS_DIR:-}" ] || die 2 "WEIGHTS_DIR is not set"
[ -n "\${MARKER:-}" ] || die 2 "MARKER is not set"
[ -n "\${SOURCE_KIND:-}" ] || die 2 "SOURCE_KIND is not set"
jobs=\${VERIFY_JOBS:-2}
case $jobs in ''|*[!0-9]*|0) die 2 "VERIFY_JOBS=$jobs is not a positive whole number" ;; esac

# 1. The manifest must be the one this Job was synthesized with.
[ -r "$MANIFEST" ] || die 2 "manifest $MANIFEST cannot be read"
got=$(sha256sum < "$MANIFEST") || die 2 "cannot hash manifest $MANIFEST"
got=\${got%% *}
[ "$got" = "$MANIFEST_SHA256" ] ||
  die 2 "manifest $MANIFEST has SHA-256 $got but this Job pins $MANIFEST_SHA256 (changed outside Terraform?)"
awk 'length($0) < 67 || substr($0, 65, 2) != "  " { bad = 1 } END { exit bad }' "$MANIFEST" ||
  die 2 "manifest $MANIFEST is not in sha256sum format"

# 2. A marker holding this manifest's digest means the work is done.
if [ "\${ALWAYS_VERIFY:-false}" != true ] && [ -f "$MARKER" ]; then
  have=$(cat "$MARKER")
  if [ "$have" = "$MANIFEST_SHA256" ]; then
    log "already verified: $WEIGHTS_DIR matches manifest $MANIFEST_SHA256 (marker $MARKER); nothing to do"
    exit 0
  fi
  log "marker $MARKER records manifest $have; verifying again for $MANIFEST_SHA256"
fi
rm -f "$MARKER" || die 4 "cannot remove marker $MARKER"
mkdir -p "$WEIGHTS_DIR" || die 4 "cannot create $WEIGHTS_DIR"

work=$(mktemp -d "\${TMPDIR:-/tmp}/verify-weights.XXXXXX") || die 4 "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT
trap 'exit 143' TERM INT
awk '{ print substr($0, 67) }' "$MANIFEST" | LC_ALL=C sort > "$work/expected"
count=$(wc -l < "$work/expected")
count=$((count + 0))

# 3. Copy the listed files, and only those, from the source.
case $SOURCE_KIND in
  volume)
    log "verifying $count files in place in $WEIGHTS_DIR (source: \${SOURCE:-the volume})"
    ;;
  s3|https)
    command -v rclone > /dev/null 2>&1 || die 2 "rclone is not in the image; $SOURCE_KIND sources need it"
    set -- --config /dev/null copy "SRC:\${SOURCE_PATH:-}" "$WEIGHTS_DIR" \\
      --files-from-raw "$work/expected" --no-traverse \\
      --transfers "\${COPY_TRANSFERS:-4}" --retries 3 --low-level-retries 10 \\
      --stats 1m --stats-one-line --stats-log-level NOTICE
    if [ -n "\${CA_CERT:-}" ]; then set -- "$@" --ca-cert "$CA_CERT"; fi
    log "copying $count files from \${SOURCE:-$SOURCE_KIND} into $WEIGHTS_DIR"
    rclone "$@" || die 4 "copy from \${SOURCE:-$SOURCE_KIND} failed (rclone exit $?)"
    ;;
  *)
    die 2 "SOURCE_KIND=$SOURCE_KIND is not one of s3, https, volume"
    ;;
esac

# 4. Verify: nothing missing, nothing extra, nothing that is not a regular file, every digest.
cd "$WEIGHTS_DIR" || die 4 "cannot enter $WEIGHTS_DIR"
: > "$work/problems"
find . ! -type d > "$work/found" || die 4 "cannot list $WEIGHTS_DIR"
awk '{ print substr($0, 3) }' "$work/found" | LC_ALL=C sort > "$work/present"
find . ! -type d ! -type f | awk '{ print "not a regular file: " substr($0, 3) }' >> "$work/problems"
awk 'FILENAME == ARGV[1] { have[$0] = 1; next } !($0 in have) { print "missing: " $0 }' \\
  "$work/present" "$work/expected" >> "$work/problems"
awk 'FILENAME == ARGV[1] { want[$0] = 1; next } !($0 in want) { print "extra file, not in the manifest: " $0 }' \\
  "$work/expected" "$work/present" >> "$work/problems"

verify_part() {
  while IFS= read -r line; do
    want=\${line%% *}
    path=\${line#*  }
    [ -f "$path" ] && [ ! -L "$path" ] || continue
    if ! got=$(sha256sum < "$path"); then
      echo "unreadable: $path"
      continue
    fi
    got=\${got%% *}
    [ "$got" = "$want" ] || echo "sha256 mismatch: $path is $got, the manifest pins $want"
  done < "$1"
}
awk -v n="$jobs" -v dir="$work" '{ print > (dir "/part." (NR % n)) }' "$MANIFEST"
log "hashing $count files, $jobs at a time"
for part in "$work"/part.*; do
  [ -f "$part" ] || continue
  verify_part "$part" > "$part.out" &
done
wait
for out in "$work"/part.*.out; do
  [ -f "$out" ] && cat "$out" >> "$work/problems"
done

if [ -s "$work/problems" ]; then
  n=$(wc -l < "$work/problems")
  LC_ALL=C sort "$work/problems" | while IFS= read -r p; do log "FAILED $p"; done
  die 3 "$((n + 0)) problem(s): $WEIGHTS_DIR does not match manifest $MANIFEST_SHA256; nothing was marked verified"
fi

# 5. Record the verified manifest so a re-run with the same manifest is cheap.
printf '%s\\n' "$MANIFEST_SHA256" > "$MARKER.tmp" && mv -f "$MARKER.tmp" "$MARKER" ||
  die 4 "cannot write marker $MARKER"
log "verified $count files in $WEIGHTS_DIR against manifest $MANIFEST_SHA256"
`;

/**
 * Escapes Terraform's template sequences so a string reaches the API server unchanged:
 * `${` → `$${` and `%{` → `%%{`.
 * @see https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences
 */
export function escapeTerraformTemplate(s: string): string {
  return s.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/** The inverse of escapeTerraformTemplate, as Terraform applies it; used by tests. */
export function unescapeTerraformTemplate(s: string): string {
  return s.replace(/\$\$\{/g, () => '${').replace(/%%\{/g, () => '%{');
}
