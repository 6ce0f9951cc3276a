#!/usr/bin/env bash
# Runs the benchmark table: each server pinned to CPU 0, the load tool to CPU 1, with the GC and
# the thread counts set explicitly and identically for ebsockets and the raw-Netty baseline (a
# JVM pinned to one core would otherwise pick the serial GC and fewer threads by itself).
#
#   bench/run.sh            # everything (about 90 minutes)
#   bench/run.sh broadcast  # one scenario: broadcast (bursty senders), smooth (chat-like
#                           # senders), websocket (the WebSocket door against the TCP door),
#                           # overload, flat, echo, idle, connections, alloc, codec,
#                           # cluster (two nodes on one Redis beside one node alone),
#                           # sessions (resumable sessions on against off),
#                           # metrics (the Prometheus page on and scraped, against off),
#                           # refusals (what an accept-rate refusal costs per door, TLS too)
#   bench/run.sh attacks    # the long attacks of docs/RELIABILITY.md (not in "everything")
#
# Writes the Markdown rows to target/bench/results.md and prints them.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B install -DskipTests
CP="$(cat ebsockets-bench/target/classpath.txt):ebsockets-bench/target/classes"
# MarkSweepDeadRatio=0: the full GCs that measure "heap after GC" compact everything; by default
# ParallelGC may leave a prefix of dead objects in place, which moved heap-per-connection by
# ~300 bytes from one build to the next.
SERVER_JVM="-Xms1g -Xmx1g -XX:+UseParallelGC -XX:ParallelGCThreads=1 -XX:ActiveProcessorCount=1 -XX:NativeMemoryTracking=summary -XX:MarkSweepDeadRatio=0"
LOAD_JVM="-Xms2g -Xmx2g -XX:+UseParallelGC -XX:ParallelGCThreads=1 -XX:ActiveProcessorCount=1"
mkdir -p target/bench
OUT=target/bench/results.md
WHAT=${1:-all}

load() {
  taskset -c 1 java $LOAD_JVM -cp "$CP" io.ebsockets.bench.load.LoadTool \
      --server-cpus 0 --io-threads 1 --server-jvm "$SERVER_JVM" "$@" | tee -a "$OUT"
}

echo "| scenario | measure | ebsockets | raw Netty | ratio |" | tee "$OUT"
echo "|---|---|---:|---:|---:|" | tee -a "$OUT"
if [[ $WHAT == all || $WHAT == broadcast ]]; then
  # Three saturation searches per server, taking turns; the table gives the median. At 1,000
  # clients a step is judged over 5 s, not 2.5: there 1% of a 2.5-second window is 25 ms, about
  # the p99 latency at half the rate, so a latency swell failed steps the server sustained.
  load --scenario broadcast --clients 100 --senders 10 --repeat 3 --cold-start-seconds 10
  load --scenario broadcast --clients 1000 --senders 10 --repeat 3 --step-seconds 6 --cold-start-seconds 10
fi
if [[ $WHAT == all || $WHAT == smooth ]]; then
  # The same broadcast with chat-like arrivals: each sender's messages paced in 50 µs ticks, so
  # they reach the server one by one rather than a few per read pass.
  load --scenario broadcast --arrivals smooth --clients 100 --senders 10 --repeat 3 --cold-start-seconds 10
  load --scenario broadcast --arrivals smooth --clients 1000 --senders 10 --repeat 3 --step-seconds 6 --cold-start-seconds 10
fi
if [[ $WHAT == all || $WHAT == websocket ]]; then
  # The WebSocket door against the TCP door of the same server with the same load, in the same
  # invocation: the columns here are "WebSocket | TCP | ratio". The load side speaks WebSocket
  # through Netty's client codec (it masks every frame it sends, as RFC 6455 requires).
  echo "| scenario (WebSocket door vs TCP door) | measure | ebsockets WebSocket | ebsockets TCP | ratio |" | tee -a "$OUT"
  load --scenario broadcast --clients 100 --senders 10 --repeat 3 --impls ebsockets-ws,ebsockets
  load --scenario broadcast --clients 1000 --senders 10 --repeat 3 --step-seconds 6 --impls ebsockets-ws,ebsockets
  load --scenario connections --clients 19000 --impls ebsockets-ws,ebsockets
fi
if [[ $WHAT == all || $WHAT == sessions ]]; then
  # Resumable sessions on (RelayServer --resumable, every load client asking for a session and
  # acknowledging every 32 events, as the library's clients do) against off, same server, same
  # load, same invocation: "resumable | plain | ratio". Then the heap a session costs while
  # connected and once its client has gone (waiting out the window, one broadcast unacknowledged).
  echo "| scenario (sessions on vs off) | measure | ebsockets resumable | ebsockets | ratio |" | tee -a "$OUT"
  load --scenario broadcast --clients 100 --senders 10 --repeat 3 --cold-start-seconds 10 --impls ebsockets-resume,ebsockets
  load --scenario connections --clients 19000 --impls ebsockets-resume,ebsockets
fi
if [[ $WHAT == all || $WHAT == refusals ]]; then
  # An accept-rate refusal ("overloaded") completes the TLS handshake, and on the WebSocket door
  # the upgrade, before it can say so: the server's I/O-thread CPU per refused connection, by
  # door, against plain TCP in the same run (server and client in one JVM; CPU time per thread,
  # so they need not be pinned apart). The certificate is made here for 127.0.0.1.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
      -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
      -keyout target/bench/refusal-key.pem -out target/bench/refusal-cert.pem 2>/dev/null
  java -Xmx1g -cp "$CP" io.ebsockets.bench.refusal.RefusalCost \
      target/bench/refusal-cert.pem target/bench/refusal-key.pem 2000 | tee -a "$OUT"
fi
if [[ $WHAT == all || $WHAT == metrics ]]; then
  # RelayServer --metrics PORT (ebsockets-micrometer's binder on Micrometer's Prometheus
  # registry), its page scraped every second by the load tool, against the same server without.
  echo "| scenario (metrics on vs off) | measure | ebsockets, /metrics scraped every second | ebsockets | ratio |" | tee -a "$OUT"
  load --scenario broadcast --clients 100 --senders 10 --repeat 3 --impls ebsockets-metrics,ebsockets
fi
if [[ $WHAT == all || $WHAT == cluster ]]; then
  # Two RelayServer nodes on one redis-server (started by the bench, on a free port) beside one
  # node alone, same clients and offered rates, three repetitions; not pinned (two nodes, Redis
  # and the load share both cores). Its own table: deliveries/s, p50/p99, Redis CPU per message.
  java $LOAD_JVM -cp "$CP" io.ebsockets.bench.cluster.ClusterBench 100 3 | tee -a "$OUT"
fi
if [[ $WHAT == all || $WHAT == overload ]]; then
  # ebsockets only: the baseline has no backpressure, so twice its capacity grows its backlog
  # until it runs out of memory (the point of the measurement, but it ends the run).
  load --scenario broadcast --clients 100 --senders 10 --impls ebsockets --overload-seconds 30
  load --scenario broadcast --clients 1000 --senders 10 --impls ebsockets --overload-seconds 30
fi
if [[ $WHAT == all || $WHAT == flat ]]; then
  # Five minutes of saturated broadcast, the server's heap after GC sampled each minute.
  load --scenario broadcast --clients 100 --senders 10 --impls ebsockets --flat-minutes 5
fi
if [[ $WHAT == all || $WHAT == echo ]]; then
  load --scenario echo --clients 1000 --window 2
fi
if [[ $WHAT == all || $WHAT == idle ]]; then
  load --scenario idle --clients 1000 --seconds 60 --impls ebsockets
fi
if [[ $WHAT == all || $WHAT == connections ]]; then
  load --scenario connections --clients 19000 --impls ebsockets
fi
if [[ $WHAT == all || $WHAT == alloc ]]; then
  # Bytes allocated per relayed chat event, every thread of the JVM (docs/BENCHMARKS.md).
  taskset -c 0 java -cp "$CP" org.openjdk.jmh.Main RelayAllocationBenchmark -prof gc \
      -rf text -rff target/bench/alloc.txt | grep -E 'relayOneEvent' | tail -8
fi
if [[ $WHAT == all || $WHAT == codec ]]; then
  # Beside the package-private codec, in the transport module's test sources.
  CODEC_CP="$(cat ebsockets-netty/target/test-classpath.txt):ebsockets-netty/target/test-classes"
  taskset -c 0 java -cp "$CODEC_CP" org.openjdk.jmh.Main CodecBenchmark -prof gc \
      -rf text -rff target/bench/codec.txt | tail -30
fi
if [[ $WHAT == attacks ]]; then
  # Not in "all": the long attacks of RELIABILITY.md against the seed's relay at -Xmx256m, with
  # three bystanders chatting (about four minutes). Markdown rows on standard output.
  echo "| attack | what | the attacker saw | bystanders | server heap after GC | server RSS |"
  echo "|---|---|---|---|---:|---:|"
  java -Xmx1g -cp "$CP" io.ebsockets.bench.attack.AttackSuite "${@:2}"
fi
