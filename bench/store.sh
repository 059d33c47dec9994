#!/usr/bin/env bash
# Hold + confirm latency and throughput of the PostgreSQL store (issue 18), beside the journal, in
# one run: PostgresStoreBenchmark (the store's two transactions alone) at 1, 4 and 16 threads,
# then two processes at once against one server; then BookingBenchmark (hold + confirm + release
# through Créneau's BookingService) over the PostgreSQL store and over the journal (fsync GROUP and
# ALWAYS) at 1, 4 and 16 threads, and over PostgreSQL from two processes.
# Results (JMH JSON and logs, meta.txt) in bench/results/store-<UTC stamp>/.
#
#   ./bench/store.sh
#
# Needs a JDK 17+, Maven, python3 and PostgreSQL's binaries (initdb, pg_ctl: the tests' own).
set -euo pipefail
cd "$(dirname "$0")/.."
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="bench/results/store-$STAMP"
mkdir -p "$OUT"
JAR=bench/target/benchmarks.jar
mvn -B -q -pl bench -am -Dmaven.test.skip=true package
{
  echo "command: ./bench/store.sh"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "nproc: $(nproc)"
  echo "jdk: $(java -version 2>&1 | head -1)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "load-before: $(uptime)"
} > "$OUT/meta.txt"
P='fr.creneau.bench.PostgresStoreBenchmark'
for t in 1 4 16; do
  echo "java -jar $JAR $P -t $t -rf json -rff $OUT/pg-t$t.json" >> "$OUT/commands.txt"
  java -jar "$JAR" "$P" -t "$t" -rf json -rff "$OUT/pg-t$t.json" > "$OUT/pg-t$t.log" 2>&1
  echo "done: pg -t $t"
done
# Two processes, 4 threads each, against one server started here (JMH allows one run per
# machine unless told: ignoreLock, since these two are meant to run together).
java -cp "$JAR" fr.creneau.bench.StoreServer "$OUT/server.url" > "$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 120); do [ -s "$OUT/server.url" ] && break; sleep 1; done
PGURL="$(cat "$OUT/server.url")"
for i in 1 2; do
  echo "java -Djmh.ignoreLock=true -jar $JAR $P -t 4 -p url=$PGURL -rf json -rff $OUT/pg-2proc-$i.json" >> "$OUT/commands.txt"
  java -Djmh.ignoreLock=true -jar "$JAR" "$P" -t 4 -p "url=$PGURL" -rf json -rff "$OUT/pg-2proc-$i.json" > "$OUT/pg-2proc-$i.log" 2>&1 &
done
for job in $(jobs -p); do [ "$job" = "$SERVER" ] || wait "$job"; done
echo "done: pg two processes"
B='fr.creneau.bench.BookingBenchmark.holdConfirmRelease'
for t in 1 4 16; do
  echo "java -jar $JAR $B -t $t -bm sample -tu us -p journal=POSTGRES,GROUP,ALWAYS -rf json -rff $OUT/service-t$t.json" >> "$OUT/commands.txt"
  java -jar "$JAR" "$B" -t "$t" -bm sample -tu us -p journal=POSTGRES,GROUP,ALWAYS -rf json \
    -rff "$OUT/service-t$t.json" > "$OUT/service-t$t.log" 2>&1
  echo "done: service -t $t"
done
for i in 1 2; do
  echo "java -Djmh.ignoreLock=true -jar $JAR $B -t 4 -bm sample -tu us -p journal=POSTGRES -p url=$PGURL -rf json -rff $OUT/service-2proc-$i.json" >> "$OUT/commands.txt"
  java -Djmh.ignoreLock=true -jar "$JAR" "$B" -t 4 -bm sample -tu us -p journal=POSTGRES -p "url=$PGURL" -rf json \
    -rff "$OUT/service-2proc-$i.json" > "$OUT/service-2proc-$i.log" 2>&1 &
done
for job in $(jobs -p); do [ "$job" = "$SERVER" ] || wait "$job"; done
echo "done: service two processes"
echo "load-after: $(uptime)" >> "$OUT/meta.txt"
echo "results in $OUT"
