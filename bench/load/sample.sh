# Shared by bench/request-overhead and bench/exception-storm (sourced, not run): builds the web sample, makes sure wrk
# is installed, and starts and stops the sample on a free loopback port with a fresh SQLite database.
# shellcheck shell=bash

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sample_dll="$repo/samples/ErrorTracker.Samples.Web/bin/Release/net10.0/ErrorTracker.Samples.Web.dll"
work_dir="$(mktemp -d -t errortracker-load-XXXXXX)"
sample_pid=""
sample_port=""

cleanup_sample() {
  stop_sample
  rm -rf "$work_dir"
}
trap cleanup_sample EXIT

ensure_wrk() {
  if command -v wrk >/dev/null 2>&1; then
    return
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "Installing wrk (Debian package)..." >&2
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
}

build_sample() {
  echo "Building the web sample (Release)..." >&2
  dotnet build "$repo/samples/ErrorTracker.Samples.Web" -c Release -nologo -v quiet >/dev/null
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_sample MODE [extra env assignments...]: MODE is tracked or untracked (ERRORTRACKER_SAMPLE_BENCH).
start_sample() {
  local mode="$1"
  shift
  sample_port="$(free_port)"
  local db="$work_dir/errors-$mode-$sample_port.db"
  env ERRORTRACKER_SAMPLE_BENCH="$mode" \
    ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_gcServer=0 \
    "ConnectionStrings__Errors=Data Source=$db" \
    "$@" \
    dotnet "$sample_dll" --urls "http://127.0.0.1:$sample_port" >"$work_dir/sample-$mode-$sample_port.log" 2>&1 &
  sample_pid=$!
  for _ in $(seq 1 150); do
    if curl -fs -o /dev/null "http://127.0.0.1:$sample_port/bench/stats"; then
      return
    fi
    sleep 0.2
  done
  echo "The sample did not start; its log:" >&2
  cat "$work_dir/sample-$mode-$sample_port.log" >&2
  exit 1
}

stop_sample() {
  if [ -n "$sample_pid" ] && kill -0 "$sample_pid" 2>/dev/null; then
    kill -TERM "$sample_pid"
    wait "$sample_pid" 2>/dev/null || true
  fi
  sample_pid=""
}

sample_url() { echo "http://127.0.0.1:$sample_port$1"; }

# The median of the numbers given as arguments.
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# The Requests/sec figure of a wrk report on stdin.
wrk_rps() { awk '/^Requests\/sec:/ { print $2 }'; }
