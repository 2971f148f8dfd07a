#!/usr/bin/env bash
# Builds PixelGuard (dist/chrome, dist/firefox and their zips), tests it, or benchmarks it.
#
#   ./build.sh            install what is missing, build everything into dist/
#   ./build.sh test       the build, the checks, then every test: Rust, the shipped wasm in Node, real browsers
#   ./build.sh check      only the checks: cargo fmt --check, cargo clippy (-D warnings), ESLint
#   ./build.sh bench      the build, then the benchmarks (writes docs/benchmarks.md)
#   ./build.sh tools      only install what is missing (cargo tools, npm packages, Debian packages)
#   ./build.sh fuzz [SECONDS] [TARGET…]  run the fuzz targets (fuzz/; all, or those named) for
#                         SECONDS each (default 60), one at a time; installs nightly and cargo-fuzz
#
# Bundled lists come from an offline source unless you ask for a download:
#   EASYPRIVACY=FILE ./build.sh      use this EasyPrivacy file
#   ./build.sh --download            fetch EasyPrivacy from its canonical URL (needs internet)
#   (default)                        Debian's webext-ublock-origin-firefox package, which ships it
# The Public Suffix List compiled into the core comes from Debian's publicsuffix package, or:
#   PUBLIC_SUFFIX_LIST=FILE ./build.sh
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
# wasm-opt comes from npm's binaryen (pinned in package.json): Debian's binaryen 108 breaks the
# externref table wasm-bindgen emits. wasm-bindgen (and wasm-pack, for the bench) from where cargo install puts them.
export PATH="$ROOT/node_modules/.bin:${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin:$PATH"

DEBIAN_LIST_PACKAGE=webext-ublock-origin-firefox
# The Public Suffix List crate/build.rs compiles into the core: PUBLIC_SUFFIX_LIST, else Debian's.
PSL_FILE=${PUBLIC_SUFFIX_LIST:-/usr/share/publicsuffix/public_suffix_list.dat}
# The browsers, a font, and their German, French and Spanish UI (the locale tests launch them in each).
TEST_APT_PACKAGES=(chromium chromium-driver chromium-l10n firefox-esr firefox-esr-l10n-de firefox-esr-l10n-fr firefox-esr-l10n-es-es fonts-dejavu-core)

# The oldest browsers the end-to-end suite passes on: seen failing on Debian's Chromium 148 and
# Firefox ESR 140 (the harness's WebDriver BiDi commands are missing there, and a terminated Firefox
# background is not woken again), installed on a machine whose package lists were stale.
MIN_CHROMIUM=156
MIN_FIREFOX=153

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Installs the Debian packages among "$@" that are missing.
need_apt() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing ${missing[*]}; install them (no apt-get here)"
  say "apt-get install ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The major version `$1 --version` prints (Chromium's Debian wrapper also warns on stderr).
major_version() { "$1" --version 2>/dev/null | grep -o '[0-9][0-9]*\.' | head -n 1 | tr -d .; }

# The test browsers at MIN_CHROMIUM and MIN_FIREFOX or newer: older installed ones are upgraded
# from Debian; when that still leaves one older, the suite does not run on it.
need_current_browsers() {
  local chromium firefox
  chromium=$(major_version /usr/lib/chromium/chromium) firefox=$(major_version /usr/bin/firefox-esr)
  [ "${chromium:-0}" -ge "$MIN_CHROMIUM" ] && [ "${firefox:-0}" -ge "$MIN_FIREFOX" ] && return 0
  say "upgrading the test browsers (Chromium ${chromium:-none}, Firefox ${firefox:-none}; the tests need $MIN_CHROMIUM and $MIN_FIREFOX)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${TEST_APT_PACKAGES[@]}" >/dev/null
  chromium=$(major_version /usr/lib/chromium/chromium) firefox=$(major_version /usr/bin/firefox-esr)
  [ "${chromium:-0}" -ge "$MIN_CHROMIUM" ] && [ "${firefox:-0}" -ge "$MIN_FIREFOX" ] ||
    die "the browser tests need Chromium $MIN_CHROMIUM+ and Firefox ESR $MIN_FIREFOX+; Debian gives Chromium ${chromium:-none} and Firefox ${firefox:-none} here"
}

# The version of a package in Cargo.lock.
locked_version() { awk -v n="$1" '$0 == "name = \"" n "\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock; }

# Installs a cargo tool ($1, at version $2 if given): with the tool's own lock first; when that
# lock names a crate version the registry does not serve (seen: wasm-bindgen-cli 0.2.130 locks
# webpki-roots 1.0.11), again with fresh resolution. Says which way it went.
# Builds go to a cache outside the clone (CARGO_TOOLS_CACHE), so a second install is a relink.
cargo_install() {
  local args=("$1") how=locked
  [ -n "${2:-}" ] && args+=(--version "$2")
  local cache=${CARGO_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pixelguard/cargo-tools}
  say "cargo install $1 ${2:-} (with its Cargo.lock)"
  if ! CARGO_TARGET_DIR=$cache cargo install --quiet --locked --force "${args[@]}"; then
    how=unlocked
    say "cargo install --locked $1 failed (see above); retrying without --locked (dependencies resolved afresh)"
    CARGO_TARGET_DIR=$cache cargo install --quiet --force "${args[@]}" ||
      die "cargo install $1 ${2:-} failed with and without --locked"
  fi
  say "installed $1 ${2:-} ($how) into ${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin"
}

install_tools() {
  command -v cargo >/dev/null || die "cargo not found: install Rust with rustup"
  command -v node >/dev/null && command -v npm >/dev/null || need_apt nodejs npm
  if [ -n "${PUBLIC_SUFFIX_LIST:-}" ]; then
    [ -s "$PUBLIC_SUFFIX_LIST" ] || die "PUBLIC_SUFFIX_LIST=$PUBLIC_SUFFIX_LIST: no such file, or empty"
  else
    need_apt publicsuffix
  fi
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
  rustup component list --installed | grep -q '^clippy' && rustup component list --installed | grep -q '^rustfmt' ||
    rustup component add clippy rustfmt
  command -v wasm-pack >/dev/null || cargo_install wasm-pack
  local wb; wb=$(locked_version wasm-bindgen)
  [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $wb" ] || cargo_install wasm-bindgen-cli "$wb"
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "npm ci"; PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  fi
}

# The built-in lists, from lists/builtins.json: `builtin ID FIELD` prints one field of one list;
# read_builtins sets LIST_SPECS (ID=FILE per list, in order: the text the build compiles for it),
# LIST_ARGS (--list ID=FILE each, for the CLI) and LIST_FILES.
builtin() { node -e 'const b = require("./lists/builtins.json").find((l) => l.id === process.argv[1]); if (!b) process.exit(1); console.log(b[process.argv[2]] ?? "")' "$1" "$2"; }
read_builtins() {
  local spec
  mapfile -t LIST_SPECS < <(node -e 'for (const b of require("./lists/builtins.json")) console.log(`${b.id}=${b.file}`)')
  [ ${#LIST_SPECS[@]} -gt 0 ] || die "lists/builtins.json names no list"
  LIST_ARGS=() LIST_FILES=()
  for spec in "${LIST_SPECS[@]}"; do LIST_ARGS+=(--list "$spec"); LIST_FILES+=("${spec#*=}"); done
}

# True when $1 is missing or older than any file under the other arguments.
stale() { [ ! -e "$1" ] || [ -n "$(find "${@:2}" -newer "$1" -type f -print -quit)" ]; }

# The wasm: cargo, then wasm-bindgen with its reset function (engine.js re-instantiates the module
# after work that grew its memory: wasm-pack cannot pass that flag), then wasm-opt.
WASM_OPT_FLAGS=(-O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)
# Appends `__wbg_unload` to wasm-bindgen's glue: it drops the module, the instance and its memory
# (engine.js unloads an idle engine; the next initSync instantiates again), refusing every object of
# the dropped instance as the glue's reset does. Dies when the glue no longer has what it relies on.
add_unload() {
  grep -q '^let wasmModule, wasmInstance, wasm;$' "$1" && grep -q '__wbg_instance_id++;' "$1" \
    || die "$1: wasm-bindgen's glue changed; __wbg_unload in build.sh must follow it"
  cat >> "$1" <<'JS'

export function __wbg_unload() {
    __wbg_instance_id++;
    cachedDataViewMemory0 = null;
    cachedUint8ArrayMemory0 = null;
    __wbg_reinit_scheduled = false;
    wasm = wasmInstance = wasmModule = undefined;
}
JS
}
build_wasm() {
  if stale build/wasm/pixelguard_bg.wasm crate Cargo.toml Cargo.lock "$PSL_FILE"; then
    say "wasm: cargo build (release, simd128), wasm-bindgen, wasm-opt"
    RUSTFLAGS="-C target-feature=+simd128" cargo build --quiet --release --lib -p pixelguard-wasm --target wasm32-unknown-unknown
    wasm-bindgen target/wasm32-unknown-unknown/release/pixelguard_wasm.wasm --target web --experimental-reset-state-function \
      --out-dir build/wasm --out-name pixelguard --no-typescript
    add_unload build/wasm/pixelguard.js
    wasm-opt build/wasm/pixelguard_bg.wasm -o build/wasm/pixelguard_bg.wasm "${WASM_OPT_FLAGS[@]}"
  fi
}

build_cli() {
  if stale target/release/pixelguard crate Cargo.toml Cargo.lock "$PSL_FILE"; then
    say "cli: cargo build --release"
    cargo build --quiet --release -p pixelguard-cli --bin pixelguard
  fi
}

# Puts EasyPrivacy where lists/builtins.json says the build reads it (build/lists/easyprivacy.txt),
# and its origin beside it (build/lists/easyprivacy.source).
fetch_easyprivacy() {
  local out src url
  out=$(builtin easyprivacy file) url=$(builtin easyprivacy url)
  src=${out%.txt}.source
  mkdir -p "$(dirname "$out")"
  if [ -n "${EASYPRIVACY:-}" ]; then
    [ -s "$EASYPRIVACY" ] || die "EASYPRIVACY=$EASYPRIVACY: no such file, or empty"
    cp "$EASYPRIVACY" "$out.tmp" && echo "file $EASYPRIVACY" > "$src.tmp"
  elif [ "$DOWNLOAD" = 1 ]; then
    curl -fsSL --max-time 60 -o "$out.tmp" "$url" || die "download of $url failed"
    echo "download $url" > "$src.tmp"
  elif [ -s "$out" ] && grep -q "^debian " "$src" 2>/dev/null; then
    return 0  # the Debian copy is already here; it only changes with the package
  else
    command -v apt-get >/dev/null || die "no list source: set EASYPRIVACY=FILE, or use --download"
    local tmp; tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download -qq "$DEBIAN_LIST_PACKAGE" 2>/dev/null) ||
      { as_root apt-get update -qq && (cd "$tmp" && apt-get download -qq "$DEBIAN_LIST_PACKAGE"); } ||
      die "no list source: apt-get download $DEBIAN_LIST_PACKAGE failed; set EASYPRIVACY=FILE or use --download"
    dpkg -x "$tmp"/*.deb "$tmp/x"
    local found; found=$(find "$tmp/x" -path '*thirdparties/easylist/easyprivacy.txt' -print -quit)
    [ -n "$found" ] || die "$DEBIAN_LIST_PACKAGE no longer ships easyprivacy.txt; set EASYPRIVACY=FILE"
    cp "$found" "$out.tmp"
    echo "debian $DEBIAN_LIST_PACKAGE $(dpkg-deb -f "$tmp"/*.deb Version)" > "$src.tmp"
    rm -rf "$tmp"
  fi
  grep -q '^! Title: EasyPrivacy' "$out.tmp" || die "$(cat "$src.tmp"): this is not EasyPrivacy"
  mv "$out.tmp" "$out" && mv "$src.tmp" "$src"
}

# Assembles dist/$1 (chrome or firefox) from extension/, what extension/generate.mjs writes, the wasm,
# the lists (each built-in list as lists/ID.txt) and their rulesets.
assemble() {
  local browser=$1 out=dist/$1 spec
  rm -rf "$out" && mkdir -p "$out/wasm" "$out/lists"
  cp -r extension/src extension/content extension/popup extension/options extension/report extension/_locales extension/icons "$out/"
  node extension/manifest/build.mjs "$browser" build/webmail.json > "$out/manifest.json"
  node extension/generate.mjs "$out" build/constants.json build/webmail.json  # src/ and content/generated/, rules/ from extension/rules/
  cp build/wasm/pixelguard.js build/wasm/pixelguard_bg.wasm "$out/wasm/"
  for spec in "${LIST_SPECS[@]}"; do cp "${spec#*=}" "$out/lists/${spec%%=*}.txt"; done
  cp build/lists/easyprivacy.source build/lists/engine.snapshot "$out/lists/"
  cp "build/rules/$browser"/*.rules.json "build/rules/$browser"/*.map.json "build/rules/$browser"/*.report.json "$out/rules/"
}

# Compiles the bundled lists into each browser's static DNR rulesets, with source maps and reports.
build_rules() {
  local b
  for b in chrome firefox; do
    if stale "build/rules/$b/report.txt" "${LIST_FILES[@]}" lists/builtins.json target/release/pixelguard; then
      rm -rf "build/rules/$b" && mkdir -p "build/rules/$b"
      target/release/pixelguard compile "${LIST_ARGS[@]}" --browser "$b" --out "build/rules/$b" > "build/rules/$b/report.txt.tmp"
      mv "build/rules/$b/report.txt.tmp" "build/rules/$b/report.txt"
    fi
    say "rules for $b: $(tail -n 1 "build/rules/$b/report.txt")"
  done
}

# The webmail data as the CLI prints it: the manifest's webmail content script matches, and the
# proxy shapes the webmail content script reads (extension/generate.mjs: src/generated/webmail.js).
build_webmail_data() {
  if stale build/webmail.json target/release/pixelguard; then
    target/release/pixelguard webmail > build/webmail.json.tmp && mv build/webmail.json.tmp build/webmail.json
  fi
}

# The core's constants for the JS side (priorities, hostname syntax, …), for extension/generate.mjs.
build_constants() {
  if stale build/constants.json target/release/pixelguard; then
    target/release/pixelguard constants > build/constants.json.tmp && mv build/constants.json.tmp build/constants.json
  fi
}

build_snapshot() {
  if stale build/lists/engine.snapshot "${LIST_FILES[@]}" lists/builtins.json target/release/pixelguard; then
    target/release/pixelguard snapshot "${LIST_ARGS[@]}" --out build/lists/engine.snapshot
  fi
}

# The bundled list's version: its own header, else where it came from.
list_version() {
  local v; v=$(grep -m1 -E '^! (Version|Last modified): [0-9]' "$(builtin easyprivacy file)" | cut -d: -f2- | xargs || true)
  echo "${v:-(undated)}"
}

zip_dir() { (cd "$1" && python3 -c 'import os,sys,zipfile
z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED)
for d, _, fs in sorted(os.walk(".")):
    for f in sorted(fs): z.write(os.path.join(d, f), os.path.relpath(os.path.join(d, f)))' "$2"); }

build() {
  install_tools
  read_builtins
  build_wasm
  build_cli
  fetch_easyprivacy
  say "lists: EasyPrivacy $(list_version) from $(cat build/lists/easyprivacy.source)"
  build_snapshot
  build_rules
  build_webmail_data
  build_constants
  for b in chrome firefox; do assemble "$b"; done
  zip_dir dist/chrome "$ROOT/dist/pixelguard-chrome.zip"
  zip_dir dist/firefox "$ROOT/dist/pixelguard-firefox.xpi"
  say "built dist/chrome dist/firefox dist/pixelguard-chrome.zip dist/pixelguard-firefox.xpi" \
      "(wasm $(wc -c < build/wasm/pixelguard_bg.wasm) bytes, $(gzip -9c build/wasm/pixelguard_bg.wasm | wc -c) gzip)"
}

# The checks every change must pass (see CONTRIBUTING.md): the Rust formatted as rustfmt.toml says,
# clippy without a warning, ESLint clean on extension/, tests/ and bench/ (eslint.config.js).
run_checks() {
  say "check: cargo fmt --check"
  cargo fmt --check || die "cargo fmt --check failed: run cargo fmt"
  say "check: cargo clippy --workspace --all-targets -- -D warnings"
  cargo clippy --quiet --workspace --all-targets -- -D warnings
  # The fuzz targets are their own workspace (nightly to run, stable to build): kept compiling here.
  say "check: the fuzz targets (cargo fmt --check and clippy in fuzz/)"
  cargo fmt --check --manifest-path fuzz/Cargo.toml || die "cargo fmt --check failed in fuzz/: run cargo fmt there"
  cargo clippy --quiet --manifest-path fuzz/Cargo.toml --bins -- -D warnings
  say "check: eslint extension tests bench"
  eslint --max-warnings 0 extension tests bench eslint.config.js
}

run_tests() {
  run_checks
  need_apt "${TEST_APT_PACKAGES[@]}"
  need_current_browsers
  say "test: the cargo tools install on a machine without them"
  tests/install.sh
  say "test: Rust"
  cargo test --quiet --workspace
  say "test: the shipped wasm in Node"
  node --test tests/node/
  say "test: real browsers"
  node --test --test-concurrency=1 tests/e2e/
}

# Benchmarks on ../shared/data (see docs/benchmarks.md): the engines compared against are npm
# dependencies of bench/ only, installed here and never by the build or the test path.
need_shared() {
  [ -d ../shared/data ] || die "bench: ../shared/data is absent. The benchmark needs ../shared (the request crawl and EasyList/EasyPrivacy) beside the repository; nothing was measured."
}

run_bench() {
  need_shared
  need_apt chromium
  if [ ! -f bench/node_modules/.package-lock.json ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
    say "bench: npm ci --prefix bench"; npm ci --prefix bench --no-audit --no-fund --loglevel=error
  fi
  node bench/run.mjs
}

# The fuzz targets (fuzz/fuzz_targets/), one at a time, $1 seconds each, under ASan with libFuzzer.
# Corpora grow in fuzz/corpus/TARGET (kept between runs); crashes land in fuzz/artifacts/TARGET;
# each target's figures (execs, coverage, corpus) go to fuzz/last-run.txt. Fails on a crash.
FUZZ_TARGETS=(lists dnr snapshot)
FUZZ_ONLY=()
run_fuzz() {
  local seconds=$1 t log summary=fuzz/last-run.txt
  rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
  command -v cargo-fuzz >/dev/null || cargo_install cargo-fuzz
  [ ${#FUZZ_ONLY[@]} -gt 0 ] || : > "$summary"
  for t in "${FUZZ_ONLY[@]:-${FUZZ_TARGETS[@]}}"; do
    mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
    # A first corpus: our own list's lines, twenty at a time (the dnr target reads a browser byte first).
    [ -n "$(ls -A "fuzz/corpus/$t")" ] || [ "$t" = snapshot ] ||
      split -l 20 -d lists/pixels.txt "fuzz/corpus/$t/pixels-"
    log=fuzz/artifacts/$t/run.log
    local dict=(); [ "$t" = snapshot ] || dict=(-dict=fuzz/filters.dict)
    say "fuzz: $t for ${seconds}s"
    if ! cargo +nightly fuzz run --fuzz-dir fuzz "$t" "fuzz/corpus/$t" -- -max_total_time="$seconds" -timeout=60 \
        -max_len=4096 "${dict[@]}" -print_final_stats=1 > "$log" 2>&1; then
      tail -n 40 "$log" >&2
      die "fuzz: $t found a crash (above; input in fuzz/artifacts/$t, log $log)"
    fi
    local runs cov corp
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
    corp=$(grep -o 'corp: [0-9]*/[0-9a-zA-Z]*' "$log" | tail -n 1 | cut -d' ' -f2)
    echo "$t: ${seconds}s, $runs execs, coverage $cov edges, corpus $corp (inputs/bytes), no crash" | tee -a "$summary"
  done
}

DOWNLOAD=0
COMMAND=build
FUZZ_SECONDS=60
for arg in "$@"; do
  case "$arg" in
    --download) DOWNLOAD=1 ;;
    [0-9]*) FUZZ_SECONDS=$arg ;;
    lists|dnr|snapshot) FUZZ_ONLY+=("$arg") ;;
    build|test|check|bench|tools|fuzz) COMMAND=$arg ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$arg' (see ./build.sh --help)" ;;
  esac
done

[ "$COMMAND" = bench ] && need_shared
if [ "$COMMAND" = tools ]; then install_tools; exit 0; fi
if [ "$COMMAND" = check ]; then install_tools; run_checks; exit 0; fi
if [ "$COMMAND" = fuzz ]; then command -v cargo >/dev/null || die "cargo not found: install Rust with rustup"; need_apt publicsuffix; run_fuzz "$FUZZ_SECONDS"; exit 0; fi
build
case "$COMMAND" in
  test) run_tests ;;
  bench) run_bench ;;
esac
