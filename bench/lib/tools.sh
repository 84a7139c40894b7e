# The tools under comparison and how each one is asked to do each job. Sourced by run.sh.
# Each builder sets the array CMD. Rows are named by a short key; label() gives the name
# printed in the tables.
#
# The peers' command lines are the ones that work for each (see the project's notes on the
# peers): tcpclient puts the socket on fds 6 and 7, so a shell moves it onto 0/1 and execs.

# label ROW: the row's name in tables and charts.
label() {
  case $1 in
    sendfile) echo "sendfile() (raw limit)" ;;
    reference) echo "C reference (zero relay)" ;;
    reference-spawn) echo "C reference, posix_spawn" ;;
    sockwrap) echo "sockwrap" ;;
    sockwrap-exec) echo "sockwrap --exec" ;;
    sockwrap-pty) echo "sockwrap --pty" ;;
    pty-limit) echo "bare pty relay (pty limit)" ;;
    sockwrap-viewer) echo "sockwrap viewer (no PROGRAM)" ;;
    ucspi) echo "tcpclient / tcpserver" ;;
    socat) echo "socat" ;;
    socat-exec) echo "socat EXEC (default)" ;;
    socat-pty) echo "socat EXEC,pty" ;;
    socat-viewer) echo "socat STDOUT (viewer)" ;;
    ncat) echo "ncat" ;;
    ncat-exec) echo "ncat --exec" ;;
    ncat-viewer) echo "ncat --recv-only (viewer)" ;;
    *) echo "$1" ;;
  esac
}

# sockwrap_offers OPTION: whether the sockwrap binary under test has OPTION (its --help
# names it). Features land one by one; rows for missing ones are skipped and noted.
sockwrap_offers() {
  [ -x "$SOCKWRAP" ] || return 1
  "$SOCKWRAP" --help 2>/dev/null | grep -q -e "$1"
}

# available ROW [SCENARIO]: whether ROW can run here.
available() {
  case $1 in
    sendfile | reference | reference-spawn | pty-limit) return 0 ;;
    sockwrap | sockwrap-viewer)
      if [ "${2:-}" = D ]; then sockwrap_offers --keep-open; else sockwrap_offers --out; fi ;;
    sockwrap-pty) sockwrap_offers --pty ;;
    sockwrap-exec) sockwrap_offers --exec ;;
    ucspi) command -v tcpclient >/dev/null && command -v tcpserver >/dev/null ;;
    socat*) command -v socat >/dev/null ;;
    ncat*) command -v ncat >/dev/null ;;
    *) return 1 ;;
  esac
}

# ncat_exec PROGRAM [ARG...]: the --exec text for ncat, which does not search PATH.
ncat_exec() {
  local program
  program=$(command -v "$1") || program=$1
  shift
  echo "$program${*:+ $*}"
}

# out_cmd ROW PORT PROGRAM [ARG...]: connect; PROGRAM's stdout is the socket.
out_cmd() {
  local row=$1 port=$2
  shift 2
  case $row in
    reference) CMD=("$REF" -o -c 127.0.0.1 "$port" "$@") ;;
    reference-spawn) CMD=("$REF" -o -s -c 127.0.0.1 "$port" "$@") ;;
    sockwrap) CMD=("$SOCKWRAP" --out "127.0.0.1:$port" -- "$@") ;;
    sockwrap-exec) CMD=("$SOCKWRAP" --exec --out "127.0.0.1:$port" -- "$@") ;;
    sockwrap-pty) CMD=("$SOCKWRAP" --pty --out "127.0.0.1:$port" -- "$@") ;;
    pty-limit) CMD=("$BIN/bench_pty_relay" --connect "127.0.0.1:$port" -- "$@") ;;
    ucspi) CMD=(tcpclient -RHl0 127.0.0.1 "$port" sh -c 'exec "$@" >&7' sh "$@") ;;
    socat | socat-exec) CMD=(socat -u "EXEC:$*" "TCP:127.0.0.1:$port") ;;
    socat-pty) CMD=(socat -u "EXEC:$*,pty,rawer" "TCP:127.0.0.1:$port") ;;
    ncat | ncat-exec) CMD=(ncat 127.0.0.1 "$port" --exec "$(ncat_exec "$@")") ;;
    *) die "no --out command for $row" ;;
  esac
}

# in_cmd ROW PORT PROGRAM [ARG...]: connect; PROGRAM's stdin is the socket.
in_cmd() {
  local row=$1 port=$2
  shift 2
  case $row in
    reference) CMD=("$REF" -i -c 127.0.0.1 "$port" "$@") ;;
    sockwrap) CMD=("$SOCKWRAP" --in "127.0.0.1:$port" -- "$@") ;;
    ucspi) CMD=(tcpclient -RHl0 127.0.0.1 "$port" sh -c 'exec "$@" <&6' sh "$@") ;;
    socat) CMD=(socat -u "TCP:127.0.0.1:$port" "EXEC:$*") ;;
    ncat) CMD=(ncat 127.0.0.1 "$port" --exec "$(ncat_exec "$@")") ;;
    *) die "no --in command for $row" ;;
  esac
}

# connect_cmd ROW PORT PROGRAM [ARG...]: connect; stdin and stdout are the socket.
connect_cmd() {
  local row=$1 port=$2
  shift 2
  case $row in
    reference) CMD=("$REF" -c 127.0.0.1 "$port" "$@") ;;
    sockwrap) CMD=("$SOCKWRAP" --connect "127.0.0.1:$port" -- "$@") ;;
    ucspi) CMD=(tcpclient -RHl0 127.0.0.1 "$port" sh -c 'exec "$@" <&6 >&7' sh "$@") ;;
    socat) CMD=(socat "TCP:127.0.0.1:$port" "EXEC:$*") ;;
    ncat) CMD=(ncat 127.0.0.1 "$port" --exec "$(ncat_exec "$@")") ;;
    *) die "no --connect command for $row" ;;
  esac
}

# listen_cmd ROW PORT PROGRAM [ARG...]: accept one connection; stdin and stdout on it.
# (tcpserver has no single-connection mode: it keeps listening and is stopped afterwards.)
listen_cmd() {
  local row=$1 port=$2
  shift 2
  case $row in
    reference) CMD=("$REF" -l 127.0.0.1 "$port" "$@") ;;
    sockwrap) CMD=("$SOCKWRAP" --listen "127.0.0.1:$port" -- "$@") ;;
    ucspi) CMD=(tcpserver -RHl0 127.0.0.1 "$port" "$@") ;;
    socat) CMD=(socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr" "EXEC:$*") ;;
    ncat) CMD=(ncat -l 127.0.0.1 "$port" --exec "$(ncat_exec "$@")") ;;
    *) die "no --listen command for $row" ;;
  esac
}

# server_cmd ROW PORT PROGRAM [ARG...]: a fresh PROGRAM for every connection.
server_cmd() {
  local row=$1 port=$2
  shift 2
  case $row in
    reference) CMD=("$REF" -k -l 127.0.0.1 "$port" "$@") ;;
    reference-spawn) CMD=("$REF" -k -s -l 127.0.0.1 "$port" "$@") ;;
    sockwrap) CMD=("$SOCKWRAP" --keep-open --listen "127.0.0.1:$port" -- "$@") ;;
    ucspi) CMD=(tcpserver -RHl0 127.0.0.1 "$port" "$@") ;;
    socat) CMD=(socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" "EXEC:$*") ;;
    ncat) CMD=(ncat -lk 127.0.0.1 "$port" --exec "$(ncat_exec "$@")") ;;
    *) die "no server command for $row" ;;
  esac
}

# viewer_cmd ROW PORT: accept one connection and copy what arrives to stdout (no program).
viewer_cmd() {
  local row=$1 port=$2
  case $row in
    sockwrap-viewer) CMD=("$SOCKWRAP" --listen "127.0.0.1:$port") ;;
    socat-viewer) CMD=(socat -u "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr" STDOUT) ;;
    ncat-viewer) CMD=(ncat -l --recv-only 127.0.0.1 "$port") ;;
    *) die "no viewer command for $row" ;;
  esac
}
