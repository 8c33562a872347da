#!/usr/bin/env bash
# scripts/browser/install.sh
#
# What the status page's browser test needs: Debian's chromium (/usr/bin/chromium; installed with apt-get when
# missing, which needs root) and playwright-core at the version pinned in package-lock.json (`npm ci` into
# scripts/browser/node_modules, git-ignored). Playwright never downloads a browser of its own here. Idempotent and
# quick when both are present; prints the chromium path on its last line.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { echo "browser: $*" >&2; }

CHROMIUM="${LETSDATA_CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x $CHROMIUM ]]; then
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
    log "$CHROMIUM not found: install Debian's chromium (apt-get install chromium) or set LETSDATA_CHROMIUM"
    exit 1
  fi
  # One installer at a time; re-check after getting the lock.
  exec 8>/tmp/letsdata-chromium-install.lock
  flock -w 600 8 || { log "timed out waiting for another chromium install"; exit 1; }
  if [[ ! -x $CHROMIUM ]]; then
    log "installing chromium with apt-get"
    apt-get update -qq >&2 || log "apt-get update failed; trying the package lists there are"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2
  fi
fi

stamp="$HERE/node_modules/.letsdata-lock-sha256"
want="$(sha256sum "$HERE/package-lock.json" | cut -d' ' -f1)"
if [[ ! -f $stamp || "$(cat "$stamp")" != "$want" ]]; then
  exec 9>/tmp/letsdata-browser-npm.lock
  flock -w 300 9 || { log "timed out waiting for another npm ci"; exit 1; }
  if [[ ! -f $stamp || "$(cat "$stamp")" != "$want" ]]; then
    log "installing playwright-core (npm ci)"
    (cd "$HERE" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error >&2)
    echo "$want" > "$stamp"
  fi
fi

echo "$CHROMIUM"
