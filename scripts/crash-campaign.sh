#!/usr/bin/env bash
# The full crash campaign (docs/crash-campaign.md): the suite's crash test with many more kills and more traffic,
# on SQLite, on a throwaway PostgreSQL, or both (the default). The seed is printed first; run again with the same
# PBXHUB_CRASH_SEED (and the same kills and calls) to replay the same plan of phases, moments and traffic.
#   scripts/crash-campaign.sh [sqlite|postgres|both]
#   PBXHUB_CRASH_KILLS (default 200), PBXHUB_CRASH_CALLS (calls per provider in each batch, default 12), PBXHUB_CRASH_SEED
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
engine=${1:-both}
case "$engine" in sqlite|postgres|both) ;; *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;; esac
export PBXHUB_CRASH_KILLS=${PBXHUB_CRASH_KILLS:-200}
export PBXHUB_CRASH_CALLS=${PBXHUB_CRASH_CALLS:-12}
export PBXHUB_CRASH_SEED=${PBXHUB_CRASH_SEED:-$(( (RANDOM << 15 | RANDOM) + 1 ))}
echo "crash campaign: PBXHUB_CRASH_SEED=$PBXHUB_CRASH_SEED PBXHUB_CRASH_KILLS=$PBXHUB_CRASH_KILLS PBXHUB_CRASH_CALLS=$PBXHUB_CRASH_CALLS ($engine)"
dotnet build test/PbxHub.IntegrationTests -v quiet -nologo || exit 1

campaign() {
  dotnet test test/PbxHub.IntegrationTests --no-build --filter "FullyQualifiedName~PbxHub.IntegrationTests.Crash." \
    --logger "console;verbosity=detailed"
}

status=0
if [ "$engine" != postgres ]; then
  campaign || status=$?
fi
if [ "$engine" != sqlite ]; then
  source scripts/throwaway-postgres.sh || { echo "could not start a PostgreSQL cluster" >&2; exit 1; }
  PBXHUB_TEST_STORAGE=postgres PBXHUB_TEST_POSTGRES="$THROWAWAY_POSTGRES" campaign || status=$?
fi
exit "$status"
