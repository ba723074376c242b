#!/usr/bin/env bash
# Builds benchmarks/target/benchmarks.jar and the sample app, runs the JMH benchmarks on 1 thread (all of them, the
# annotated paths in Spring contexts included) and on 2 threads sharing one breaker (the closed count- and
# time-window paths and the rejection path), with -prof gc, measures the footprint (and the heap of 1,000,000
# breakers in a JVM of its own), runs the end-to-end load of the sample app (benchmarks/e2e.sh), and writes
# benchmarks/target/BENCHMARKS.md with the targets marked met or missed (with the JSON results, logs and footprint
# figures beside it). About 50 minutes on 2 cores; best on an otherwise idle machine: the report records the load
# average.
#
# Environment:
#   JMH_ARGS       extra JMH options for both runs, e.g. "-wi 2 -i 2" for a quick look (default: none; the
#                  iteration counts come from the annotations: 8 x 1 s warm-up, 5 x 1 s measurement, 1 fork;
#                  for AnnotatedSuccess and AnnotatedRejection, whose Spring paths settle later, 15 x 1 s warm-up
#                  and 10 x 1 s measurement, and 3 forks for the AnnotatedSuccess paths compared with each other,
#                  which are a few nanoseconds apart if at all; -wi, -i and -f here override these too)
#   ONE_THREAD     JMH include pattern for the 1-thread run (default: every benchmark)
#   TWO_THREADS    JMH include pattern for the 2-thread run (default below; empty to skip the run). It runs the
#                  failure benchmarks at 10 and 30 % only (-p failurePercent=10,30): two threads sharing a count
#                  window of 100 can put 50 failures in it at 49 %, which opens it
#   E2E=0          skip the end-to-end load benchmark of the packaged sample app (benchmarks/e2e.sh, about 4 min),
#                  whose table is appended to the report
#   EXCLUDE        JMH exclude pattern for both runs (default: Diagnostics, the pieces measured apart)
#   SKIP_BUILD=1   use the jar already built
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out=benchmarks/target
built="$out/benchmarks.jar"
one_thread="${ONE_THREAD:-.*}"
two_threads="${TWO_THREADS-Baseline.bareCall|ClosedSuccessCountWindow|ClosedSuccessTimeWindow|ClosedFailuresCountWindow|ClosedFailuresTimeWindow|OpenRejection.reject}"
exclude="${EXCLUDE-Diagnostics}"
jmh_args=(${exclude:+-e "$exclude"} -prof gc -foe true ${JMH_ARGS:-})

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q -pl benchmarks,sample-app -am package -DskipTests
fi

# Run a private copy, and write the results beside it: a build running alongside (mvn verify or clean of the
# whole project) rewrites or deletes target/, and forks started after that would load other classes than the
# ones measured so far. Whatever was written is copied to benchmarks/target/ at the end, even after a failure.
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/breaker-benchmarks.XXXXXX")"
trap 'mkdir -p "$out" && find "$run_dir" -type f ! -name benchmarks.jar -exec cp {} "$out/" \; ; rm -rf "$run_dir"' EXIT
jar="$run_dir/benchmarks.jar"
cp "$built" "$jar"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ -n "$(git status --porcelain -- breaker-core/src/main benchmarks 2>/dev/null)" ]]; then
  commit="$commit, with uncommitted changes to breaker-core/src/main or benchmarks/"
fi

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started=$(date +%s)
results=()

java -jar "$jar" "$one_thread" -t 1 "${jmh_args[@]}" -rf json -rff "$run_dir/jmh-1-thread.json" \
  | tee "$run_dir/jmh-1-thread.log"
results+=("$run_dir/jmh-1-thread.json")

if [[ -n "$two_threads" ]]; then
  java -jar "$jar" "$two_threads" -t 2 -p failurePercent=10,30 "${jmh_args[@]}" -rf json \
    -rff "$run_dir/jmh-2-threads.json" \
    | tee "$run_dir/jmh-2-threads.log"
  results+=("$run_dir/jmh-2-threads.json")
fi

java -Djdk.attach.allowAttachSelf=true -cp "$jar" dev.breaker.benchmarks.Footprint "$run_dir/footprint.tsv" \
  2> "$run_dir/footprint.log"

# The cluster's figures (breaker-redis): OPEN propagation across instances, Redis load per instance. Needs redis-server.
java -cp "$jar" dev.breaker.benchmarks.ClusterFigures 300 10 "$run_dir/cluster-figures.md" \
  > "$run_dir/cluster-figures.log" 2>&1

# The packaged sample app under load on loopback: the starter's added latency, an outage, the recovery.
if [[ "${E2E:-1}" != 0 ]]; then
  SKIP_BUILD=1 E2E_OUT="$run_dir/e2e.md" benchmarks/e2e.sh > "$run_dir/e2e.log" 2>&1 \
    || echo "run.sh: the end-to-end benchmark failed, see $out/e2e.log" >&2
fi

load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
command="benchmarks/run.sh${JMH_ARGS:+ (JMH_ARGS=\"$JMH_ARGS\")}: java -jar benchmarks.jar '$one_thread' -t 1 ${jmh_args[*]}"
if [[ -n "$two_threads" ]]; then
  command="$command; java -jar benchmarks.jar '$two_threads' -t 2 -p failurePercent=10,30 ${jmh_args[*]}"
fi
minutes=$(( ($(date +%s) - started + 59) / 60 ))
java -cp "$jar" dev.breaker.benchmarks.report.ReportWriter \
  --out "$run_dir/BENCHMARKS.md" \
  --footprint "$run_dir/footprint.tsv" \
  --command "$command" \
  --note "Code: commit $commit; benchmarks.jar is a copy of $built taken after the build" \
  --note "Run time: about $minutes min. Load average (1, 5, 15 min) before: $load_before; after: $load_after" \
  --append "$run_dir/cluster-figures.md" \
  --append "$run_dir/e2e.md" \
  "${results[@]}"
echo "Report: $out/BENCHMARKS.md"
