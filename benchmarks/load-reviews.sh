#!/usr/bin/env bash
# The issue's slow-reviews scenario under load, with and without the reviews breaker's timeout: packages the sample
# application and benchmarks/target/benchmarks.jar, then for each run starts the packaged storefront on a free
# loopback port, warms it up, makes the reviews service answer in LATENCY_MS, sends GET /products/1/reviews from
# a closed loop of clients until REQUESTS were sent or DURATION passed (dev.breaker.benchmarks.load.ReviewsLoad),
# and stops the storefront. Prints one Markdown table; not part of `mvn verify`. About 5 minutes.
#
# Environment:
#   CLIENTS      client counts to run, space-separated (default "100 200")
#   REQUESTS     most requests per run (default 20000)
#   DURATION     longest a run sends new requests, as 60s (default 60s); requests in flight then finish
#   LATENCY_MS   how long the reviews service takes to answer (default 1500)
#   SKIP_BUILD=1 use the jars already built
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
clients="${CLIENTS:-100 200}"
requests="${REQUESTS:-20000}"
duration="${DURATION:-60s}"
latency_ms="${LATENCY_MS:-1500}"
password="load-test-$$"
app_jar=sample-app/target/sample-app.jar
load_jar=benchmarks/target/benchmarks.jar

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q -pl sample-app,benchmarks -am package -DskipTests
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/breaker-load.XXXXXX")"
source benchmarks/storefront.sh
trap 'stop_app; rm -rf "$work"' EXIT

java -cp "$load_jar" dev.breaker.benchmarks.load.ReviewsLoad --header true
for timeout in 0 1s; do
  label="$([[ "$timeout" == 0 ]] && echo "no timeout" || echo "timeout $timeout")"
  for n in $clients; do
    start_app "--breaker.instances.reviews.timeout=$timeout"
    java -cp "$load_jar" dev.breaker.benchmarks.load.ReviewsLoad --base-url "http://127.0.0.1:$port" \
      --admin-password "$password" --clients "$n" --requests "$requests" --duration "$duration" \
      --latency-ms "$latency_ms" --label "$label"
    stop_app
  done
done
echo
echo "Reviews service latency ${latency_ms} ms; at most ${requests} requests or ${duration} per run;" \
  "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
