#!/usr/bin/env bash
# Stop the local OpenSearch cluster started by opensearch/start.sh, or one of its nodes.
#
#   opensearch/stop.sh             stop both nodes and delete the state folder (data, logs)
#   opensearch/stop.sh node-2      stop one node (SIGTERM, SIGKILL after 30 s); its data stays for a restart
#   OPENSEARCH_KEEP=1 opensearch/stop.sh   stop both, keep the state folder for a look at the logs
set -uo pipefail

STATE="${DEPESCHE_OPENSEARCH_DIR:-${TMPDIR:-/tmp}/depesche-opensearch}"
NODES=("$@")
ALL=0
[ ${#NODES[@]} -eq 0 ] && NODES=(node-1 node-2) && ALL=1

stop_node() {
    local name=$1 pidfile="$STATE/$1.pid" pid
    [ -f "$pidfile" ] || { echo "opensearch: $name is not running"; return; }
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; echo "opensearch: $name killed (pid $pid)"; else echo "opensearch: $name stopped (pid $pid)"; fi
    fi
    rm -f "$pidfile"
}

# node-2 first: stopping the cluster manager first would leave node-2 looking for it
for node in $(printf '%s\n' "${NODES[@]}" | sort -r); do stop_node "$node"; done
if [ "$ALL" = 1 ] && [ -z "${OPENSEARCH_KEEP:-}" ]; then rm -rf "$STATE"; fi
exit 0
