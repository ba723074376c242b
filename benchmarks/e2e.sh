#!/usr/bin/env bash
# The end-to-end load benchmark of the packaged sample application on loopback (not part of `mvn verify`): packages
# sample-app and benchmarks, then runs dev.breaker.benchmarks.load.StorefrontLoad (GET /products/1 from a closed loop
# of clients, each phase bounded in requests and time) against the storefront twice, each time started on a free
# port and stopped after:
#   1. with the starter: healthy; outage (the inventory service answers past the 2 s read timeout, measured once the
#      inventory breaker is OPEN); recovery (chaos off, time until every breaker is CLOSED);
#   2. with --breaker.enabled=false: healthy; outage.
# Writes a Markdown section to E2E_OUT (default benchmarks/target/e2e.md) and prints it. About 3-4 minutes.
#
# Environment:
#   CLIENTS            concurrent clients (default 8)
#   REQUESTS           most requests per phase (default 20000)
#   DURATION           longest a phase sends new requests (default 15s)
#   OUTAGE_LATENCY_MS  the inventory service's latency during the outage (default 3000: past the 2 s read timeout)
#   E2E_OUT            where to write the section (default benchmarks/target/e2e.md)
#   SKIP_BUILD=1       use the jars already built
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
clients="${CLIENTS:-8}"
requests="${REQUESTS:-20000}"
duration="${DURATION:-15s}"
outage_latency_ms="${OUTAGE_LATENCY_MS:-3000}"
e2e_out="${E2E_OUT:-benchmarks/target/e2e.md}"
password="e2e-$$"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q -pl sample-app,benchmarks -am package -DskipTests
fi

# Private copies: a build running alongside may rewrite target/.
work="$(mktemp -d "${TMPDIR:-/tmp}/breaker-e2e.XXXXXX")"
cp sample-app/target/sample-app.jar "$work/sample-app.jar"
cp benchmarks/target/benchmarks.jar "$work/benchmarks.jar"
app_jar="$work/sample-app.jar"
load_jar="$work/benchmarks.jar"
source benchmarks/storefront.sh
trap 'stop_app; rm -rf "$work"' EXIT

results="$work/e2e.tsv"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started=$(date +%s)
run() {
  local label="$1" recovery="$2"
  shift 2
  start_app "$@"
  java -cp "$load_jar" dev.breaker.benchmarks.load.StorefrontLoad --base-url "http://127.0.0.1:$port" \
    --admin-password "$password" --label "$label" --clients "$clients" --requests "$requests" \
    --duration "$duration" --outage-latency-ms "$outage_latency_ms" --recovery "$recovery" --results "$results"
  stop_app
}
run starter true
run breaker.enabled=false false --breaker.enabled=false

mkdir -p "$(dirname "$e2e_out")"
{
  echo "## End to end: the packaged sample app on loopback"
  echo
  echo "GET /products/1 of the storefront (two protected calls, inventory with a fallback and pricing, to the"
  echo "simulated downstreams of the same application), $clients clients in a closed loop, each phase at most"
  echo "$requests requests or $duration; the outage makes the inventory service answer after ${outage_latency_ms} ms."
  echo "Command: \`benchmarks/e2e.sh\` (CLIENTS=$clients REQUESTS=$requests DURATION=$duration" \
    "OUTAGE_LATENCY_MS=$outage_latency_ms); about $(( ($(date +%s) - started + 59) / 60 )) min; load average" \
    "before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  java -cp "$load_jar" dev.breaker.benchmarks.load.StorefrontLoad --summarize "$results"
} > "$e2e_out"
cat "$e2e_out"
