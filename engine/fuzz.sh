#!/usr/bin/env bash
# Fuzzes one Jazzer target of the engine for N minutes (README, "Fuzzing"):
#
#   engine/fuzz.sh FeedFuzzTest#vendorFeed 10      # 10 minutes; default 5
#
# Targets: FeedFuzzTest#vendorFeed, #manualFile, #fhirBundle, #directory, #appointment; JournalScanFuzzTest#journal.
# New coverage goes to engine/.cifuzz-corpus/ (not committed); a crash is written as crash-SHA1
# into the target's committed corpus, src/test/resources/fr/creneau/<package>/<Class>Inputs/<target>/,
# where `mvn test` replays it from then on. Extra arguments go to Maven (e.g. -Dfuzz.heap=-Xmx128m).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
  sed -n '2,9p' "$0" >&2
  exit 2
fi
target=$1
minutes=${2:-5}
shift $(( $# >= 2 ? 2 : 1 ))
# jazzer.internal.arg.N are the libFuzzer arguments Jazzer's JUnit integration passes on (arg.0 is
# argv[0]); this -max_total_time overrides the @FuzzTest's maxDuration, and -timeout (seconds per
# input: no hang) replaces the JUnit timeout of regression mode, which would stop the whole run.
JAZZER_FUZZ=1 exec mvn -B -pl engine test -Dtest="$target" \
  -Dfuzz.junit="junit.jupiter.execution.timeout.mode = disabled" \
  -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time=$(( minutes * 60 )) \
  -Djazzer.internal.arg.2=-timeout=10 "$@"
