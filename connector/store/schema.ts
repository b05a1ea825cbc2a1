/**
 * SQLite schema, applied in order by version. Append a migration; never edit a released one.
 * Times are integer milliseconds since the epoch; JSON columns hold text.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE work_items (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id      TEXT    NOT NULL UNIQUE,
    kind            TEXT    NOT NULL CHECK (kind IN ('outbound', 'inbound', 'sweep')),
    key             TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    source          TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'done', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_by      TEXT,
    lease_until     INTEGER,
    last_error      TEXT,
    outcome         TEXT,
    event_at        INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    completed_at    INTEGER
  );
  -- The lane (per-key ordering) and the due scan only ever look at unfinished items.
  CREATE INDEX work_items_lane ON work_items (key, id) WHERE status IN ('queued', 'running');
  CREATE INDEX work_items_due ON work_items (status, next_attempt_at);
  CREATE INDEX work_items_finished ON work_items (kind, status, completed_at);

  CREATE TABLE idempotency_keys (
    key        TEXT    PRIMARY KEY,
    item_id    INTEGER NOT NULL REFERENCES work_items (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX idempotency_keys_item ON idempotency_keys (item_id);

  CREATE TABLE sync_state (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    opportunity_id          TEXT UNIQUE,
    referral_id             TEXT UNIQUE,
    e_tag                   TEXT,
    referral                TEXT,
    baseline                TEXT,
    lead_id                 TEXT,
    opportunity_deleted     INTEGER NOT NULL DEFAULT 0,
    last_outbound_at        INTEGER,
    last_inbound_at         INTEGER,
    updated_at              INTEGER NOT NULL
  );

  CREATE TABLE cursors (
    name       TEXT    PRIMARY KEY,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE heartbeats (
    worker_id    TEXT    PRIMARY KEY,
    pid          INTEGER NOT NULL,
    host         TEXT    NOT NULL,
    started_at   INTEGER NOT NULL,
    heartbeat_at INTEGER NOT NULL
  );
  `,
  `
  -- Claims walk this index in the order they hand items out (due time, then id) and stop at their LIMIT, so a
  -- claim costs the same at any queue depth; the due time is the backoff of a queued item and the lease of a
  -- running one (an expired lease is due again). One range per kind: a claim asks for one kind at a time.
  CREATE INDEX work_items_claim ON work_items (kind, (CASE status WHEN 'queued' THEN next_attempt_at ELSE lease_until END), id)
    WHERE status IN ('queued', 'running');
  `,
];
