#!/bin/bash
# usage: bench/compare/throughput.sh N WARC_FILE WORKER...
# -- whole-process letsdata run of TargetUriExtractor over FILE (one task), interleaved; wall and cpu
N=$1; FILE=$(realpath "$2"); shift 2
cd "$(dirname "$0")/../.."
D=/tmp/tput; rm -rf $D; mkdir -p $D
python3 - "$FILE" <<'PY'
import json, sys, os
f = sys.argv[1]
c = json.load(open('datasets/target-uris.json'))
c['readConnector']['rootPath'] = os.path.dirname(os.path.abspath(f))
c['manifestFile']['fileContents'] = os.path.basename(f)
c['writeConnector']['outputPath'] = '/tmp/tput/out/documents'
c['errorConnector']['outputPath'] = '/tmp/tput/out/errors'
json.dump(c, open('/tmp/tput/dataset.json', 'w'))
PY
for exe in "$@"; do $exe run --dataset $D/dataset.json --plugins plugins --state $D/state-$(echo $exe | md5sum | cut -c1-6) --rerun-completed >/dev/null 2>&1; done
for i in $(seq $N); do
  for exe in "$@"; do
    /usr/bin/time -f "%e %U %S" -o $D/t $exe run --dataset $D/dataset.json --plugins plugins --state $D/state-$(echo $exe | md5sum | cut -c1-6) --rerun-completed >/dev/null 2>$D/err || { echo FAIL $exe; tail -3 $D/err; }
    echo "$exe $(cat $D/t)"
  done
done | python3 -c '
import sys, statistics
w={}; c={}
for line in sys.stdin:
    p=line.split()
    if p[0]=="FAIL": print(line.strip()); continue
    w.setdefault(p[0],[]).append(float(p[1])); c.setdefault(p[0],[]).append(float(p[2])+float(p[3]))
for k in w: print(f"{k}: wall best {min(w[k]):.3f} median {statistics.median(w[k]):.3f} {[round(x,2) for x in w[k]]}  cpu best {min(c[k]):.2f}")
'
