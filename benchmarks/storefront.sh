# Sourced by the load scripts (load-reviews.sh, e2e.sh): starts and stops the packaged storefront on a free loopback
# port. Expects app_jar, password and work to be set; sets app_pid and port.
app_pid=""

stop_app() {
  if [[ -n "$app_pid" ]] && kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid"
    wait "$app_pid" 2>/dev/null || true
  fi
  app_pid=""
}

# Starts the storefront with the given extra arguments and waits (at most 60 s) until Tomcat listens.
start_app() {
  local log="$work/app.log"
  : > "$log"
  BREAKER_ADMIN_PASSWORD="$password" java -jar "$app_jar" --server.port=0 \
    --logging.level.dev.breaker=WARN "$@" > "$log" 2>&1 &
  app_pid=$!
  port=""
  for _ in $(seq 1 600); do
    port="$(sed -n 's/.*Tomcat started on port \([0-9]*\).*/\1/p' "$log" | head -n 1)"
    if [[ -n "$port" ]]; then
      return 0
    fi
    if ! kill -0 "$app_pid" 2>/dev/null; then
      cat "$log" >&2
      echo "$(basename "$0"): the storefront exited" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "$(basename "$0"): the storefront did not start within 60 s" >&2
  exit 1
}
