#!/usr/bin/env bash
# Proves build.sh's install path for the cargo tools: `./build.sh tools` on a machine without them
# (an empty CARGO_INSTALL_ROOT, a PATH without wasm-pack and wasm-bindgen) must install both, with
# wasm-bindgen at the version Cargo.lock pins. Cheap after the first run: the builds are cached
# outside the clone (build.sh's CARGO_TOOLS_CACHE).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(mktemp -d) bin=$(mktemp -d)
trap 'rm -rf "$root" "$bin"' EXIT
# A PATH with every directory except those holding wasm-pack or wasm-bindgen; the other programs
# of those directories (cargo, rustup, rustc, …) stay reachable through links in $bin.
path=$bin
IFS=: read -ra dirs <<< "$PATH"
for d in "${dirs[@]}"; do
  if [ -e "$d/wasm-pack" ] || [ -e "$d/wasm-bindgen" ]; then
    for f in "$d"/*; do
      case "$(basename "$f")" in wasm-pack|wasm-bindgen*) ;; *) ln -sf "$f" "$bin/" ;; esac
    done
  else
    path=$path:$d
  fi
done
PATH=$path command -v wasm-pack wasm-bindgen && { echo "install.sh: the tools are still on PATH" >&2; exit 1; }
PATH=$path CARGO_INSTALL_ROOT=$root ./build.sh tools
want=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
got=$("$root/bin/wasm-bindgen" --version)
[ "$got" = "wasm-bindgen $want" ] || { echo "install.sh: installed $got, Cargo.lock wants $want" >&2; exit 1; }
"$root/bin/wasm-pack" --version
echo "install.sh: ok: wasm-pack and $got installed into an empty CARGO_INSTALL_ROOT"
