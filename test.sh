#!/usr/bin/env bash
# Every test: the whole suite on the embedded SQLite, then the integration tests again on PostgreSQL,
# on a throwaway cluster this script creates (installing PostgreSQL with apt-get when absent) and drops.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
status=0
dotnet test PbxHub.slnx "$@" || status=$?

source scripts/throwaway-postgres.sh || { echo "could not start a PostgreSQL cluster" >&2; exit 1; }
PBXHUB_TEST_STORAGE=postgres PBXHUB_TEST_POSTGRES="$THROWAWAY_POSTGRES" \
  dotnet test test/PbxHub.IntegrationTests --no-build "$@" || status=$?
exit "$status"
