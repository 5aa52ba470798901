#!/usr/bin/env bash
# Benchmarks B3-B8 (docs/benchmarks.md): builds the bench binaries in release and runs every
# scenario, printing a table of figures with their ratio to the raw websocket echo baseline.
#
#   crates/liveview-bench/run.sh                 # everything (about 6 minutes)
#   crates/liveview-bench/run.sh rtt --rtt-secs 5 --rtt-sessions 1000
#
# Arguments go to lv-loadgen (see `target/release/lv-loadgen --help`). The server runs pinned to
# CPU 0, the load generator to CPU 1. Sessions hold one socket each on both sides, so the
# open-file soft limit is raised to 20,000 (or the hard limit, if lower); runs stay at or below
# 9,000 sessions.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release -p liveview-bench --bins
hard=$(ulimit -Hn)
want=20000
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then want=$hard; fi
ulimit -Sn "$want"
exec target/release/lv-loadgen --server-bin target/release/lv-bench-server "$@"
