#!/usr/bin/env bash
# The JMH runs of this directory, in order. Run from the repository root after
# mvn -B -q -pl bench -am -Dmaven.test.skip=true package (the data sets are cached in bench/target/bench-data).
set -euo pipefail
D=bench/results/twenty-byte-records
J=bench/target/benchmarks.jar
uptime > $D/meta.txt
java -jar $J 'fr.creneau.bench.RegulatorQueryBenchmark.creneau$' -wi 3 -w 2s -i 3 -r 2s -f 1 -prof gc \
  -p size=1000000,5000000 -p place=PARIS,TOWN,RURAL,OVERSEAS -p modality=OFFICE -p mt=none -p window=48h -rf json -rff $D/query.json > $D/query.log 2>&1
uptime >> $D/meta.txt
java -jar $J 'fr.creneau.bench.RegulatorQueryBenchmark.(lucene|onHeap)$' -wi 3 -w 2s -i 3 -r 2s -f 1 -prof gc \
  -p size=1000000 -p place=PARIS,RURAL -p modality=OFFICE -p mt=none -p window=48h -rf json -rff $D/baselines-1m.json > $D/baselines-1m.log 2>&1
uptime >> $D/meta.txt
java -jar $J 'fr.creneau.bench.RegulatorQueryBenchmark.creneau$' -wi 3 -w 2s -i 3 -r 2s -f 1 -prof gc \
  -p size=20000000 -p place=PARIS,RURAL -p modality=OFFICE -p mt=none -p window=48h -rf json -rff $D/query-20m.json > $D/query-20m.log 2>&1
uptime >> $D/meta.txt
java -jar $J 'fr.creneau.bench.IngestBenchmark.reload' -p size=1000000,5000000,20000000 -rf json -rff $D/ingest.json > $D/ingest.log 2>&1
uptime >> $D/meta.txt
java -jar $J fr.creneau.bench.ConcurrentIngestBenchmark -wi 3 -w 2s -i 3 -r 2s -f 1 -prof gc \
  -p size=1000000 -p place=PARIS -rf json -rff $D/concurrent.json > $D/concurrent.log 2>&1
uptime >> $D/meta.txt
java -jar $J 'fr.creneau.bench.IngestBenchmark.applySnapshot' -rf json -rff $D/apply.json > $D/apply.log 2>&1
uptime >> $D/meta.txt
java -jar $J 'fr.creneau.bench.IngestBenchmark.parseAndApply' -rf json -rff $D/parse-apply.json > $D/parse-apply.log 2>&1
uptime >> $D/meta.txt
