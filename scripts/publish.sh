#!/usr/bin/env bash
# Self-contained single-file builds of pbxhub for Linux: artifacts/publish/<rid>/pbxhub, one file that needs
# no .NET on the machine it runs on (SQLite's native library is inside; see docs/deployment.md §12).
# ./scripts/publish.sh [rid …]   (default: linux-x64 linux-arm64; output folder: $PBXHUB_PUBLISH_DIR)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${PBXHUB_PUBLISH_DIR:-$root/artifacts/publish}"
rids=("$@")
[ "${#rids[@]}" -gt 0 ] || rids=(linux-x64 linux-arm64)
for rid in "${rids[@]}"; do
  staging="$out/.staging-$rid"
  rm -rf "$staging" "$out/$rid"
  dotnet publish "$root/src/PbxHub" -c Release -r "$rid" --self-contained true --nologo -v quiet \
    -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:EnableCompressionInSingleFile=true \
    -p:DebugType=none -o "$staging"
  # Only the executable: appsettings.json is built into it, and the dashboard serves its assets from inside
  # it too (the publish also leaves Blazor's unused wwwroot/_framework beside it).
  mkdir -p "$out/$rid"
  mv "$staging/pbxhub" "$out/$rid/pbxhub"
  rm -rf "$staging"
  echo "$out/$rid/pbxhub ($(du -h "$out/$rid/pbxhub" | cut -f1))"
done
