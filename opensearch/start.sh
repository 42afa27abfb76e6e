#!/usr/bin/env bash
# Start a local 2-node OpenSearch 2.19 cluster on 127.0.0.1 for Depesche's tests and for local use.
#
#   opensearch/start.sh            build the launcher if needed, start node-1 and node-2, wait for green
#   opensearch/start.sh node-2     (re)start one node of a running cluster, keeping its data
#
# Settings (environment):
#   DEPESCHE_OPENSEARCH_DIR   state folder: data, logs, pid files   (default ${TMPDIR:-/tmp}/depesche-opensearch)
#   OPENSEARCH_HTTP_PORTS     HTTP ports of node-1,node-2           (default 9200,9201)
#   OPENSEARCH_TRANSPORT_PORTS transport ports of node-1,node-2     (default 9300,9301)
#   OPENSEARCH_HEAP           heap per node                         (default 384m)
#   OPENSEARCH_START_TIMEOUT  seconds to wait for green health      (default 240)
#   OPENSEARCH_JAVA_OPTS      extra JVM options for both nodes
#
# node-1 is the cluster manager (and holds data); node-2 holds data only, so losing node-2 keeps the cluster
# answering from the replicas. Prints the URL to use: DEPESCHE_OPENSEARCH_URL=http://127.0.0.1:9200
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LAUNCHER="$HERE/launcher"
STATE="${DEPESCHE_OPENSEARCH_DIR:-${TMPDIR:-/tmp}/depesche-opensearch}"
IFS=, read -r HTTP1 HTTP2 <<<"${OPENSEARCH_HTTP_PORTS:-9200,9201}"
IFS=, read -r TRANSPORT1 TRANSPORT2 <<<"${OPENSEARCH_TRANSPORT_PORTS:-9300,9301}"
HEAP="${OPENSEARCH_HEAP:-384m}"
TIMEOUT="${OPENSEARCH_START_TIMEOUT:-240}"
NODES=("$@")
[ ${#NODES[@]} -eq 0 ] && NODES=(node-1 node-2)
started_at=$(date +%s.%N)

say() { echo "opensearch: $*"; }

build() {
    local jar="$LAUNCHER/target/launcher.jar"
    if [ -f "$jar" ] && [ -d "$LAUNCHER/target/lib" ] \
        && [ -z "$(find "$LAUNCHER/pom.xml" "$LAUNCHER/src" -newer "$jar" -type f | head -1)" ]; then
        return
    fi
    say "building the launcher (first run downloads ~50 MB of jars from Maven Central)"
    (cd "$LAUNCHER" && { mvn -B -q -o -Dstyle.color=never package >/dev/null 2>&1 || mvn -B -q -Dstyle.color=never package; })
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_node() {
    local name=$1 http transport roles
    if [ "$name" = node-1 ]; then http=$HTTP1; transport=$TRANSPORT1; roles=cluster_manager,data,ingest
    elif [ "$name" = node-2 ]; then http=$HTTP2; transport=$TRANSPORT2; roles=data,ingest
    else say "unknown node $name (node-1 or node-2)"; exit 2; fi
    if [ -f "$STATE/$name.pid" ] && kill -0 "$(cat "$STATE/$name.pid")" 2>/dev/null; then
        say "$name is already running (pid $(cat "$STATE/$name.pid"))"; return
    fi
    for port in "$http" "$transport"; do
        if port_busy "$port"; then say "port $port is in use: stop what runs there, or set OPENSEARCH_HTTP_PORTS"; exit 1; fi
    done
    mkdir -p "$STATE/$name"
    # JVM options: those of the distribution's jvm.options that matter for a small node
    nohup java -Xms"$HEAP" -Xmx"$HEAP" -XX:MaxDirectMemorySize=128m -XX:+UseSerialGC -Xss1m \
        ${OPENSEARCH_JAVA_OPTS:-} \
        -Djava.locale.providers=SPI,COMPAT -Dfile.encoding=UTF-8 -Djava.awt.headless=true \
        -Dlog4j2.disable.jmx=true -Dlog4j.shutdownHookEnabled=false \
        -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true -Dio.netty.recycler.maxCapacityPerThread=0 \
        -Dio.netty.allocator.numDirectArenas=0 \
        -cp "$LAUNCHER/target/launcher.jar:$LAUNCHER/target/lib/*" depesche.opensearch.Launcher \
        cluster.name=depesche node.name="$name" node.roles="$roles" \
        path.home="$STATE/$name" http.port="$http" transport.port="$transport" \
        discovery.seed_hosts="127.0.0.1:$TRANSPORT1,127.0.0.1:$TRANSPORT2" \
        cluster.initial_cluster_manager_nodes=node-1 \
        >"$STATE/$name.log" 2>&1 </dev/null &
    echo $! >"$STATE/$name.pid"
    say "started $name (pid $!, http $http, log $STATE/$name.log)"
}

build
if [ ${#NODES[@]} -eq 2 ] && [ ! -f "$STATE/node-1.pid" -o ! -f "$STATE/node-2.pid" ]; then
    rm -rf "$STATE"  # a fresh cluster: no data of an earlier run
fi
mkdir -p "$STATE"
for node in "${NODES[@]}"; do start_node "$node"; done

deadline=$(( $(date +%s) + TIMEOUT ))
until curl -sf "http://127.0.0.1:$HTTP1/_cluster/health?wait_for_status=green&wait_for_nodes=2&timeout=5s" >/dev/null 2>&1; do
    for node in "${NODES[@]}"; do
        if ! kill -0 "$(cat "$STATE/$node.pid")" 2>/dev/null; then
            say "$node died while starting; last lines of $STATE/$node.log:"; tail -30 "$STATE/$node.log"; exit 1
        fi
    done
    if [ "$(date +%s)" -ge "$deadline" ]; then
        say "no green health after ${TIMEOUT}s"; curl -s "http://127.0.0.1:$HTTP1/_cluster/health?pretty" || true; exit 1
    fi
    sleep 1
done
seconds=$(awk -v a="$started_at" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
rss=""
for node in node-1 node-2; do
    [ -f "$STATE/$node.pid" ] && rss+=" $node $(( $(awk '/VmRSS/ {print $2}' "/proc/$(cat "$STATE/$node.pid")/status" 2>/dev/null || echo 0) / 1024 )) MB;"
done
say "cluster green (2 nodes) in ${seconds}s; RSS:${rss}"
say "DEPESCHE_OPENSEARCH_URL=http://127.0.0.1:$HTTP1"
