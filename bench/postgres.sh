#!/usr/bin/env bash
# Sourced: a throwaway PostgreSQL cluster for the benchmarks (scripts/throwaway-postgres.sh: exports
# THROWAWAY_POSTGRES, dropped when the shell exits), restarted durable like a production server: the
# test cluster runs with fsync off, which would flatter PostgreSQL beside SQLite's synchronous=FULL.
# BENCH_POSTGRES_FSYNC=off keeps the test cluster's settings.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/throwaway-postgres.sh" || return 1
if [ "${BENCH_POSTGRES_FSYNC:-on}" = on ]; then
  run_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -m fast restart \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=600 -c shared_buffers=512MB" >/dev/null \
    || { cat "$pg_dir/log" >&2; return 1; }
  echo "restarted with fsync on, shared_buffers 512MB"
fi
