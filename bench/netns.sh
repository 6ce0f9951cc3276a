#!/usr/bin/env bash
# The cluster under a simulated network (issue 18's stretch): Redis, three RelayServer nodes
# and the load each in a network namespace of their own, joined by veth pairs to a bridge in a
# fifth; every interface delays and drops with tc netem. During the run one node is killed
# (SIGKILL) and Redis is killed and started again. Needs root (ip netns, tc); every address is
# inside the namespaces (10.77.0.0/24), nothing touches the host's network.
#
#   bench/netns.sh                  # 60 s, 1,500 msgs/s, 30 clients per node
#   DELAY=20ms LOSS=0.5% bench/netns.sh
#
# Prints a one-line-a-second timeline (target/bench/netns.md) and the totals.
set -euo pipefail
cd "$(dirname "$0")/.."
DELAY=${DELAY:-10ms}
JITTER=${JITTER:-2ms}
LOSS=${LOSS:-0.1%}
RUN=${RUN:-60}
RATE=${RATE:-1500}
PER_NODE=${PER_NODE:-30}
[[ -f ebsockets-bench/target/classpath.txt ]] || mvn -q -B install -DskipTests
CP="$(cat ebsockets-bench/target/classpath.txt):ebsockets-bench/target/classes"
mkdir -p target/bench
NAMES=(redis n1 n2 n3 load)
ADDR=([0]=10.77.0.1 [1]=10.77.0.11 [2]=10.77.0.12 [3]=10.77.0.13 [4]=10.77.0.100)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for n in "${NAMES[@]}" hub; do ip netns del "ebs-$n" 2>/dev/null || true; done
}
trap cleanup EXIT
cleanup

ip netns add ebs-hub
ip -n ebs-hub link add br0 type bridge
ip -n ebs-hub link set br0 up
for i in "${!NAMES[@]}"; do
  n=${NAMES[$i]}
  ip netns add "ebs-$n"
  ip -n ebs-hub link add "h-$n" type veth peer name "v-$n" netns "ebs-$n"
  ip -n ebs-hub link set "h-$n" master br0 up
  ip -n "ebs-$n" link set lo up
  ip -n "ebs-$n" addr add "${ADDR[$i]}/24" dev "v-$n"
  ip -n "ebs-$n" link set "v-$n" up
  if ! ip netns exec "ebs-$n" tc qdisc add dev "v-$n" root netem delay "$DELAY" "$JITTER" \
      loss "$LOSS" 2>/dev/null; then
    NETEM=no
  fi
done
if [[ ${NETEM:-yes} == yes ]]; then
  echo "namespaces up: netem delay $DELAY ±$JITTER, loss $LOSS on every interface"
else
  echo "namespaces up; this kernel has no tc netem (sch_netem): no delay or loss added"
fi

start_redis() {
  ip netns exec ebs-redis redis-server --bind 10.77.0.1 --port 6379 --save "" --appendonly no --protected-mode no \
      > target/bench/netns-redis.log 2>&1 &
  REDIS_PID=$!
  PIDS+=("$REDIS_PID")
}

# A benchmark script's pacing: poll until a port answers inside a namespace.
wait_port() {
  for _ in $(seq 1 120); do
    ip netns exec "$1" bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "nothing listens on $2:$3" >&2
  return 1
}

start_redis
wait_port ebs-n1 10.77.0.1 6379
for i in 1 2 3; do
  ip netns exec "ebs-n$i" java -Xms512m -Xmx512m -XX:+UseParallelGC -cp "$CP" \
      io.ebsockets.examples.RelayServer --host "${ADDR[$i]}" --port 7982 \
      --redis redis://10.77.0.1:6379 --node-id "n$i" > "target/bench/netns-n$i.log" 2>&1 &
  PIDS+=("$!")
  eval "NODE$i=$!"
done
wait_port ebs-load 10.77.0.11 7982
wait_port ebs-load 10.77.0.12 7982
wait_port ebs-load 10.77.0.13 7982

ip netns exec ebs-load java -Xms1g -Xmx1g -cp "$CP" io.ebsockets.bench.cluster.NetnsLoad \
    "$RUN" "$RATE" "$PER_NODE" 10.77.0.11:7982 10.77.0.12:7982 10.77.0.13:7982 | tee target/bench/netns.md &
LOAD=$!
PIDS+=("$LOAD")

sleep 20
echo "t=20 s: kill -9 of node n3" | tee -a target/bench/netns-events.txt
kill -9 "$NODE3"
sleep 15
echo "t=35 s: Redis killed" | tee -a target/bench/netns-events.txt
kill -9 "$REDIS_PID"
sleep 5
echo "t=40 s: Redis started again" | tee -a target/bench/netns-events.txt
start_redis
wait "$LOAD"
for i in 1 2; do
  echo "node n$i's log (cluster lines):"
  grep -E "cluster" "target/bench/netns-n$i.log" | cut -c1-220 || true
done
