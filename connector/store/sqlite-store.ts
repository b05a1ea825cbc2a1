/**
 * The Store on SQLite through Node's built-in `node:sqlite` (no native modules). Durability: WAL with
 * synchronous=FULL, so a committed transaction survives `kill -9` and power loss; every state change that must
 * be atomic (claim, complete + sync state + follow-up work + cursors) is one IMMEDIATE transaction. What each
 * step decides (due, claim order, attempts, backoff, retry or park, release, replay) is the queue policy
 * (queue/policy.ts), shared with the Postgres store; this file holds the SQL that reads and writes it.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { MIGRATIONS } from './schema.js';
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

export interface SqliteStoreOptions {
  /** Database file, or ':memory:' for a throw-away store. */
  path: string;
  retry?: Partial<RetryPolicy>;
  now?: () => number;
  random?: () => number;
  /** How long a writer waits for another process's lock before failing. */
  busyTimeoutMs?: number;
}

type ItemRow = RowOf<string>;
type SyncRow = SyncRowOf<string>;

const parse = (text: string): unknown => JSON.parse(text);

/**
 * Due items of one kind in claim order. Due = queued and past its backoff, or running with an expired lease (its
 * worker died). Eligible: the head of its lane (lowest unfinished id for the key), with no other item of the key
 * running under a live lease (a replayed dead letter becomes the head again while a later item may still run).
 * That gives per-key ordering and at most one in-flight item per key. The WHERE repeats the claim index's
 * condition and expression so SQLite reads the index in order instead of sorting every due item.
 */
export const CLAIM_SQL = `SELECT w.* FROM work_items w
  WHERE w.${UNFINISHED} AND w.kind = ? AND ${DUE_AT} <= ?
    AND NOT EXISTS (
      SELECT 1 FROM work_items p
      WHERE p.key = w.key AND p.${UNFINISHED} AND p.id <> w.id
        AND (p.id < w.id OR (p.status = 'running' AND p.lease_until > ?)))
  ORDER BY ${DUE_AT}, w.id
  LIMIT ?`;
const toItem = (row: ItemRow) => itemFromRow(row, parse);
const toSyncState = (row: SyncRow) => syncStateFromRow(row, parse);

export class SqliteStore implements Store {
  readonly path: string;
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
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

  constructor(options: SqliteStoreOptions) {
    this.path = options.path;
    this.retry = policy.retryPolicy(options.retry);
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    if (options.path !== ':memory:') mkdirSync(path.dirname(path.resolve(options.path)), { recursive: true });
    this.db = new DatabaseSync(options.path);
    this.db.exec(`PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 10_000)}`);
    this.db.exec('PRAGMA journal_mode = WAL');
    this.db.exec('PRAGMA synchronous = FULL');
    this.db.exec('PRAGMA foreign_keys = ON');
    this.migrate();
  }

  private migrate(): void {
    this.transaction(() => {
      this.db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
      const row = this.db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
      for (let v = row.v ?? 0; v < MIGRATIONS.length; v++) {
        this.db.exec(MIGRATIONS[v]);
        this.db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(v + 1);
      }
    });
  }

  private sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  private get<T>(text: string, ...params: SQLInputValue[]): T | undefined {
    return this.sql(text).get(...params) as T | undefined;
  }

  private all<T>(text: string, ...params: SQLInputValue[]): T[] {
    return this.sql(text).all(...params) as T[];
  }

  private run(text: string, ...params: SQLInputValue[]): number {
    return Number(this.sql(text).run(...params).changes);
  }

  /** BEGIN IMMEDIATE takes the write lock up front, so a read-then-write cannot race another process. */
  private transaction<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      try {
        this.db.exec('ROLLBACK');
      } catch {
        // SQLite already rolled back (e.g. after SQLITE_FULL); the original error is the one to report.
      }
      throw error;
    }
  }

  // ── Enqueue ────────────────────────────────────────────────────────────────────────────────────────

  private enqueueOne(request: EnqueueRequest, now: number): EnqueueResult {
    if (request.idempotencyKey !== undefined) {
      const seen = this.get<{ id: number; request_id: string }>(
        'SELECT w.id, w.request_id FROM idempotency_keys k JOIN work_items w ON w.id = k.item_id WHERE k.key = ?',
        request.idempotencyKey,
      );
      if (seen) return { id: seen.id, requestId: seen.request_id, duplicate: true, coalesced: false };
    }
    let target: { id: number; request_id: string } | undefined;
    if (policy.coalesces(request)) {
      const last = this.get<{ id: number; request_id: string; kind: WorkKind; status: WorkStatus; event_at: number }>(
        `SELECT id, request_id, kind, status, event_at FROM work_items WHERE key = ? AND ${UNFINISHED} ORDER BY id DESC LIMIT 1`,
        request.key,
      );
      if (last && policy.absorbs(last, request)) {
        target = last;
        const eventAt = policy.mergedEventAt(request, last.event_at, now);
        if (eventAt !== null) {
          this.run('UPDATE work_items SET payload = ?, event_at = ?, updated_at = ? WHERE id = ?', JSON.stringify(request.payload), eventAt, now, last.id);
        }
      }
    }
    const coalesced = target !== undefined;
    if (!target) {
      const requestId = randomUUID();
      const times = policy.newItemTimes(request, now);
      const result = this.sql(
        `INSERT INTO work_items (request_id, kind, key, payload, source, status, attempts, next_attempt_at, event_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?)`,
      ).run(
        requestId,
        request.kind,
        request.key,
        JSON.stringify(request.payload),
        request.source,
        times.nextAttemptAt,
        times.eventAt,
        now,
        now,
      );
      target = { id: Number(result.lastInsertRowid), request_id: requestId };
    }
    if (request.idempotencyKey !== undefined) {
      this.run('INSERT INTO idempotency_keys (key, item_id, created_at) VALUES (?, ?, ?)', request.idempotencyKey, target.id, now);
    }
    return { id: target.id, requestId: target.request_id, duplicate: false, coalesced };
  }

  async enqueue(request: EnqueueRequest): Promise<EnqueueResult> {
    return this.transaction(() => this.enqueueOne(request, this.now()));
  }

  async enqueueMany(requests: readonly EnqueueRequest[]): Promise<EnqueueResult[]> {
    if (requests.length === 0) return [];
    return this.transaction(() => {
      const now = this.now();
      return requests.map((r) => this.enqueueOne(r, now));
    });
  }

  // ── Claim, complete, fail ──────────────────────────────────────────────────────────────────────────

  async claim(workerId: string, options: ClaimOptions): Promise<WorkItem[]> {
    const kinds = options.kinds ?? WORK_KINDS;
    if (options.limit <= 0 || kinds.length === 0) return [];
    return this.transaction(() => {
      const now = this.now();
      // CLAIM_SQL says which items are due and eligible. One ordered range of the claim index per kind (work_items_claim), merged: each stops at the limit.
      const rows = kinds
        .flatMap((kind) => this.all<ItemRow>(CLAIM_SQL, kind, now, now, options.limit))
        .map(toItem)
        .sort(policy.claimOrder)
        .slice(0, options.limit);
      const claimed: WorkItem[] = [];
      for (const due of rows) {
        const step = policy.claimStep(due, { workerId, now, leaseMs: options.leaseMs }, this.retry);
        if (step.action === 'park') {
          this.run(
            `UPDATE work_items SET status = 'dead', last_error = ?, updated_at = ?, completed_at = ?, claimed_by = NULL, lease_until = NULL WHERE id = ?`,
            JSON.stringify(step.error),
            now,
            now,
            due.id,
          );
          continue;
        }
        const { item } = step;
        this.run(
          `UPDATE work_items SET status = 'running', claimed_by = ?, lease_until = ?, attempts = ?, updated_at = ? WHERE id = ?`,
          workerId,
          item.leaseUntil,
          item.attempts,
          now,
          item.id,
        );
        claimed.push(item);
      }
      return claimed;
    });
  }

  /** True when `workerId` still holds the item; every write on a claimed item is fenced by this check. */
  private holds(id: number, workerId: string): boolean {
    return this.get(`SELECT 1 AS ok FROM work_items WHERE id = ? AND status = 'running' AND claimed_by = ?`, id, workerId) !== undefined;
  }

  async renewLease(id: number, workerId: string, leaseMs: number): Promise<boolean> {
    return this.transaction(() => {
      const now = this.now();
      return (
        this.run(
          `UPDATE work_items SET lease_until = ?, updated_at = ? WHERE id = ? AND status = 'running' AND claimed_by = ?`,
          now + leaseMs,
          now,
          id,
          workerId,
        ) === 1
      );
    });
  }

  /**
   * Completions asked for in the same turn of the event loop (a worker recording a whole inbound batch) share one
   * transaction and so one fsync; each still runs in its own savepoint and succeeds or fails on its own, and
   * none resolves before the shared commit.
   */
  async complete(id: number, workerId: string, completion: Completion): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.pendingCompletions.push({ id, workerId, completion, resolve, reject });
      if (this.pendingCompletions.length === 1) queueMicrotask(() => this.flushCompletions());
    });
  }

  private flushCompletions(): void {
    const batch = this.pendingCompletions.splice(0);
    const outcomes: ({ ok: true; value: boolean } | { ok: false; error: unknown })[] = [];
    try {
      this.transaction(() => {
        for (const entry of batch) {
          this.db.exec('SAVEPOINT complete_item');
          try {
            outcomes.push({ ok: true, value: this.completeOne(entry.id, entry.workerId, entry.completion) });
          } catch (error) {
            this.db.exec('ROLLBACK TO complete_item');
            outcomes.push({ ok: false, error });
          } finally {
            this.db.exec('RELEASE complete_item');
          }
        }
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

  private completeOne(id: number, workerId: string, completion: Completion): boolean {
    if (!this.holds(id, workerId)) return false;
    const now = this.now();
    const item = this.get<{ kind: WorkKind; key: string }>('SELECT kind, key FROM work_items WHERE id = ?', id)!;
    this.run(
      `UPDATE work_items SET status = 'done', outcome = ?, completed_at = ?, updated_at = ?, claimed_by = NULL, lease_until = NULL WHERE id = ?`,
      JSON.stringify(completion.outcome),
      now,
      now,
      id,
    );
    // A success for the same deal answers earlier dead letters about it: nothing is left for an admin to replay.
    if (completion.settleDeadLetters) this.run(
      `UPDATE work_items SET status = 'done', outcome = ?, completed_at = ?, updated_at = ? WHERE kind = ? AND key = ? AND status = 'dead' AND id < ?`,
      JSON.stringify(policy.supersededOutcome(id)),
      now,
      now,
      item.kind,
      item.key,
      id,
    );
    for (const update of completion.syncState ?? []) this.applySyncState(update, now);
    for (const request of completion.enqueue ?? []) this.enqueueOne(request, now);
    for (const [name, value] of Object.entries(completion.cursors ?? {})) this.writeCursor(name, value, now);
    return true;
  }

  async checkpoint(id: number, workerId: string, syncState: readonly SyncStateUpdate[]): Promise<boolean> {
    return this.transaction((): boolean => {
      const held = this.get<{ id: number }>(`SELECT id FROM work_items WHERE id = ? AND status = 'running' AND claimed_by = ?`, id, workerId);
      if (!held) return false;
      const now = this.now();
      for (const update of syncState) this.applySyncState(update, now);
      return true;
    });
  }

  async fail(id: number, workerId: string, failure: Failure): Promise<FailResult> {
    return this.transaction((): FailResult => {
      const row = this.get<{ attempts: number }>(
        `SELECT attempts FROM work_items WHERE id = ? AND status = 'running' AND claimed_by = ?`,
        id,
        workerId,
      );
      if (!row) return { status: 'lost' };
      const now = this.now();
      for (const update of failure.syncState ?? []) this.applySyncState(update, now);
      const step = policy.failStep(row, failure, this.retry, now, this.random);
      if (step.status === 'dead') {
        this.run(
          `UPDATE work_items SET status = 'dead', last_error = ?, updated_at = ?, completed_at = ?, claimed_by = NULL, lease_until = NULL WHERE id = ?`,
          JSON.stringify(step.error),
          now,
          now,
          id,
        );
        return { status: 'dead' };
      }
      this.run(
        `UPDATE work_items SET status = 'queued', next_attempt_at = ?, last_error = ?, updated_at = ?, claimed_by = NULL, lease_until = NULL WHERE id = ?`,
        step.nextAttemptAt,
        JSON.stringify(step.error),
        now,
        id,
      );
      return { status: 'queued', nextAttemptAt: step.nextAttemptAt };
    });
  }

  async release(id: number, workerId: string, reason = policy.RELEASE_REASON): Promise<boolean> {
    return this.transaction(() => {
      const row = this.get<{ attempts: number }>(`SELECT attempts FROM work_items WHERE id = ? AND status = 'running' AND claimed_by = ?`, id, workerId);
      if (!row) return false;
      const now = this.now();
      const step = policy.releaseStep(row, reason, now);
      this.run(
        `UPDATE work_items SET status = 'queued', attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ?, claimed_by = NULL, lease_until = NULL WHERE id = ?`,
        step.attempts,
        step.nextAttemptAt,
        JSON.stringify(step.error),
        now,
        id,
      );
      return true;
    });
  }

  // ── Reading items, dead letters ────────────────────────────────────────────────────────────────────

  async getItem(id: number): Promise<WorkItem | null> {
    const row = this.get<ItemRow>('SELECT * FROM work_items WHERE id = ?', id);
    return row ? toItem(row) : null;
  }

  async getItemByRequestId(requestId: string): Promise<WorkItem | null> {
    const row = this.get<ItemRow>('SELECT * FROM work_items WHERE request_id = ?', requestId);
    return row ? toItem(row) : null;
  }

  async listItems(filter: { status?: WorkStatus; kind?: WorkKind; key?: string; limit?: number }): Promise<WorkItem[]> {
    const where: string[] = [];
    const params: SQLInputValue[] = [];
    for (const [column, value] of [['status', filter.status], ['kind', filter.kind], ['key', filter.key]] as const) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    return this.all<ItemRow>(`SELECT * FROM work_items ${clause} ORDER BY id LIMIT ?`, ...params, filter.limit ?? 1000).map(toItem);
  }

  async listDeadLetters(options: { kind?: WorkKind; limit?: number } = {}): Promise<WorkItem[]> {
    return this.listItems({ status: 'dead', kind: options.kind, limit: options.limit });
  }

  async replay(id: number): Promise<boolean> {
    return (await this.requeueDead('id = ?', id)) === 1;
  }

  async replayAll(kind?: WorkKind): Promise<number> {
    return kind ? this.requeueDead('kind = ?', kind) : this.requeueDead('1 = 1');
  }

  /** Replays the dead letters `where` selects (see `policy.replayStep`); how many there were. */
  private async requeueDead(where: string, ...params: SQLInputValue[]): Promise<number> {
    return this.transaction(() => {
      const now = this.now();
      const step = policy.replayStep(now);
      return this.run(
        `UPDATE work_items SET status = 'queued', attempts = ?, next_attempt_at = ?, completed_at = NULL, updated_at = ? WHERE status = 'dead' AND ${where}`,
        step.attempts,
        step.nextAttemptAt,
        now,
        ...params,
      );
    });
  }

  // ── Sync state and cursors ─────────────────────────────────────────────────────────────────────────

  async getSyncState(by: { opportunityId: string } | { referralId: string }): Promise<SyncState | null> {
    const row =
      'opportunityId' in by
        ? this.get<SyncRow>('SELECT * FROM sync_state WHERE opportunity_id = ?', by.opportunityId)
        : this.get<SyncRow>('SELECT * FROM sync_state WHERE referral_id = ?', by.referralId);
    return row ? toSyncState(row) : null;
  }

  /** Finds the row(s) the update names; when it links an opportunity row and a referral row, merges them. */
  private applySyncState(update: SyncStateUpdate, now: number): void {
    const byOpp = update.opportunityId ? this.get<SyncRow>('SELECT * FROM sync_state WHERE opportunity_id = ?', update.opportunityId) : undefined;
    const byRef = update.referralId ? this.get<SyncRow>('SELECT * FROM sync_state WHERE referral_id = ?', update.referralId) : undefined;
    let rowId: number;
    if (byOpp && byRef && byOpp.id !== byRef.id) {
      // Keep the opportunity's row, fill its gaps from the referral's row, then drop the latter.
      this.run('DELETE FROM sync_state WHERE id = ?', byRef.id);
      this.run(
        `UPDATE sync_state SET
           e_tag = COALESCE(e_tag, ?), referral = COALESCE(referral, ?), baseline = COALESCE(baseline, ?), lead_id = COALESCE(lead_id, ?),
           last_outbound_at = COALESCE(last_outbound_at, ?), last_inbound_at = COALESCE(last_inbound_at, ?), referral_id = NULL
         WHERE id = ?`,
        byRef.e_tag,
        byRef.referral,
        byRef.baseline,
        byRef.lead_id,
        byRef.last_outbound_at,
        byRef.last_inbound_at,
        byOpp.id,
      );
      rowId = byOpp.id;
    } else if (byOpp ?? byRef) {
      rowId = (byOpp ?? byRef)!.id;
    } else {
      rowId = Number(this.sql('INSERT INTO sync_state (updated_at) VALUES (?)').run(now).lastInsertRowid);
    }
    const sets: string[] = ['updated_at = ?'];
    const params: SQLInputValue[] = [now];
    const set = (column: string, value: SQLInputValue) => (sets.push(`${column} = ?`), params.push(value));
    if (update.opportunityId !== undefined) set('opportunity_id', update.opportunityId);
    if (update.referralId !== undefined) set('referral_id', update.referralId);
    if (update.referral !== undefined) set('referral', update.referral === null ? null : JSON.stringify(update.referral));
    if (update.baseline !== undefined) set('baseline', update.baseline === null ? null : JSON.stringify(update.baseline));
    if (update.opportunityDeleted !== undefined) set('opportunity_deleted', update.opportunityDeleted ? 1 : 0);
    for (const [property, column] of Object.entries(SYNC_COLUMNS)) {
      const value = update[property as keyof typeof SYNC_COLUMNS];
      if (value !== undefined) set(column, value);
    }
    this.run(`UPDATE sync_state SET ${sets.join(', ')} WHERE id = ?`, ...params, rowId);
  }

  private writeCursor(name: string, value: string, now: number): void {
    this.run(
      'INSERT INTO cursors (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      name,
      value,
      now,
    );
  }

  async getCursor(name: string): Promise<string | null> {
    return this.get<{ value: string }>('SELECT value FROM cursors WHERE name = ?', name)?.value ?? null;
  }

  async setCursor(name: string, value: string): Promise<void> {
    this.transaction(() => this.writeCursor(name, value, this.now()));
  }

  // ── Status, heartbeats, housekeeping ───────────────────────────────────────────────────────────────

  async stats(): Promise<StoreStats> {
    const now = this.now();
    const counts = this.all<{ kind: WorkKind; status: WorkStatus; n: number }>(
      `SELECT kind, status, COUNT(*) AS n FROM work_items WHERE status IN ('queued', 'running', 'dead') GROUP BY kind, status`,
    );
    const lastSuccesses = WORK_KINDS.map((kind) => ({
      kind,
      t: this.get<{ t: number | null }>(`SELECT MAX(completed_at) AS t FROM work_items WHERE kind = ? AND status = 'done'`, kind)?.t ?? null,
    }));
    const oldest = this.get<{ t: number | null }>(
      `SELECT MIN(next_attempt_at) AS t FROM work_items WHERE status = 'queued' AND next_attempt_at <= ?`,
      now,
    );
    return tallyStats(counts, lastSuccesses, oldest?.t ?? null);
  }

  async heartbeat(beat: Omit<WorkerHeartbeat, 'heartbeatAt'>): Promise<void> {
    this.transaction(() =>
      this.run(
        `INSERT INTO heartbeats (worker_id, pid, host, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (worker_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`,
        beat.workerId,
        beat.pid,
        beat.host || hostname(),
        beat.startedAt,
        this.now(),
      ),
    );
  }

  async removeHeartbeat(workerId: string): Promise<void> {
    this.transaction(() => this.run('DELETE FROM heartbeats WHERE worker_id = ?', workerId));
  }

  async listHeartbeats(): Promise<WorkerHeartbeat[]> {
    return this.all<{ worker_id: string; pid: number; host: string; started_at: number; heartbeat_at: number }>(
      'SELECT * FROM heartbeats ORDER BY heartbeat_at DESC',
    ).map((r) => ({ workerId: r.worker_id, pid: r.pid, host: r.host, startedAt: r.started_at, heartbeatAt: r.heartbeat_at }));
  }

  async prune(before: number): Promise<number> {
    // Idempotency keys go with their items (ON DELETE CASCADE); dead letters stay until replayed.
    return this.transaction(() => this.run(`DELETE FROM work_items WHERE status = 'done' AND completed_at < ?`, before));
  }

  async ping(): Promise<void> {
    this.get('SELECT 1 AS ok FROM schema_version LIMIT 1');
  }

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }
}
