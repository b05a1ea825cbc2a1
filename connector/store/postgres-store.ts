/**
 * The Store on Postgres through node-postgres, so several connector instances can share one queue. Same
 * semantics as the SQLite store, the decisions coming from the same queue policy (queue/policy.ts); what SQLite
 * gets from its single writer lock is made explicit here:
 *
 * - Claims are serialised by one transaction-level advisory lock, so each claim sees every earlier claim, and
 *   `FOR UPDATE SKIP LOCKED` steps over rows another transaction is changing (a coalescing enqueue, a
 *   completion) instead of waiting for them. Besides the lane-head rule, an item is not claimed while another
 *   item of its key runs under a live lease: one running item per key, whatever order rows became visible in.
 * - Enqueues hold an advisory lock per lane and per idempotency key, so a lane's ids grow in commit order (the
 *   lane head is always the oldest accepted item) and a redelivered event is recognised even when both
 *   deliveries arrive at once. Completions and failures also lock the sync-state rows they touch.
 *   Every transaction takes its advisory locks first, in one sorted batch, and row locks after: no lock cycles.
 * - Commits are synchronous (`synchronous_commit=on` for the session): an acknowledged request is on disk.
 *
 * Times are the caller's clock (ms since the epoch), as in the SQLite store: instances sharing a database need
 * synchronised clocks (NTP), far tighter than the lease.
 */
import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DatabaseError, Pool, TypeOverrides, escapeIdentifier, type PoolClient, type QueryResultRow } from 'pg';
import { POSTGRES_MIGRATIONS } from './postgres-schema.js';
import { DUE_AT, SYNC_COLUMNS, tallyStats, toItem as itemFromRow, toSyncState as syncStateFromRow, UNFINISHED, type ItemRow as RowOf, type SyncRow as SyncRowOf } from './rows.js';
import * as policy from '../queue/policy.js';
import type { RetryPolicy } from '../queue/policy.js';
import {
  WORK_KINDS,
  type ClaimOptions,
  type Completion,
  type EnqueueRequest,
  type EnqueueResult,
  type FailResult,
  type Failure,
  type Store,
  type StoreStats,
  type SyncState,
  type SyncStateUpdate,
  type WorkerHeartbeat,
  type WorkItem,
  type WorkKind,
  type WorkStatus,
} from '../queue/types.js';

export interface PostgresStoreOptions {
  /** postgres://user[:password]@host[:port]/database[?schema=name&sslmode=...]; the password may instead come from PGPASSWORD. */
  url: string;
  /** Schema holding the tables (created if missing); overrides `?schema=` in the URL. Default: the server's search_path. */
  schema?: string;
  retry?: Partial<RetryPolicy>;
  now?: () => number;
  random?: () => number;
  /** Connections kept open; the worker's concurrency plus the HTTP edge rarely need more than a handful. */
  poolSize?: number;
  /** How long to wait for a connection before failing (an unreachable server stops start-up, not hangs it). */
  connectTimeoutMs?: number;
  /** An idle pooled connection broke (server restart, network); the next query reconnects. */
  onConnectionError?: (error: Error) => void;
}

type ItemRow = RowOf<unknown>;
type SyncRow = SyncRowOf<unknown>;

/** serialization_failure and deadlock_detected: the transaction did nothing and may simply run again. */
const RETRYABLE_CODES = new Set(['40001', '40P01']);
const MAX_TRANSACTION_ATTEMPTS = 5;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

// BIGINT (int8) columns hold ms timestamps and ids, all far below 2^53: read them as numbers, not strings.
const TYPES = new TypeOverrides();
TYPES.setTypeParser(20, 'text', (value: string) => Number(value));

type Db = Pick<PoolClient, 'query'>;

// jsonb columns arrive parsed.
const asIs = (value: unknown): unknown => value;
const toItem = (row: ItemRow) => itemFromRow(row, asIs);

/**
 * Due items of one kind in claim order, locked for this claim (see the SQLite store's CLAIM_SQL for what due and
 * eligible mean). The WHERE repeats the claim index's condition and expression, so Postgres reads the index in
 * order and stops at the limit instead of sorting every due item.
 */
export const CLAIM_SQL = `SELECT w.* FROM work_items w
  WHERE w.${UNFINISHED} AND w.kind = $1 AND ${DUE_AT} <= $2
    AND NOT EXISTS (
      SELECT 1 FROM work_items p
      WHERE p.key = w.key AND p.${UNFINISHED} AND p.id <> w.id
        AND (p.id < w.id OR (p.status = 'running' AND p.lease_until > $2)))
  ORDER BY ${DUE_AT}, w.id
  LIMIT $3
  FOR UPDATE OF w SKIP LOCKED`;
const toSyncState = (row: SyncRow) => syncStateFromRow(row, asIs);

/** JSON for a jsonb parameter (node-postgres would turn a JS array into a Postgres array). */
const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/** The URL without the parameters this store interprets itself, plus those parameters. */
function splitUrl(url: string): { connectionString: string; schema: string | null; options: string | null } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  const options = parsed.searchParams.get('options');
  parsed.searchParams.delete('schema');
  parsed.searchParams.delete('options');
  return { connectionString: parsed.toString(), schema, options };
}

export class PostgresStore implements Store {
  /** The schema holding the tables, or null for the server's default search_path. */
  readonly schema: string | null;
  private readonly pool: Pool;
  private readonly retry: RetryPolicy;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly pendingCompletions: {
    id: number;
    workerId: string;
    completion: Completion;
    resolve: (done: boolean) => void;
    reject: (error: unknown) => void;
  }[] = [];
  private closed = false;

  /** Connects, creates or upgrades the schema, and resolves once the store is usable. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const store = new PostgresStore(options);
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  private constructor(options: PostgresStoreOptions) {
    const { connectionString, schema, options: extra } = splitUrl(options.url);
    this.schema = options.schema ?? schema;
    if (this.schema !== null && !IDENTIFIER.test(this.schema)) {
      throw new Error(`The store schema "${this.schema}" is not a plain identifier (letters, digits and _, not starting with a digit).`);
    }
    this.retry = policy.retryPolicy(options.retry);
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    const sessionOptions = [extra, '-c synchronous_commit=on', this.schema ? `-c search_path=${this.schema}` : null].filter(Boolean).join(' ');
    this.pool = new Pool({
      connectionString,
      options: sessionOptions,
      max: options.poolSize ?? 8,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      keepAlive: true,
      // A session that died inside a transaction must not hold its locks (claims!) for long.
      idle_in_transaction_session_timeout: 60_000,
      application_name: 'cosell-connector',
      types: TYPES,
    });
    // Without a listener an idle connection's error would crash the process.
    this.pool.on('error', (error) => options.onConnectionError?.(error));
  }

  /** A 64-bit advisory lock key for a name within this store's schema (other schemas' locks never collide with it). */
  private lockKey(namespace: string, value: string): string {
    return createHash('sha256').update(`${this.schema ?? ''}\0${namespace}\0${value}`).digest().readBigInt64BE(0).toString();
  }

  /** Takes the transaction's advisory locks in one sorted batch, so two transactions never wait on each other in a cycle. */
  private async lock(db: Db, names: readonly (readonly [string, string])[]): Promise<void> {
    if (names.length === 0) return;
    const keys = [...new Set(names.map(([namespace, value]) => this.lockKey(namespace, value)))].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    // unnest yields the array in order; the lock function runs once per row in that order.
    await db.query('SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k', [keys]);
  }

  private async rows<T extends QueryResultRow>(db: Db, text: string, params: unknown[] = []): Promise<T[]> {
    return (await db.query<T>(text, params)).rows;
  }

  private async row<T extends QueryResultRow>(db: Db, text: string, params: unknown[] = []): Promise<T | undefined> {
    return (await db.query<T>(text, params)).rows[0];
  }

  private async run(db: Db, text: string, params: unknown[] = []): Promise<number> {
    return (await db.query(text, params)).rowCount ?? 0;
  }

  /** READ COMMITTED transaction; re-run whole when Postgres reports a deadlock or serialisation failure. */
  private async transaction<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        if (error instanceof DatabaseError && RETRYABLE_CODES.has(error.code ?? '') && attempt < MAX_TRANSACTION_ATTEMPTS) continue;
        throw error;
      } finally {
        // A connection that could not even roll back is discarded rather than handed to the next caller.
        client.release(broken);
      }
    }
  }

  private async migrate(): Promise<void> {
    await this.transaction(async (db) => {
      await this.lock(db, [['migrate', '']]);
      if (this.schema) await db.query(`CREATE SCHEMA IF NOT EXISTS ${escapeIdentifier(this.schema)}`);
      await db.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
      const row = await this.row<{ v: number | null }>(db, 'SELECT MAX(version) AS v FROM schema_version');
      for (let v = row?.v ?? 0; v < POSTGRES_MIGRATIONS.length; v++) {
        await db.query(POSTGRES_MIGRATIONS[v]);
        await db.query('INSERT INTO schema_version (version) VALUES ($1)', [v + 1]);
      }
    });
  }

  // ── Enqueue ────────────────────────────────────────────────────────────────────────────────────────

  private static enqueueLocks(requests: readonly EnqueueRequest[]): [string, string][] {
    return requests.flatMap((r): [string, string][] => [['lane', String(r.key)], ...(r.idempotencyKey === undefined ? [] : [['idempotency', r.idempotencyKey] as [string, string]])]);
  }

  private static syncLocks(updates: readonly SyncStateUpdate[] | undefined): [string, string][] {
    return (updates ?? []).flatMap((u): [string, string][] => [
      ...(u.opportunityId ? [['sync-opportunity', u.opportunityId] as [string, string]] : []),
      ...(u.referralId ? [['sync-referral', u.referralId] as [string, string]] : []),
    ]);
  }

  /** Runs under the lane and idempotency locks of the request (see `enqueueLocks`). */
  private async enqueueOne(db: Db, request: EnqueueRequest, now: number): Promise<EnqueueResult> {
    if (request.idempotencyKey !== undefined) {
      const seen = await this.row<{ id: number; request_id: string }>(
        db,
        'SELECT w.id, w.request_id FROM idempotency_keys k JOIN work_items w ON w.id = k.item_id WHERE k.key = $1',
        [request.idempotencyKey],
      );
      if (seen) return { id: seen.id, requestId: seen.request_id, duplicate: true, coalesced: false };
    }
    let target: { id: number; request_id: string } | undefined;
    if (policy.coalesces(request)) {
      const last = await this.row<{ id: number; kind: WorkKind; status: WorkStatus }>(
        db,
        `SELECT id, kind, status FROM work_items WHERE key = $1 AND ${UNFINISHED} ORDER BY id DESC LIMIT 1`,
        [request.key],
      );
      if (last && policy.absorbs(last, request)) {
        // The row lock makes a concurrent claim either finish first (then the item is running and is not merged
        // into) or skip the item until this request is committed, so its run always starts after the request.
        const locked = await this.row<{ id: number; request_id: string; event_at: number }>(
          db,
          `SELECT id, request_id, event_at FROM work_items WHERE id = $1 AND status = 'queued' FOR UPDATE`,
          [last.id],
        );
        target = locked;
        const eventAt = locked ? policy.mergedEventAt(request, locked.event_at, now) : null;
        if (locked && eventAt !== null) {
          await db.query('UPDATE work_items SET payload = $1, event_at = $2, updated_at = $3 WHERE id = $4', [json(request.payload), eventAt, now, locked.id]);
        }
      }
    }
    const coalesced = target !== undefined;
    if (!target) {
      const requestId = randomUUID();
      const times = policy.newItemTimes(request, now);
      const inserted = await this.row<{ id: number }>(
        db,
        `INSERT INTO work_items (request_id, kind, key, payload, source, status, attempts, next_attempt_at, event_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'queued', 0, $6, $7, $8, $9) RETURNING id`,
        [requestId, request.kind, request.key, json(request.payload), request.source, times.nextAttemptAt, times.eventAt, now, now],
      );
      target = { id: inserted!.id, request_id: requestId };
    }
    if (request.idempotencyKey !== undefined) {
      await db.query('INSERT INTO idempotency_keys (key, item_id, created_at) VALUES ($1, $2, $3)', [request.idempotencyKey, target.id, now]);
    }
    return { id: target.id, requestId: target.request_id, duplicate: false, coalesced };
  }

  async enqueue(request: EnqueueRequest): Promise<EnqueueResult> {
    return (await this.enqueueMany([request]))[0];
  }

  async enqueueMany(requests: readonly EnqueueRequest[]): Promise<EnqueueResult[]> {
    if (requests.length === 0) return [];
    return this.transaction(async (db) => {
      await this.lock(db, PostgresStore.enqueueLocks(requests));
      const now = this.now();
      const results: EnqueueResult[] = [];
      for (const request of requests) results.push(await this.enqueueOne(db, request, now));
      return results;
    });
  }

  // ── Claim, complete, fail ──────────────────────────────────────────────────────────────────────────

  async claim(workerId: string, options: ClaimOptions): Promise<WorkItem[]> {
    const kinds = options.kinds ?? WORK_KINDS;
    if (options.limit <= 0 || kinds.length === 0) return [];
    return this.transaction(async (db) => {
      const now = this.now();
      // No global lock on the claim path: SKIP LOCKED hands concurrent claims disjoint rows, and only the head of
      // a lane with no other item of its key running is eligible (CLAIM_SQL); a later item of the key stays
      // ineligible while an earlier one is unfinished, whichever claim commits first. One ordered range of the
      // claim index per kind, merged.
      const due: WorkItem[] = [];
      for (const kind of kinds) due.push(...(await this.rows<ItemRow>(db, CLAIM_SQL, [kind, now, options.limit])).map(toItem));
      due.sort(policy.claimOrder);
      due.splice(options.limit);
      const leaseUntil = now + options.leaseMs;
      const claimed: WorkItem[] = [];
      for (const candidate of due) {
        const step = policy.claimStep(candidate, { workerId, now, leaseMs: options.leaseMs }, this.retry);
        if (step.action === 'park') {
          await db.query(
            `UPDATE work_items SET status = 'dead', last_error = $1, updated_at = $2, completed_at = $2, claimed_by = NULL, lease_until = NULL WHERE id = $3`,
            [json(step.error), now, candidate.id],
          );
          continue;
        }
        claimed.push(step.item);
      }
      if (claimed.length > 0) {
        // One statement for the whole claim; each row takes the attempt count the policy gave it.
        await db.query(
          `UPDATE work_items w SET status = 'running', claimed_by = $1, lease_until = $2, attempts = c.attempts, updated_at = $3
           FROM unnest($4::bigint[], $5::integer[]) AS c(id, attempts) WHERE w.id = c.id`,
          [workerId, leaseUntil, now, claimed.map((i) => i.id), claimed.map((i) => i.attempts)],
        );
      }
      return claimed;
    });
  }

  async renewLease(id: number, workerId: string, leaseMs: number): Promise<boolean> {
    const now = this.now();
    return (
      (await this.run(this.pool, `UPDATE work_items SET lease_until = $1, updated_at = $2 WHERE id = $3 AND status = 'running' AND claimed_by = $4`, [
        now + leaseMs,
        now,
        id,
        workerId,
      ])) === 1
    );
  }

  /** The item's kind, key and attempts, locked, when `workerId` still holds it; every write on a claimed item is fenced by this. */
  private async hold(db: Db, id: number, workerId: string): Promise<{ kind: WorkKind; key: string; attempts: number } | undefined> {
    return this.row(db, `SELECT kind, key, attempts FROM work_items WHERE id = $1 AND status = 'running' AND claimed_by = $2 FOR UPDATE`, [id, workerId]);
  }

  /**
   * Completions asked for in the same turn of the event loop (a worker recording a whole inbound batch) share one
   * transaction and so one commit; each runs in its own savepoint and succeeds or fails on its own, and none
   * resolves before the shared commit. The batch takes all its advisory locks up front, in one sorted set.
   */
  async complete(id: number, workerId: string, completion: Completion): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.pendingCompletions.push({ id, workerId, completion, resolve, reject });
      if (this.pendingCompletions.length === 1) queueMicrotask(() => void this.flushCompletions());
    });
  }

  private async flushCompletions(): Promise<void> {
    const batch = this.pendingCompletions.splice(0);
    let outcomes: ({ ok: true; value: boolean } | { ok: false; error: unknown })[];
    try {
      outcomes = await this.transaction(async (db) => {
        const results: typeof outcomes = [];
        await this.lock(db, batch.flatMap((e) => [...PostgresStore.enqueueLocks(e.completion.enqueue ?? []), ...PostgresStore.syncLocks(e.completion.syncState)]));
        for (const entry of batch) {
          await db.query('SAVEPOINT complete_item');
          try {
            results.push({ ok: true, value: await this.completeOne(db, entry.id, entry.workerId, entry.completion) });
            await db.query('RELEASE SAVEPOINT complete_item');
          } catch (error) {
            // A deadlock or serialisation failure re-runs the whole batch (transaction()); anything else fails
            // this completion alone.
            if (error instanceof DatabaseError && RETRYABLE_CODES.has(error.code ?? '')) throw error;
            await db.query('ROLLBACK TO SAVEPOINT complete_item');
            results.push({ ok: false, error });
          }
        }
        return results;
      });
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    batch.forEach((entry, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) entry.resolve(outcome.value);
      else entry.reject(outcome.error);
    });
  }

  private async completeOne(db: Db, id: number, workerId: string, completion: Completion): Promise<boolean> {
    const item = await this.hold(db, id, workerId);
    if (!item) return false;
    const now = this.now();
    await db.query(
      `UPDATE work_items SET status = 'done', outcome = $1, completed_at = $2, updated_at = $2, claimed_by = NULL, lease_until = NULL WHERE id = $3`,
      [json(completion.outcome), now, id],
    );
    // A success for the same deal answers earlier dead letters about it: nothing is left for an admin to replay.
    if (completion.settleDeadLetters) {
      await db.query(
        `UPDATE work_items SET status = 'done', outcome = $1, completed_at = $2, updated_at = $2 WHERE kind = $3 AND key = $4 AND status = 'dead' AND id < $5`,
        [json(policy.supersededOutcome(id)), now, item.kind, item.key, id],
      );
    }
    for (const update of completion.syncState ?? []) await this.applySyncState(db, update, now);
    for (const request of completion.enqueue ?? []) await this.enqueueOne(db, request, now);
    for (const [name, value] of Object.entries(completion.cursors ?? {})) await this.writeCursor(db, name, value, now);
    return true;
  }

  async checkpoint(id: number, workerId: string, syncState: readonly SyncStateUpdate[]): Promise<boolean> {
    return this.transaction(async (db) => {
      await this.lock(db, PostgresStore.syncLocks(syncState));
      if (!(await this.hold(db, id, workerId))) return false;
      const now = this.now();
      for (const update of syncState) await this.applySyncState(db, update, now);
      return true;
    });
  }

  async fail(id: number, workerId: string, failure: Failure): Promise<FailResult> {
    return this.transaction(async (db): Promise<FailResult> => {
      await this.lock(db, PostgresStore.syncLocks(failure.syncState));
      const item = await this.hold(db, id, workerId);
      if (!item) return { status: 'lost' };
      const now = this.now();
      for (const update of failure.syncState ?? []) await this.applySyncState(db, update, now);
      const step = policy.failStep(item, failure, this.retry, now, this.random);
      if (step.status === 'dead') {
        await db.query(
          `UPDATE work_items SET status = 'dead', last_error = $1, updated_at = $2, completed_at = $2, claimed_by = NULL, lease_until = NULL WHERE id = $3`,
          [json(step.error), now, id],
        );
        return { status: 'dead' };
      }
      await db.query(
        `UPDATE work_items SET status = 'queued', next_attempt_at = $1, last_error = $2, updated_at = $3, claimed_by = NULL, lease_until = NULL WHERE id = $4`,
        [step.nextAttemptAt, json(step.error), now, id],
      );
      return { status: 'queued', nextAttemptAt: step.nextAttemptAt };
    });
  }

  async release(id: number, workerId: string, reason = policy.RELEASE_REASON): Promise<boolean> {
    return this.transaction(async (db) => {
      const item = await this.hold(db, id, workerId);
      if (!item) return false;
      const now = this.now();
      const step = policy.releaseStep(item, reason, now);
      await db.query(
        `UPDATE work_items SET status = 'queued', attempts = $1, next_attempt_at = $2, last_error = $3, updated_at = $4, claimed_by = NULL, lease_until = NULL WHERE id = $5`,
        [step.attempts, step.nextAttemptAt, json(step.error), now, id],
      );
      return true;
    });
  }

  // ── Reading items, dead letters ────────────────────────────────────────────────────────────────────

  async getItem(id: number): Promise<WorkItem | null> {
    const row = await this.row<ItemRow>(this.pool, 'SELECT * FROM work_items WHERE id = $1', [id]);
    return row ? toItem(row) : null;
  }

  async getItemByRequestId(requestId: string): Promise<WorkItem | null> {
    const row = await this.row<ItemRow>(this.pool, 'SELECT * FROM work_items WHERE request_id = $1', [requestId]);
    return row ? toItem(row) : null;
  }

  async listItems(filter: { status?: WorkStatus; kind?: WorkKind; key?: string; limit?: number }): Promise<WorkItem[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [column, value] of [['status', filter.status], ['kind', filter.kind], ['key', filter.key]] as const) {
      if (value === undefined) continue;
      params.push(value);
      where.push(`${column} = $${params.length}`);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    params.push(filter.limit ?? 1000);
    return (await this.rows<ItemRow>(this.pool, `SELECT * FROM work_items ${clause} ORDER BY id LIMIT $${params.length}`, params)).map(toItem);
  }

  async listDeadLetters(options: { kind?: WorkKind; limit?: number } = {}): Promise<WorkItem[]> {
    return this.listItems({ status: 'dead', kind: options.kind, limit: options.limit });
  }

  async replay(id: number): Promise<boolean> {
    return (await this.requeueDead('id = $4', [id])) === 1;
  }

  async replayAll(kind?: WorkKind): Promise<number> {
    return kind ? this.requeueDead('kind = $4', [kind]) : this.requeueDead('TRUE', []);
  }

  /** Replays the dead letters `where` selects (its parameters from $4; see `policy.replayStep`); how many there were. */
  private async requeueDead(where: string, params: unknown[]): Promise<number> {
    const now = this.now();
    const step = policy.replayStep(now);
    return this.run(
      this.pool,
      `UPDATE work_items SET status = 'queued', attempts = $1, next_attempt_at = $2, completed_at = NULL, updated_at = $3 WHERE status = 'dead' AND ${where}`,
      [step.attempts, step.nextAttemptAt, now, ...params],
    );
  }

  // ── Sync state and cursors ─────────────────────────────────────────────────────────────────────────

  async getSyncState(by: { opportunityId: string } | { referralId: string }): Promise<SyncState | null> {
    const row =
      'opportunityId' in by
        ? await this.row<SyncRow>(this.pool, 'SELECT * FROM sync_state WHERE opportunity_id = $1', [by.opportunityId])
        : await this.row<SyncRow>(this.pool, 'SELECT * FROM sync_state WHERE referral_id = $1', [by.referralId]);
    return row ? toSyncState(row) : null;
  }

  /** Finds the row(s) the update names; when it links an opportunity row and a referral row, merges them. Runs under `syncLocks`. */
  private async applySyncState(db: Db, update: SyncStateUpdate, now: number): Promise<void> {
    const byOpp = update.opportunityId ? await this.row<SyncRow>(db, 'SELECT * FROM sync_state WHERE opportunity_id = $1', [update.opportunityId]) : undefined;
    const byRef = update.referralId ? await this.row<SyncRow>(db, 'SELECT * FROM sync_state WHERE referral_id = $1', [update.referralId]) : undefined;
    let rowId: number;
    if (byOpp && byRef && byOpp.id !== byRef.id) {
      // Keep the opportunity's row, fill its gaps from the referral's row, then drop the latter.
      await db.query('DELETE FROM sync_state WHERE id = $1', [byRef.id]);
      await db.query(
        `UPDATE sync_state SET
           e_tag = COALESCE(e_tag, $1), referral = COALESCE(referral, $2::jsonb), baseline = COALESCE(baseline, $3::jsonb), lead_id = COALESCE(lead_id, $4),
           last_outbound_at = COALESCE(last_outbound_at, $5), last_inbound_at = COALESCE(last_inbound_at, $6), referral_id = NULL
         WHERE id = $7`,
        [byRef.e_tag, json(byRef.referral), json(byRef.baseline), byRef.lead_id, byRef.last_outbound_at, byRef.last_inbound_at, byOpp.id],
      );
      rowId = byOpp.id;
    } else if (byOpp ?? byRef) {
      rowId = (byOpp ?? byRef)!.id;
    } else {
      rowId = (await this.row<{ id: number }>(db, 'INSERT INTO sync_state (updated_at) VALUES ($1) RETURNING id', [now]))!.id;
    }
    const params: unknown[] = [now];
    const sets: string[] = ['updated_at = $1'];
    const set = (column: string, value: unknown) => (params.push(value), sets.push(`${column} = $${params.length}`));
    if (update.opportunityId !== undefined) set('opportunity_id', update.opportunityId);
    if (update.referralId !== undefined) set('referral_id', update.referralId);
    if (update.referral !== undefined) set('referral', json(update.referral));
    if (update.baseline !== undefined) set('baseline', json(update.baseline));
    if (update.opportunityDeleted !== undefined) set('opportunity_deleted', update.opportunityDeleted);
    for (const [property, column] of Object.entries(SYNC_COLUMNS)) {
      const value = update[property as keyof typeof SYNC_COLUMNS];
      if (value !== undefined) set(column, value);
    }
    params.push(rowId);
    await db.query(`UPDATE sync_state SET ${sets.join(', ')} WHERE id = $${params.length}`, params);
  }

  private async writeCursor(db: Db, name: string, value: string, now: number): Promise<void> {
    await db.query(
      'INSERT INTO cursors (name, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      [name, value, now],
    );
  }

  async getCursor(name: string): Promise<string | null> {
    return (await this.row<{ value: string }>(this.pool, 'SELECT value FROM cursors WHERE name = $1', [name]))?.value ?? null;
  }

  async setCursor(name: string, value: string): Promise<void> {
    await this.writeCursor(this.pool, name, value, this.now());
  }

  // ── Status, heartbeats, housekeeping ───────────────────────────────────────────────────────────────

  async stats(): Promise<StoreStats> {
    const now = this.now();
    const counts = await this.rows<{ kind: WorkKind; status: WorkStatus; n: number }>(
      this.pool,
      `SELECT kind, status, COUNT(*) AS n FROM work_items WHERE status IN ('queued', 'running', 'dead') GROUP BY kind, status`,
    );
    const lastSuccesses = await this.rows<{ kind: WorkKind; t: number }>(
      this.pool,
      `SELECT kind, MAX(completed_at) AS t FROM work_items WHERE status = 'done' GROUP BY kind`,
    );
    const oldest = await this.row<{ t: number | null }>(this.pool, `SELECT MIN(next_attempt_at) AS t FROM work_items WHERE status = 'queued' AND next_attempt_at <= $1`, [now]);
    return tallyStats(counts, lastSuccesses, oldest?.t ?? null);
  }

  async heartbeat(beat: Omit<WorkerHeartbeat, 'heartbeatAt'>): Promise<void> {
    await this.pool.query(
      `INSERT INTO heartbeats (worker_id, pid, host, started_at, heartbeat_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (worker_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`,
      [beat.workerId, beat.pid, beat.host || hostname(), beat.startedAt, this.now()],
    );
  }

  async removeHeartbeat(workerId: string): Promise<void> {
    await this.pool.query('DELETE FROM heartbeats WHERE worker_id = $1', [workerId]);
  }

  async listHeartbeats(): Promise<WorkerHeartbeat[]> {
    return (
      await this.rows<{ worker_id: string; pid: number; host: string; started_at: number; heartbeat_at: number }>(
        this.pool,
        'SELECT * FROM heartbeats ORDER BY heartbeat_at DESC',
      )
    ).map((r) => ({ workerId: r.worker_id, pid: r.pid, host: r.host, startedAt: r.started_at, heartbeatAt: r.heartbeat_at }));
  }

  async prune(before: number): Promise<number> {
    // Idempotency keys go with their items (ON DELETE CASCADE); dead letters stay until replayed.
    return this.run(this.pool, `DELETE FROM work_items WHERE status = 'done' AND completed_at < $1`, [before]);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1 AS ok FROM schema_version LIMIT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
