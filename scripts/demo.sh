#!/usr/bin/env bash
# The demo: builds the project (installing missing packages first), then shows sockwrap and
# libredirect doing real work over loopback sockets. Every process it starts is stopped by
# its own PID when the demo ends.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/setup.sh"
install_missing_packages
build=$root/build
configure_and_build "$build" >/dev/null

sockwrap=$build/sockwrap/sockwrap
tmp=$(mktemp -d)
background=()
cleanup() {
  for pid in "${background[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; }

# Waits (bounded) for a --port-file to be written and prints the port.
port_of() {
  for _ in $(seq 100); do
    [ -s "$1" ] && { cat "$1"; return; }
    sleep 0.05
  done
  echo "demo: no port in $1" >&2
  exit 1
}

step "A filter on a port: 'sort' served by sockwrap --listen; a client sends lines and half-closes"
show "sockwrap --listen :0 --port-file P sort &"
"$sockwrap" --listen :0 --port-file "$tmp/sort.port" sort &
background+=($!)
port=$(port_of "$tmp/sort.port")
show "printf 'pear\\napple\\nfig\\n' | sockwrap --connect :$port"
printf 'pear\napple\nfig\n' | "$sockwrap" --connect ":$port"

step "A viewer for a tool's output (the source text's GUI side): sockwrap --listen with no program"
show "sockwrap --listen :0 --port-file P > viewer.log &"
"$sockwrap" --listen :0 --port-file "$tmp/view.port" >"$tmp/viewer.log" &
viewer=$!
background+=($viewer)
port=$(port_of "$tmp/view.port")
show "sockwrap --out :$port -- sh -c 'for i in 1 2 3; do echo \"step \$i of 3\"; sleep 0.2; done' </dev/null"
"$sockwrap" --out ":$port" -- sh -c 'for i in 1 2 3; do echo "step $i of 3"; sleep 0.2; done' \
  </dev/null
wait "$viewer" || true
sed 's/^/viewer> /' "$tmp/viewer.log"

step "Many clients, one process each: --keep-open, and --line-buffered so sed answers at once"
show "sockwrap --listen :0 --port-file P --keep-open --line-buffered -- sed 's/^/got: /' &"
"$sockwrap" --listen :0 --port-file "$tmp/many.port" --keep-open --line-buffered \
  -- sed 's/^/got: /' &
server=$!
background+=($server)
port=$(port_of "$tmp/many.port")
for client in 1 2 3; do
  show "echo 'hello from client $client' | sockwrap --connect :$port"
  echo "hello from client $client" | "$sockwrap" --connect ":$port"
done
kill "$server"
wait "$server" || true

step "The child's exit status comes back through sockwrap"
"$sockwrap" --listen :0 --port-file "$tmp/exit.port" >/dev/null </dev/null &
background+=($!)
port=$(port_of "$tmp/exit.port")
set +e
"$sockwrap" --out ":$port" -- sh -c 'echo bye; exit 7'
echo "exit status: $? (the program's own)"
"$sockwrap" --connect ":1" -- true
echo "exit status: $? (sockwrap's own failure)"
set -e

step "libredirect: the source text's five dialogs in C++, no manual flush anywhere"
for n in 1 2 3 4 5; do
  show "dialog $n"
  "$build/examples/dialogs/dialog" "$n"
done

step "libredirect: a gzip filter chain over a socket (Boost.Iostreams device)"
"$build/examples/iostreams_gzip/iostreams_gzip" 5
