#!/usr/bin/env bash
# The query benchmark after the issue-12 fixes (queries announce an epoch: one volatile store and
# one re-read per query; windows clamped to the live hours), to compare with ../twenty-byte-records.
# Run from the repository root after mvn -B -q -pl bench -am -Dmaven.test.skip=true package.
set -euo pipefail
D=bench/results/after-defects
J=bench/target/benchmarks.jar
uptime > $D/meta.txt
java -version 2>> $D/meta.txt
java -jar $J 'fr.creneau.bench.RegulatorQueryBenchmark.creneau$' -wi 3 -w 2s -i 3 -r 2s -f 1 -prof gc \
  -p size=1000000 -p place=PARIS,TOWN,RURAL,OVERSEAS -p modality=OFFICE -p mt=none -p window=48h -rf json -rff $D/query.json > $D/query.log 2>&1
uptime >> $D/meta.txt
