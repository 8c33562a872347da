#!/usr/bin/env bash
# scripts/emulators.sh start|stop|status|install
#
# AWS-compatible emulators for the tests, on 127.0.0.1 only: S3 (s3rver), Kinesis (kinesalite), DynamoDB (dynalite,
# with DynamoDB Streams on a second port from scripts/emulators/dynalite-streams.js), installed at the versions pinned in
# scripts/emulators/package-lock.json (`npm ci`, into scripts/emulators/node_modules, git-ignored), and SQS
# (scripts/emulators/sqs-local.js, our own, Node standard library only), and a SageMaker Runtime model server
# (scripts/emulators/sagemaker-local.js, our own: a deterministic feature-hashing embedding). `start` picks free ports, waits until every
# emulator accepts connections and writes $EMU_DIR/env:
#   export AWS_ENDPOINT_URL_S3=... AWS_ENDPOINT_URL_KINESIS=... AWS_ENDPOINT_URL_DYNAMODB=...
#   export AWS_ENDPOINT_URL_DYNAMODB_STREAMS=... AWS_ENDPOINT_URL_SQS=... AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME=...
#   export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 ...
# `source "$EMU_DIR/env"` makes the AWS SDK (and our clients) use them. `stop` ends them (pid files) and is idempotent.
#
# Settings (environment):
#   EMU_DIR          state folder: pid files, logs, S3 data, env file (default: <repo>/.emulators)
#   EMU_S3_BUCKETS   buckets to create at start, space-separated (default: none)
#   EMU_OWNER_PID    stop the emulators when this process ends (the test host that started them)
#   EMU_START_TIMEOUT seconds to wait for each emulator (default 60)
#   EMU_DDB_STREAM_SHARD_RECORDS close a DynamoDB stream shard after this many records and open a child (default: never)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
PKG="$HERE/emulators"
EMU_DIR="${EMU_DIR:-$REPO/.emulators}"
NAMES=(s3rver kinesalite dynalite sqs sagemaker)

log() { echo "emulators: $*" >&2; }

install_packages() {
  command -v node >/dev/null || { log "node not found (Node.js 20+ is needed)"; return 1; }
  command -v npm >/dev/null || { log "npm not found"; return 1; }
  local stamp="$PKG/node_modules/.letsdata-lock-sha256" want
  want="$(sha256sum "$PKG/package-lock.json" | cut -d' ' -f1)"
  [[ -f $stamp && "$(cat "$stamp")" == "$want" ]] && return 0
  # One installer at a time (tests and CI may start emulators concurrently); re-check after getting the lock.
  mkdir -p "$REPO/.emulators"
  exec 9>"$REPO/.emulators/npm-install.lock"
  flock -w 300 9 || { log "timed out waiting for another npm ci"; return 1; }
  if [[ ! -f $stamp || "$(cat "$stamp")" != "$want" ]]; then
    log "npm ci (pinned s3rver, kinesalite, dynalite)"
    # --ignore-scripts: nothing needs building; leveldown/classic-level load N-API prebuilds at run time.
    npm ci --prefix "$PKG" --ignore-scripts --no-audit --no-fund --loglevel=error >&2
    echo "$want" >"$stamp"
  fi
  exec 9>&-
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

pid_of() { [[ -f "$EMU_DIR/$1.pid" ]] && cat "$EMU_DIR/$1.pid"; }
alive() { local pid; pid="$(pid_of "$1")" && [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; }

wait_ready() { # name port
  local name=$1 port=$2 pid deadline=$((SECONDS + ${EMU_START_TIMEOUT:-60}))
  pid="$(pid_of "$name")"
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$name exited before listening on 127.0.0.1:$port; its log:"
      cat "$EMU_DIR/$name.log" >&2 || true
      return 1
    fi
    if ((SECONDS >= deadline)); then
      log "$name is not listening on 127.0.0.1:$port after ${EMU_START_TIMEOUT:-60} s"
      return 1
    fi
    sleep 0.1
  done
}

launch() { # name command... (detached, own log, pid file)
  local name=$1
  shift
  nohup "$@" </dev/null >"$EMU_DIR/$name.log" 2>&1 &
  echo $! >"$EMU_DIR/$name.pid"
}

start() {
  if alive s3rver && alive kinesalite && alive dynalite && alive sqs && alive sagemaker && [[ -f "$EMU_DIR/env" ]]; then
    log "already running; source $EMU_DIR/env"
    return 0
  fi
  install_packages
  mkdir -p "$EMU_DIR"
  stop >/dev/null 2>&1 || true
  rm -f "$EMU_DIR/env"
  local s3_port kinesis_port dynamodb_port streams_port sqs_port sagemaker_port bucket
  s3_port="$(free_port)" kinesis_port="$(free_port)" dynamodb_port="$(free_port)" streams_port="$(free_port)" sqs_port="$(free_port)"
  sagemaker_port="$(free_port)"
  local -a bucket_args=()
  for bucket in ${EMU_S3_BUCKETS:-}; do bucket_args+=(--bucket "$bucket"); done
  rm -rf "$EMU_DIR/s3data" && mkdir -p "$EMU_DIR/s3data"

  launch s3rver node --openssl-legacy-provider "$PKG/s3rver-local.js" --directory "$EMU_DIR/s3data" \
    --port "$s3_port" --silent "${bucket_args[@]}"
  # local-emulator.js: bound to 127.0.0.1, and alive when a client dies mid-request (see the script)
  launch kinesalite node "$PKG/local-emulator.js" kinesalite --port "$kinesis_port" \
    --createStreamMs 0 --deleteStreamMs 0 --updateStreamMs 0 --shardLimit 100
  launch dynalite node "$PKG/local-emulator.js" dynalite --port "$dynamodb_port" \
    --createTableMs 0 --deleteTableMs 0 --updateTableMs 0 --streamsPort "$streams_port"
  launch sqs node "$PKG/sqs-local.js" --port "$sqs_port"
  launch sagemaker node "$PKG/sagemaker-local.js" --port "$sagemaker_port"

  if ! { wait_ready s3rver "$s3_port" && wait_ready kinesalite "$kinesis_port" && wait_ready dynalite "$dynamodb_port" &&
    wait_ready dynalite "$streams_port" && wait_ready sqs "$sqs_port" && wait_ready sagemaker "$sagemaker_port"; }; then
    stop >/dev/null 2>&1 || true
    return 1
  fi

  if [[ -n ${EMU_OWNER_PID:-} ]]; then
    # Watchdog: a test host that dies without its teardown must not leave emulators behind.
    nohup bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 2; done; EMU_DIR="$2" "$3" stop' _ \
      "$EMU_OWNER_PID" "$EMU_DIR" "$HERE/emulators.sh" </dev/null >"$EMU_DIR/watchdog.log" 2>&1 &
    echo $! >"$EMU_DIR/watchdog.pid"
  fi

  # s3rver accepts only the access key id S3RVER; the others accept any. None checks signatures.
  cat >"$EMU_DIR/env.tmp" <<ENV
export AWS_ENDPOINT_URL_S3=http://127.0.0.1:$s3_port
export AWS_ENDPOINT_URL_KINESIS=http://127.0.0.1:$kinesis_port
export AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:$dynamodb_port
export AWS_ENDPOINT_URL_DYNAMODB_STREAMS=http://127.0.0.1:$streams_port
export AWS_ENDPOINT_URL_SQS=http://127.0.0.1:$sqs_port
export AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME=http://127.0.0.1:$sagemaker_port
export AWS_ACCESS_KEY_ID=S3RVER
export AWS_SECRET_ACCESS_KEY=S3RVER
export AWS_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true
export LETSDATA_S3_FORCE_PATH_STYLE=true
ENV
  mv "$EMU_DIR/env.tmp" "$EMU_DIR/env"
  log "ready: S3 127.0.0.1:$s3_port, Kinesis 127.0.0.1:$kinesis_port, DynamoDB 127.0.0.1:$dynamodb_port" \
    "(Streams 127.0.0.1:$streams_port), SQS 127.0.0.1:$sqs_port, SageMaker 127.0.0.1:$sagemaker_port; source $EMU_DIR/env"
}

stop() {
  local name pid
  local -A stopping=()
  for name in "${NAMES[@]}" watchdog; do
    pid="$(pid_of "$name" || true)"
    rm -f "$EMU_DIR/$name.pid"
    [[ -n $pid ]] || continue
    [[ $name == watchdog && ($pid == "$$" || $pid == "$PPID") ]] && continue # the watchdog itself is stopping us
    if kill "$pid" 2>/dev/null; then
      stopping[$name]=$pid
    elif [[ $name != watchdog ]]; then
      # Died during the run: every test after that saw "connection refused"; its log says why.
      log "$name (pid $pid) had already exited; the end of its log:"
      tail -n 30 "$EMU_DIR/$name.log" >&2 2>/dev/null || true
    fi
  done
  for name in "${!stopping[@]}"; do
    pid=${stopping[$name]}
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    [[ $name == watchdog ]] || log "stopped $name (pid $pid)"
  done
  rm -f "$EMU_DIR/env"
}

status() {
  local name rc=0
  for name in "${NAMES[@]}"; do
    if alive "$name"; then echo "$name: running (pid $(pid_of "$name"))"; else echo "$name: stopped"; rc=3; fi
  done
  [[ -f "$EMU_DIR/env" ]] && echo "env: $EMU_DIR/env"
  return $rc
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  install) install_packages ;;
  *) echo "usage: $0 start|stop|status|install" >&2; exit 2 ;;
esac
