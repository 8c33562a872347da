#!/bin/bash
# usage: bench/compare/alternate.sh N DATASET WORKER...
# `letsdata run --dataset DATASET` of each WORKER (a letsdata executable: this build, an older one), one warm-up launch
# each, then N launches each, the workers alternating launch by launch; prints per worker the wall times (median, best)
# and the CPU time of all its processes (/usr/bin/time counts the children), median.
N=$1; DATASET=$(realpath "$2"); shift 2
cd "$(dirname "$0")/../.."
D=$(mktemp -d /tmp/letsdata-compare.XXXXXX)
state() { echo "$D/state-$(echo "$1" | md5sum | cut -c1-8)"; }
for worker in "$@"; do "$worker" run --dataset "$DATASET" --plugins plugins --state "$(state "$worker")" --rerun-completed >/dev/null 2>&1; done
for i in $(seq "$N"); do
  for worker in "$@"; do
    # Wall time from the clock in nanoseconds (time's %e has 10 ms steps); CPU time from time (it counts the children).
    started=$(date +%s%N)
    /usr/bin/time -f "%U %S" -o "$D/time" "$worker" run --dataset "$DATASET" --plugins plugins --state "$(state "$worker")" --rerun-completed >/dev/null 2>"$D/err" \
      || { echo "FAIL $worker"; tail -3 "$D/err"; }
    echo "$worker $(( ($(date +%s%N) - started) / 1000 )) $(cat "$D/time")"
  done
done | python3 -c '
import sys, statistics
wall, cpu = {}, {}
for line in sys.stdin:
    p = line.split()
    if p[0] == "FAIL": print(line.strip()); continue
    wall.setdefault(p[0], []).append(int(p[1]) / 1e6); cpu.setdefault(p[0], []).append(float(p[2]) + float(p[3]))
for k in wall:
    print(f"{k}: wall median {statistics.median(wall[k]):.3f} best {min(wall[k]):.3f} {[round(x, 3) for x in wall[k]]}  cpu median {statistics.median(cpu[k]):.2f}")
'
rm -rf "$D"
