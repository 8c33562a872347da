#!/bin/bash
# usage: bench/compare/throughput.sh N WARC_FILE WORKER... — TargetUriExtractor over WARC_FILE (one task, output to a
# temporary folder), the workers alternating (alternate.sh).
N=$1; FILE=$(realpath "$2"); shift 2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
D=$(mktemp -d /tmp/letsdata-throughput.XXXXXX)
python3 - "$ROOT/datasets/target-uris.json" "$FILE" "$D" <<'PY'
import json, sys, os
template, warc, folder = sys.argv[1:4]
c = json.load(open(template))
c['readConnector']['rootPath'] = os.path.dirname(warc)
c['manifestFile']['fileContents'] = os.path.basename(warc)
c['writeConnector']['outputPath'] = os.path.join(folder, 'out', 'documents')
c['errorConnector']['outputPath'] = os.path.join(folder, 'out', 'errors')
json.dump(c, open(os.path.join(folder, 'dataset.json'), 'w'))
PY
"$ROOT/bench/compare/alternate.sh" "$N" "$D/dataset.json" "$@"
rm -rf "$D"
