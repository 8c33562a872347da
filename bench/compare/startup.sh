#!/bin/bash
# usage: bench/compare/startup.sh N WORKER... (each a letsdata executable, e.g. artifacts/letsdata/letsdata and an older build)
# -- interleaved launches of target-uris.json (smoke run remembered), wall and cpu per launch, medians
N=$1; shift
cd "$(dirname "$0")/../.."
S=/tmp/startup-cmp; rm -rf $S; mkdir -p $S
for exe in "$@"; do $exe run --dataset datasets/target-uris.json --plugins plugins --state $S/state-$(echo $exe | md5sum | cut -c1-6) --rerun-completed >/dev/null 2>&1; done
for i in $(seq $N); do
  for exe in "$@"; do
    /usr/bin/time -f "%e %U %S" -o $S/t $exe run --dataset datasets/target-uris.json --plugins plugins --state $S/state-$(echo $exe | md5sum | cut -c1-6) --rerun-completed >/dev/null 2>$S/err || { echo FAIL $exe; tail -5 $S/err; }
    echo "$exe $(cat $S/t)"
  done
done | python3 -c '
import sys, statistics
w={}; c={}
for line in sys.stdin:
    p=line.split()
    if p[0]=="FAIL": print(line.strip()); continue
    w.setdefault(p[0],[]).append(float(p[1])); c.setdefault(p[0],[]).append(float(p[2])+float(p[3]))
for k in w: print(f"{k}: wall median {statistics.median(w[k]):.3f} min {min(w[k]):.3f} {[round(x,2) for x in w[k]]}  cpu median {statistics.median(c[k]):.2f}")
'
