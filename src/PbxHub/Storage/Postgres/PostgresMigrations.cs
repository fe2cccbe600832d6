namespace PbxHub.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema, versioned like SQLite's (its own numbering: version 1 is SQLite's 1–4 at once, 2 is SQLite's 5, 3 is SQLite's 6, 4 is SQLite's 7, 5 is SQLite's 8).
/// Times are Unix milliseconds, as in SQLite, so the SQL the two engines share reads the same.
/// </summary>
internal static class PostgresMigrations
{
    public static readonly IReadOnlyList<(long Version, string Sql)> All =
    [
        (1, """
            CREATE TABLE accounts (
                id text PRIMARY KEY, provider text NOT NULL, secret text NOT NULL, time_zone text NOT NULL,
                country text NOT NULL, settings text NOT NULL, created_at bigint NOT NULL);
            CREATE TABLE api_keys (
                id text PRIMARY KEY, name text NOT NULL, key_hash text NOT NULL UNIQUE, created_at bigint NOT NULL);
            CREATE TABLE raw_events (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account text NOT NULL, provider text NOT NULL, kind text NOT NULL,
                call_key text, dedupe_key text NOT NULL, received_at bigint NOT NULL, method text NOT NULL,
                content_type text, query text NOT NULL, body bytea NOT NULL, headers text NOT NULL, reason text,
                UNIQUE (account, dedupe_key));
            CREATE INDEX raw_events_call ON raw_events (account, call_key);
            -- Calls with raw events not yet folded, whichever node stored them; the fold removes its row.
            CREATE TABLE fold_pending (
                account text NOT NULL, call_key text NOT NULL, max_seq bigint NOT NULL, PRIMARY KEY (account, call_key));
            CREATE TABLE calls (
                id text PRIMARY KEY, account text NOT NULL, provider_call_id text NOT NULL, started_at bigint NOT NULL,
                direction text NOT NULL, state text NOT NULL, outcome text, last_received_at bigint NOT NULL,
                record text NOT NULL, parties_hash text NOT NULL, caller text, UNIQUE (account, provider_call_id));
            CREATE INDEX calls_started ON calls (started_at DESC, id DESC);
            CREATE INDEX calls_account_started ON calls (account, started_at DESC, id DESC);
            CREATE INDEX calls_open ON calls (last_received_at) WHERE state <> 'ended';
            CREATE INDEX calls_missed ON calls (account, started_at) WHERE outcome = 'missed';
            CREATE TABLE call_parties (
                value text NOT NULL, call_id text NOT NULL, role text NOT NULL, PRIMARY KEY (value, call_id, role));
            CREATE INDEX call_parties_call ON call_parties (call_id);
            CREATE TABLE call_snapshots (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, call_id text NOT NULL, body text NOT NULL);
            CREATE TABLE call_events (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE, call_id text NOT NULL, account text NOT NULL,
                type text NOT NULL, occurred_at bigint NOT NULL, snapshot_id bigint NOT NULL REFERENCES call_snapshots (id), leg text);
            CREATE INDEX call_events_call ON call_events (call_id, seq);
            CREATE INDEX call_events_occurred ON call_events (occurred_at);
            CREATE INDEX call_events_snapshot ON call_events (snapshot_id);
            CREATE TABLE subscriptions (
                id text PRIMARY KEY, url text NOT NULL, event_types text NOT NULL, accounts text NOT NULL,
                enabled bigint NOT NULL, description text, secret text NOT NULL, previous_secret text,
                previous_secret_until bigint, disabled_reason text, created_at bigint NOT NULL,
                last_success_at bigint, failing_since bigint);
            CREATE TABLE deliveries (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, subscription_id text NOT NULL, event_seq bigint NOT NULL,
                event_id text NOT NULL, call_id text NOT NULL, state text NOT NULL, attempts bigint NOT NULL,
                step bigint NOT NULL, next_attempt_at bigint, created_at bigint NOT NULL, completed_at bigint,
                claimed_by text, claimed_until bigint, UNIQUE (subscription_id, event_id));
            CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';
            CREATE INDEX deliveries_call ON deliveries (subscription_id, call_id, event_seq) WHERE state = 'pending';
            CREATE INDEX deliveries_log ON deliveries (subscription_id, id);
            CREATE TABLE delivery_attempts (
                delivery_id bigint NOT NULL, attempt bigint NOT NULL, at bigint NOT NULL, status_code bigint,
                duration_ms bigint NOT NULL, error text, response text, PRIMARY KEY (delivery_id, attempt));
            """),
        (2, """
            CREATE TABLE call_requests (
                id text PRIMARY KEY, account text NOT NULL, provider text NOT NULL, kind text NOT NULL, client text,
                client_number text, operators text NOT NULL, requested_at bigint NOT NULL, status text NOT NULL,
                exchanges text NOT NULL, problem text);
            CREATE INDEX call_requests_requested ON call_requests (requested_at DESC, id DESC);
            CREATE TABLE outbound_media (
                id text PRIMARY KEY, account text NOT NULL, bytes bytea NOT NULL, created_at bigint NOT NULL);
            """),
        (3, """
            -- Missed unreturned at millions of calls: when each number of an account last took part in an answered call.
            CREATE TABLE answered_numbers (
                account text NOT NULL, value text NOT NULL, last_started_at bigint NOT NULL, PRIMARY KEY (account, value));
            """ + CallPartyIndex.FillAnsweredNumbers),
        (4, """
            -- The Data Protection key ring when PbxHub:Security:KeyRing=database (each key encrypted with a certificate).
            -- Secrets already stored in clear are encrypted at start-up, after the migrations: SQL cannot reach the keys.
            CREATE TABLE data_protection_keys (name text PRIMARY KEY, xml text NOT NULL, created_at bigint NOT NULL);
            """),
        (5, """
            -- Retention finds old raw events and old finished deliveries without reading the whole table.
            CREATE INDEX raw_events_age ON raw_events (received_at, seq) WHERE kind <> 'compacted';
            CREATE INDEX deliveries_completed ON deliveries (completed_at) WHERE state <> 'pending';
            """),
        (6, SqlDeliveryStore.DueIndex),
        (7, Recordings.RecordingQueue.Schema),
        (8, Connectors.ConnectorStore.Schema),
        (9, Connectors.ConnectorDirectory.Schema),
        (10, Reconciliation.ReconciliationStore.Schema),
    ];
}
