#!/usr/bin/env bash
# Entry point for every build step: ./build.sh [--target=Build|Publish|Run|Test|Bench|Clean] [--configuration=Release]
# Restores the pinned Cake tool (.config/dotnet-tools.json) and runs build.cake with the given arguments.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_GENERATE_ASPNET_CERTIFICATE=false
# Reuse the compiled build.cake between runs (tools/cache/, git-ignored; keyed on the script's content).
export CAKE_SETTINGS_ENABLESCRIPTCACHE="${CAKE_SETTINGS_ENABLESCRIPTCACHE:-true}"
# Plain text when the output goes to a file or a pipe (CI logs): no ANSI colour codes around lines.
if [[ ! -t 1 ]]; then
  export NO_COLOR=1
fi

# Quiet on success; on failure show what went wrong.
if ! restore_output="$(dotnet tool restore 2>&1)"; then
  printf '%s\n' "$restore_output" >&2
  exit 1
fi
dotnet cake build.cake "$@"
