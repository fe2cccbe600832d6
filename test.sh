#!/usr/bin/env bash
# Every test: the whole suite on the embedded SQLite, then the integration tests again on PostgreSQL,
# on a throwaway cluster this script creates (installing PostgreSQL with apt-get when absent) and drops.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
status=0
# The recordings' S3 tests start npm's s3rver (installed with npm on first use): Debian's nodejs and npm when absent.
if ! command -v npm >/dev/null; then
  (DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm)) >/dev/null \
    || { echo "could not install nodejs and npm for the recordings tests" >&2; exit 1; }
fi
# MP3 on demand encodes with Debian's ffmpeg; the ftp:// recording tests start Debian's pyftpdlib (docs/recordings.md).
if ! command -v ffmpeg >/dev/null || ! /usr/bin/python3 -c "import pyftpdlib" 2>/dev/null; then
  (DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg python3-pyftpdlib \
    || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg python3-pyftpdlib)) >/dev/null \
    || { echo "could not install ffmpeg and python3-pyftpdlib for the recordings tests" >&2; exit 1; }
fi
dotnet test PbxHub.slnx "$@" || status=$?

source scripts/throwaway-postgres.sh || { echo "could not start a PostgreSQL cluster" >&2; exit 1; }
PBXHUB_TEST_STORAGE=postgres PBXHUB_TEST_POSTGRES="$THROWAWAY_POSTGRES" \
  dotnet test test/PbxHub.IntegrationTests --no-build "$@" || status=$?
exit "$status"
