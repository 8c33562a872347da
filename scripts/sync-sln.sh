#!/usr/bin/env bash
# (Re)creates LetsData.sln and makes it list exactly the *.csproj files under the repo
# (including tests/TestPlugins/**). Idempotent: safe to run any time a project is added/removed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

SLN=LetsData.sln

if [[ ! -f "$SLN" ]]; then
  # .NET 10 defaults to .slnx; the repo layout asks for a classic .sln.
  dotnet new sln --name LetsData --format sln >/dev/null
fi

# Every project on disk, skipping build output and VCS folders.
mapfile -t on_disk < <(find . \( -name bin -o -name obj -o -name .git -o -name artifacts -o -name node_modules \) -prune \
  -o -name '*.csproj' -type f -print | sed 's|^\./||' | LC_ALL=C sort)

# Projects the solution lists today (paths relative to the repo root, '/' separators).
mapfile -t listed < <(dotnet sln "$SLN" list 2>/dev/null | tail -n +3 | tr '\\' '/' | sed 's/[[:space:]]*$//' | grep -v '^$' | LC_ALL=C sort || true)

# Drop entries whose project file no longer exists.
for p in "${listed[@]}"; do
  if [[ ! -f "$p" ]]; then
    echo "sync-sln: removing missing project $p"
    dotnet sln "$SLN" remove "$p" >/dev/null
  fi
done

# Add projects that are not listed yet.
to_add=()
for p in "${on_disk[@]}"; do
  found=0
  for l in "${listed[@]}"; do [[ "$l" == "$p" ]] && { found=1; break; }; done
  [[ $found -eq 0 ]] && to_add+=("$p")
done
if ((${#to_add[@]})); then
  printf 'sync-sln: adding %s\n' "${to_add[@]}"
  dotnet sln "$SLN" add "${to_add[@]}" >/dev/null
fi

echo "sync-sln: $SLN lists ${#on_disk[@]} project(s)"
