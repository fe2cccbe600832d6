#!/usr/bin/env bash
# Checks the published linux-x64 binary the way a machine without the project's build runs it: copied alone
# into an empty folder, started there with a fresh data folder, no dotnet on PATH and no DOTNET_ROOT, it must
# answer /readyz with 200 and must not have loaded anything from an installed .NET. Publishes it first unless
# a binary is given: ./scripts/check-binary.sh [path/to/pbxhub]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${1:-}"
if [ -z "$bin" ]; then
  "$root/scripts/publish.sh" linux-x64
  bin="$root/artifacts/publish/linux-x64/pbxhub"
fi
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir "$work/empty-path"
cp "$bin" "$work/pbxhub"
port=$(( 20000 + RANDOM % 20000 ))
# A bare environment: PATH names an empty folder, so neither dotnet nor anything else of this machine is found.
clean_env=(env -i "PATH=$work/empty-path" "HOME=$work" "LANG=C.UTF-8")
if "${clean_env[@]}" /bin/sh -c 'command -v dotnet' >/dev/null 2>&1; then
  echo "check-binary: dotnet is still reachable in the clean environment" >&2; exit 1
fi
(cd "$work" && exec "${clean_env[@]}" ./pbxhub serve --data "$work/data" --urls "http://127.0.0.1:$port" >"$work/out.log" 2>&1) &
pid=$!
status=""
for _ in $(seq 1 120); do
  status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true)
  [ "$status" = "200" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
if [ "$status" != "200" ]; then
  echo "check-binary: /readyz answered '${status:-nothing}'; the binary printed:" >&2
  cat "$work/out.log" >&2
  exit 1
fi
if grep -q '/usr/share/dotnet\|/usr/lib/dotnet' "/proc/$pid/maps" 2>/dev/null; then
  echo "check-binary: the binary loaded files of an installed .NET:" >&2
  grep -o '/usr/[a-z]*/dotnet[^ ]*' "/proc/$pid/maps" | sort -u >&2
  exit 1
fi
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
[ -f "$work/data/pbxhub.db" ] || { echo "check-binary: no database in the fresh data folder" >&2; exit 1; }
echo "check-binary: $(du -h "$bin" | cut -f1) binary answered /readyz 200 from $work with a fresh data folder and no dotnet on PATH"
