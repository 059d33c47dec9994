#!/usr/bin/env bash
# Runs the jcstress tests of the index: ./stress/run.sh [mode] [extra jcstress options...]
# mode: sanity (CI, ~40 s), quick (~2 min), default (~15 min), tough, stress. Builds the jar first if
# missing. Fails (exit 1) when any outcome is FORBIDDEN or a test errors, whatever jcstress's own
# exit status; the HTML report goes to stress/target/jcstress-<mode>/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode="${1:-quick}"
shift || true
jar="$root/stress/target/jcstress.jar"
if [ ! -f "$jar" ]; then
  (cd "$root" && mvn -B -q -pl stress -am package -DskipTests)
fi
out="$root/stress/target/jcstress-$mode"
mkdir -p "$out"
log="$out/run.log"
# jcstress writes its binary result file into the working directory.
(cd "$out" && java -jar "$jar" -m "$mode" -t 'fr\.creneau\.stress\.' -r "$out" "$@") >"$log" 2>&1 || true
grep -E 'Results: [0-9]+ planned' "$log" | tail -n 1 || true
if grep -q 'Failed tests: No matches' "$log" && grep -q 'Error tests: No matches' "$log" \
   && grep -Eq 'All remaining tests: [1-9][0-9]* matching' "$log"; then
  echo "jcstress ($mode): every outcome acceptable"
else
  sed -n '/RUN RESULTS/,$p' "$log" >&2
  echo "jcstress ($mode): FORBIDDEN outcome or error, see $out/index.html" >&2
  exit 1
fi
