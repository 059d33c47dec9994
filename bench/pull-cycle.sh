#!/usr/bin/env bash
# One live-pull cycle against local vendor simulators (fr.creneau.bench.PullCycle): one département
# (Bouches-du-Rhône, full size) and the France data set. Writes bench/results/pull-cycle/.
# Run from the repository root. About 1 minute of CPU for the département, 3-5 for France.
#   ./bench/pull-cycle.sh            # both
#   ./bench/pull-cycle.sh dept       # the département only
set -euo pipefail
D=bench/results/pull-cycle
J=bench/target/benchmarks.jar
mkdir -p "$D"
[ -f "$J" ] || mvn -B -q -pl bench -am -Dmaven.test.skip=true package
{ date -u; uname -srm; nproc; grep -m1 'model name' /proc/cpuinfo || true; uptime; java -version 2>&1; } > "$D/meta.txt"
java -Xmx2g -cp "$J" fr.creneau.bench.PullCycle --scale=departement --departements=13 --out="$D/departement-13.json" \
  2>&1 | tee "$D/departement-13.log"
if [ "${1:-all}" != dept ]; then
  java -Xmx4g -cp "$J" fr.creneau.bench.PullCycle --scale=france --out="$D/france.json" 2>&1 | tee "$D/france.log"
fi
uptime >> "$D/meta.txt"
