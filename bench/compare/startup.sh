#!/bin/bash
# usage: bench/compare/startup.sh N WORKER... — start-up: datasets/target-uris.json (one record; its smoke run
# remembered after the warm-up launch), the workers alternating (alternate.sh).
N=$1; shift
exec "$(dirname "$0")/alternate.sh" "$N" "$(dirname "$0")/../../datasets/target-uris.json" "$@"
