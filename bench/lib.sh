# shellcheck shell=bash
# Sourced by the bench scripts: what they do alike. Source it first, right after setting ROOT;
# bench_binary also expects BUILD_DIR.

# The script's name in its messages: kiosk-bench for bench/kiosk-bench.sh.
BENCH_NAME="${BENCH_NAME:-$(basename "$0" .sh)}"

die() { echo "$BENCH_NAME: error: $*" >&2; exit 1; }
note() { echo "== $*" >&2; }

# bench_other_option ARG: what every bench does with an argument its own options do not take, as
# the last case of its option loop: -h/--help prints the script's header comment (line 2 up to
# `set -euo pipefail`) and exits; anything else is an error.
bench_other_option() {
  case "$1" in
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option \`$1\` (see --help)" ;;
  esac
}

# bench_positive_number NAME VALUE: dies unless VALUE is a whole number > 0; NAME says which.
bench_positive_number() {
  [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1: expected a positive number, got \`$2\`"
}

# bench_binary TARGET PATH_IN_BUILD DIR...: the benchmark program. Unless $BENCH already names one
# (--bench PATH), builds TARGET (RelWithDebInfo, tests off, benchmarks on) in $BUILD_DIR and points
# BENCH at $BUILD_DIR/PATH_IN_BUILD. Sets BUILD_INFO to where the binary came from, flagging
# uncommitted changes in the source folders DIR... it is built from. BENCH ends up absolute.
bench_binary() {
  local target="$1" path="$2"
  shift 2
  if [ -z "$BENCH" ]; then
    note "building $target (RelWithDebInfo, -DOPSDECK_BUILD_BENCH=ON) in $BUILD_DIR"
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPSDECK_BUILD_TESTS=OFF \
      -DOPSDECK_BUILD_BENCH=ON >/dev/null
    cmake --build "$BUILD_DIR" --target "$target" >&2
    BENCH="$BUILD_DIR/$path"
    BUILD_INFO="built from $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
    git -C "$ROOT" diff --quiet HEAD -- "$@" 2>/dev/null || BUILD_INFO+=" with uncommitted changes in $*"
  else
    BUILD_INFO="given with --bench, built $(date -u -r "$BENCH" +%Y-%m-%dT%H:%MZ 2>/dev/null || echo '?')"
  fi
  [ -x "$BENCH" ] || die "no $target binary at $BENCH"
  BENCH="$(cd "$(dirname "$BENCH")" && pwd)/$(basename "$BENCH")"
}

# --- child processes -------------------------------------------------------------------------------
# A bench runs its measured program in the background as CHILD_PID, so that Ctrl+C reaches the
# script's trap at once, and its cleanup ends it.

# run_child CMD...: runs CMD in the background as CHILD_PID and waits for it; returns its status.
run_child() {
  "$@" &
  CHILD_PID=$!
  local rc=0
  wait "$CHILD_PID" || rc=$?
  CHILD_PID=""
  return "$rc"
}

# bench_end PID SIGNAL: for the cleanup; ends PID (if set and still running) with SIGNAL, and with
# KILL if it has not gone after 5 s.
bench_end() {
  local pid="$1" signal="$2"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "-$signal" "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

# bench_stop_child: for the cleanup; ends CHILD_PID if it still runs.
bench_stop_child() { bench_end "${CHILD_PID:-}" TERM; }

# --- a throwaway nginx -----------------------------------------------------------------------------
# bench_nginx_start DIR [--main D] [--events D] [--http D] [--server D]...
# Starts $NGINX_BIN on 127.0.0.1 on a free random port (20000-59999), with its prefix, config, pid,
# logs and temp files in DIR — never /etc/nginx, never port 80; `daemon off` in the background, one
# worker, access_log off — answering GET /health/<i> with {"status":"ok"} as application/json and
# anything else with 404. Each option adds the directive D (with its `;`) to that block of the
# config; --events defaults to `worker_connections 1024;`. Sets NGINX_PORT and NGINX_PID (stop it
# with bench_nginx_stop). A port taken meanwhile means another try; any other failure prints
# nginx's logs and dies.
bench_nginx_start() {
  local dir="$1" main="" events="" http="" server="" port
  shift
  while [ $# -gt 0 ]; do
    case "$1" in
      --main) main+=$'\n'"$2" ;;
      --events) events+=" $2" ;;
      --http) http+=$'\n'"    $2" ;;
      --server) server+=$'\n'"        $2" ;;
      *) die "bench_nginx_start: unknown option \`$1\`" ;;
    esac
    shift 2
  done
  mkdir -p "$dir/tmp" "$dir/logs"
  for _ in $(seq 1 20); do
    port=$(( 20000 + RANDOM % 40000 ))
    if command -v ss >/dev/null && [ -n "$(ss -Htln "sport = :$port" 2>/dev/null)" ]; then
      continue
    fi
    cat > "$dir/nginx.conf" <<EOF
# Throwaway nginx for bench/$BENCH_NAME.sh — nothing here touches the system nginx.
worker_processes 1;
daemon off;$main
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events {${events:- worker_connections 1024;} }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;$http
    server {
        listen 127.0.0.1:$port;$server
        # /health/0 … /health/N-1: a distinct path per check.
        location ~ ^/health/[0-9]+\$ {
            default_type application/json;
            return 200 '{"status":"ok"}';
        }
        location / { return 404; }
    }
}
EOF
    : > "$dir/logs/error.log"
    # -e: the start-up error log too goes to DIR, never /var/log/nginx.
    "$NGINX_BIN" -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" > "$dir/logs/stdout.log" 2>&1 &
    NGINX_PID=$!
    for _ in $(seq 1 100); do
      kill -0 "$NGINX_PID" 2>/dev/null || break
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        # shellcheck disable=SC2034 # the caller reads it
        NGINX_PORT="$port"
        return 0
      fi
      sleep 0.05
    done
    if kill -0 "$NGINX_PID" 2>/dev/null; then
      kill -QUIT "$NGINX_PID" 2>/dev/null || true
      wait "$NGINX_PID" 2>/dev/null || true
      NGINX_PID=""
      echo "$BENCH_NAME: nginx did not listen on 127.0.0.1:$port within 5 s; its error log:" >&2
      cat "$dir/logs/error.log" "$dir/logs/stdout.log" >&2
      exit 1
    fi
    wait "$NGINX_PID" 2>/dev/null || true
    NGINX_PID=""
    if grep -q "Address already in use" "$dir/logs/error.log" "$dir/logs/stdout.log" 2>/dev/null; then
      continue # lost a race for the port; try another
    fi
    echo "$BENCH_NAME: nginx failed to start; its error log:" >&2
    cat "$dir/logs/error.log" "$dir/logs/stdout.log" >&2
    exit 1
  done
  die "found no free port for nginx in 20 attempts"
}

# bench_nginx_stop: for the cleanup; ends the nginx of bench_nginx_start if it still runs (QUIT is
# graceful: the master takes its worker along).
bench_nginx_stop() { bench_end "${NGINX_PID:-}" QUIT; }
