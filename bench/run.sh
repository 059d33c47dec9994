#!/usr/bin/env bash
# Runs Créneau's benchmarks and writes the results under bench/results/<mode>-<UTC stamp>/:
# one JMH JSON (-rf json) and log per group, memory.json, meta.txt and summary.md (bench/summarise.py).
#
#   ./bench/run.sh quick   # ~10 minutes on 2 cores: 1M and 5M slots, a subset of the scenarios:
#                          #   baselines at 1M (every place; office, 48 h), Créneau at 5M (4 places;
#                          #   Paris: other modalities, MT, 4 h, nothing free), ingest, memory
#   ./bench/run.sh scale   # ~25 minutes: Créneau at 20M (4 places, office 48 h), queries while a
#                          #   snapshot is applied at 5M, the 20M reload, memory at 5M and 20M
#   ./bench/run.sh full    # everything: 1M, 5M and 20M, every scenario, both baselines (hours)
#
# Needs a JDK 17+, Maven and python3. Builds with
#   mvn -B -q -pl bench -am -Dmaven.test.skip=true package
# (never `mvn install`). The data sets are generated once into bench/target/bench-data/.
# Benchmark numbers taken while other builds run are noisy: meta.txt records `uptime` before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-quick}"
case "$MODE" in quick|scale|full) ;; *) echo "usage: $0 [quick|scale|full]" >&2; exit 2 ;; esac
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="bench/results/$MODE-$STAMP"
mkdir -p "$OUT"
JAR=bench/target/benchmarks.jar

mvn -B -q -pl bench -am -Dmaven.test.skip=true package

{
  echo "command: ./bench/run.sh $MODE"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "nproc: $(nproc)"
  echo "memory: $(free -g | awk '/Mem:/ {print $2 " GiB"}')"
  echo "jdk: $(java -version 2>&1 | head -1)"
  echo "jdk-vm: $(java -version 2>&1 | tail -1)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "load-before: $(uptime)"
} > "$OUT/meta.txt"

# jmh NAME REGEX ARGS...: one JMH run, its JSON and log in $OUT; the exact command in commands.txt.
jmh() {
  local name="$1"; shift
  local regex="$1"; shift
  local cmd=(java -jar "$JAR" "$regex" "$@" -rf json -rff "$OUT/$name.json")
  echo "${cmd[*]}" >> "$OUT/commands.txt"
  "${cmd[@]}" > "$OUT/$name.log" 2>&1 || { echo "benchmark $name failed, see $OUT/$name.log" >&2; tail -30 "$OUT/$name.log" >&2; exit 1; }
  echo "done: $name ($(uptime | sed 's/.*load/load/'))"
}

Q='fr.creneau.bench.RegulatorQueryBenchmark'
if [ "$MODE" = quick ]; then
  T=(-wi 3 -w 2s -i 3 -r 2s -f 1)
  # Ratios at 1M: the three implementations on the same data and queries (dense and sparse places).
  jmh query-1m "$Q.(creneau|lucene|onHeap)$" "${T[@]}" -prof gc -p size=1000000 -p place=PARIS,TOWN,RURAL,OVERSEAS \
      -p modality=OFFICE -p mt=none -p window=48h
  # Créneau at 5M, every place.
  jmh query-creneau "$Q.creneau$" "${T[@]}" -prof gc -p size=5000000 -p place=PARIS,TOWN,RURAL,OVERSEAS \
      -p modality=OFFICE -p mt=none -p window=48h
  # Créneau at 5M, Paris: the other modalities, an MT, a 4 h window and the nothing-free path.
  jmh query-variants "$Q.creneau$" "${T[@]}" -prof gc -p size=5000000 -p place=PARIS \
      -p modality=TELECONSULTATION,HOME_VISIT -p mt=none -p window=48h
  jmh query-variants-2 "$Q.creneau$" "${T[@]}" -prof gc -p size=5000000 -p place=PARIS \
      -p modality=OFFICE -p mt=mt -p window=4h,night4h
  jmh concurrent 'fr.creneau.bench.ConcurrentIngestBenchmark' "${T[@]}" -prof gc -p size=1000000 -p place=PARIS
  jmh ingest '^fr.creneau.bench.IngestBenchmark' -wi 1 -w 2s -i 2 -r 2s -f 1 -p size=1000000,5000000
  MEM=(--sizes=1000000,5000000 --baselines=1000000)
elif [ "$MODE" = scale ]; then
  T=(-wi 3 -w 2s -i 3 -r 2s -f 1)
  # National scale: 20M slots, every place, office 48 h.
  jmh query-20m "$Q.creneau$" "${T[@]}" -prof gc -p size=20000000 -p place=PARIS,TOWN,RURAL,OVERSEAS \
      -p modality=OFFICE -p mt=none -p window=48h
  # Query latency while a vendor snapshot is applied, at 5M (the issue's bound: p99 <= 1.5x idle).
  jmh concurrent-5m 'fr.creneau.bench.ConcurrentIngestBenchmark' "${T[@]}" -prof gc -p size=5000000 -p place=PARIS,RURAL
  # A full reload of 20M parsed records into a new index.
  jmh reload-20m '^fr.creneau.bench.IngestBenchmark.reload' -p size=20000000
  MEM=(--sizes=5000000,20000000)
else
  # Every scenario for Créneau at every size; the baselines at 1M and 5M on every scenario, at 20M
  # on the office 48 h / 4 h scenarios of each place (a 20M Lucene index takes minutes to build).
  jmh query-creneau "$Q.creneau$" -prof gc
  jmh query-baselines "$Q.(lucene|onHeap)$" -prof gc -p size=1000000,5000000
  jmh query-baselines-20m "$Q.(lucene|onHeap)$" -prof gc -p size=20000000 -p modality=OFFICE -p mt=none \
      -p window=4h,48h
  jmh concurrent 'fr.creneau.bench.ConcurrentIngestBenchmark' -prof gc
  jmh ingest '^fr.creneau.bench.IngestBenchmark' -prof gc
  MEM=(--sizes=1000000,5000000,20000000 --baselines=1000000,5000000,20000000)
fi

MEMCMD=(java -Xmx14g -XX:MaxDirectMemorySize=3g -cp "$JAR" fr.creneau.bench.MemoryReport "${MEM[@]}" "--out=$OUT/memory.json")
echo "${MEMCMD[*]}" >> "$OUT/commands.txt"
"${MEMCMD[@]}" > "$OUT/memory.log" 2>&1
echo "done: memory"
echo "load-after: $(uptime)" >> "$OUT/meta.txt"
python3 bench/summarise.py "$OUT" > "$OUT/summary.md"
echo "results in $OUT (summary: $OUT/summary.md)"
