/**
 * Postgres schema, applied in order by version (one transaction, under an advisory lock, so instances starting
 * together do not race). Append a migration; never edit a released one. Same tables and meaning as the SQLite
 * schema (schema.ts): times are integer milliseconds since the epoch, JSON columns are jsonb.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE work_items (
    id              BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id      TEXT    NOT NULL UNIQUE,
    kind            TEXT    NOT NULL CHECK (kind IN ('outbound', 'inbound', 'sweep')),
    key             TEXT    NOT NULL,
    payload         JSONB   NOT NULL,
    source          TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'done', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    claimed_by      TEXT,
    lease_until     BIGINT,
    last_error      JSONB,
    outcome         JSONB,
    event_at        BIGINT  NOT NULL,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    completed_at    BIGINT
  );
  -- The lane (per-key ordering) and the due scan only ever look at unfinished items.
  CREATE INDEX work_items_lane ON work_items (key, id) WHERE status IN ('queued', 'running');
  CREATE INDEX work_items_due ON work_items (status, next_attempt_at) WHERE status IN ('queued', 'running');
  CREATE INDEX work_items_finished ON work_items (kind, status, completed_at);

  CREATE TABLE idempotency_keys (
    key        TEXT   PRIMARY KEY,
    item_id    BIGINT NOT NULL REFERENCES work_items (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
  );
  CREATE INDEX idempotency_keys_item ON idempotency_keys (item_id);

  CREATE TABLE sync_state (
    id                  BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    opportunity_id      TEXT UNIQUE,
    referral_id         TEXT UNIQUE,
    e_tag               TEXT,
    referral            JSONB,
    baseline            JSONB,
    lead_id             TEXT,
    opportunity_deleted BOOLEAN NOT NULL DEFAULT FALSE,
    last_outbound_at    BIGINT,
    last_inbound_at     BIGINT,
    updated_at          BIGINT  NOT NULL
  );

  CREATE TABLE cursors (
    name       TEXT   PRIMARY KEY,
    value      TEXT   NOT NULL,
    updated_at BIGINT NOT NULL
  );

  CREATE TABLE heartbeats (
    worker_id    TEXT    PRIMARY KEY,
    pid          INTEGER NOT NULL,
    host         TEXT    NOT NULL,
    started_at   BIGINT  NOT NULL,
    heartbeat_at BIGINT  NOT NULL
  );
  `,
  `
  -- Claims walk this index in the order they hand items out (due time, then id) and stop at their LIMIT, so a
  -- claim costs the same at any queue depth (the same index as the SQLite store's work_items_claim).
  CREATE INDEX work_items_claim ON work_items (kind, (CASE status WHEN 'queued' THEN next_attempt_at ELSE lease_until END), id)
    WHERE status IN ('queued', 'running');
  `,
];
