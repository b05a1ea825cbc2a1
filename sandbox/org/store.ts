/**
 * SQLite persistence (node:sqlite). Records are JSON documents keyed by id; external-id and unique values live in
 * a side table so upserts and DUPLICATE_VALUE checks are index look-ups. Transactions nest as savepoints so an
 * all-or-none composite request can wrap per-record savepoints; callbacks registered with afterCommit run only
 * once the outermost transaction commits (the platform's "publish after commit").
 */
import { DatabaseSync } from 'node:sqlite';
import type { StoredRecord } from './values.js';

export interface RecordRow {
  id: string;
  type: string;
  data: StoredRecord;
  deleted: boolean;
  deletedAt: string | null;
}

export interface KeyEntry {
  field: string;
  value: string;
  unique: boolean;
}

interface Frame {
  afterCommit: (() => void)[];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS records (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT
);
CREATE INDEX IF NOT EXISTS records_by_type ON records (type, deleted, id);
CREATE TABLE IF NOT EXISTS record_keys (
  type TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  id TEXT NOT NULL,
  is_unique INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS record_keys_lookup ON record_keys (type, field, value);
CREATE INDEX IF NOT EXISTS record_keys_by_id ON record_keys (id);
CREATE UNIQUE INDEX IF NOT EXISTS record_keys_unique ON record_keys (type, field, value) WHERE is_unique = 1;
-- One row per trigram of a LIKE-indexed field, keyed "Type.Field:gram" so a look-up is one index range.
CREATE TABLE IF NOT EXISTS record_grams (
  gram_key TEXT NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (gram_key, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS record_grams_by_id ON record_grams (id);
CREATE TABLE IF NOT EXISTS sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events (
  replay_id INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  uuid TEXT NOT NULL,
  payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  entry TEXT NOT NULL
);
`;

/**
 * Version of what the index tables hold (PRAGMA user_version). A database written by an older version, whose
 * indexes cover fewer fields, is re-indexed on open (Org calls Dml.reindex when `needsReindex`).
 */
const INDEX_VERSION = 2;

/** A trigram held by more rows than this is no better than a scan; counting stops here. */
const GRAM_COUNT_CAP = 256;

export class Store {
  private readonly db: DatabaseSync;
  /** The database holds records indexed by an older version of the org. */
  readonly needsReindex: boolean;
  private readonly frames: Frame[] = [];
  private readonly stmt;

  constructor(path = ':memory:') {
    this.db = new DatabaseSync(path);
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    this.db.exec(SCHEMA);
    const version = Number((this.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
    const hasRecords = this.db.prepare('SELECT 1 AS x FROM records LIMIT 1').get() !== undefined;
    this.needsReindex = version < INDEX_VERSION && hasRecords;
    if (!this.needsReindex) this.db.exec(`PRAGMA user_version = ${INDEX_VERSION}`);
    this.stmt = {
      get: this.db.prepare('SELECT id, type, data, deleted, deleted_at FROM records WHERE id = ?'),
      list: this.db.prepare('SELECT id, type, data, deleted, deleted_at FROM records WHERE type = ? AND deleted = 0 ORDER BY id'),
      listAll: this.db.prepare('SELECT id, type, data, deleted, deleted_at FROM records WHERE type = ? ORDER BY id'),
      listDeleted: this.db.prepare('SELECT id, type, data, deleted, deleted_at FROM records WHERE type = ? AND deleted = 1 ORDER BY id'),
      insert: this.db.prepare('INSERT INTO records (id, type, data) VALUES (?, ?, ?)'),
      update: this.db.prepare('UPDATE records SET data = ? WHERE id = ?'),
      remove: this.db.prepare('UPDATE records SET deleted = 1, deleted_at = ?, data = ? WHERE id = ?'),
      keysDelete: this.db.prepare('DELETE FROM record_keys WHERE id = ?'),
      keysFind: this.db.prepare('SELECT id FROM record_keys WHERE type = ? AND field = ? AND value = ? ORDER BY id'),
      gramsDelete: this.db.prepare('DELETE FROM record_grams WHERE id = ?'),
      // A record's entries go in as one JSON array: one statement per save instead of one per entry.
      keysInsertAll: this.db.prepare(
        'INSERT INTO record_keys (type, field, value, id, is_unique) SELECT ?, value ->> 0, value ->> 1, ?, value ->> 2 FROM json_each(?)',
      ),
      gramsInsertAll: this.db.prepare('INSERT OR IGNORE INTO record_grams (gram_key, id) SELECT value, ? FROM json_each(?)'),
      gramCount: this.db.prepare(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM record_grams WHERE gram_key = ? LIMIT ${GRAM_COUNT_CAP + 1})`),
      gramFind: this.db.prepare('SELECT id FROM record_grams WHERE gram_key = ?'),
      seqGet: this.db.prepare('SELECT value FROM sequences WHERE name = ?'),
      seqSet: this.db.prepare('INSERT INTO sequences (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
      eventInsert: this.db.prepare('INSERT INTO events (type, uuid, payload) VALUES (?, ?, ?)'),
      eventList: this.db.prepare('SELECT replay_id, uuid, payload FROM events WHERE type = ? AND replay_id > ? ORDER BY replay_id'),
      deliveryInsert: this.db.prepare('INSERT INTO deliveries (entry) VALUES (?)'),
      deliveryList: this.db.prepare('SELECT entry FROM deliveries ORDER BY seq'),
      count: this.db.prepare('SELECT COUNT(*) AS n FROM records WHERE type = ?'),
    };
  }

  close(): void {
    this.db.close();
  }

  // --- records -------------------------------------------------------------------------------------------

  get(id: string): RecordRow | undefined {
    const row = this.stmt.get.get(id);
    return row ? toRow(row) : undefined;
  }

  /** Live records of a type in id order; with includeDeleted, the recycle bin too (queryAll). */
  list(type: string, includeDeleted = false): RecordRow[] {
    return (includeDeleted ? this.stmt.listAll : this.stmt.list).all(type).map(toRow);
  }

  /** The records of a type in the recycle bin, in id order. */
  listDeleted(type: string): RecordRow[] {
    return this.stmt.listDeleted.all(type).map(toRow);
  }

  /** Live (or all) records of a type whose field holds one of the values; used to fetch children of a few parents. */
  listWhereIn(type: string, field: string, values: string[], includeDeleted = false): RecordRow[] {
    if (!/^[A-Za-z0-9_]+$/.test(field)) throw new Error(`bad field name ${field}`);
    const out: RecordRow[] = [];
    // SQLite limits bound parameters per statement; 500 per chunk stays well below it.
    for (let i = 0; i < values.length; i += 500) {
      const chunk = values.slice(i, i + 500);
      const sql = `SELECT id, type, data, deleted, deleted_at FROM records WHERE type = ? ${includeDeleted ? '' : 'AND deleted = 0'} `
        + `AND json_extract(data, '$.${field}') IN (${chunk.map(() => '?').join(', ')}) ORDER BY id`;
      out.push(...this.db.prepare(sql).all(type, ...chunk).map(toRow));
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** How many records of a type were ever stored (deleted ones included); seeds use it to stay idempotent. */
  countAll(type: string): number {
    return Number((this.stmt.count.get(type) as { n: number }).n);
  }

  insert(type: string, id: string, data: StoredRecord): void {
    this.stmt.insert.run(id, type, JSON.stringify(data));
  }

  update(id: string, data: StoredRecord): void {
    this.stmt.update.run(JSON.stringify(data), id);
  }

  markDeleted(id: string, at: string, data: StoredRecord): void {
    this.stmt.remove.run(at, JSON.stringify(data), id);
    this.stmt.keysDelete.run(id);
    this.stmt.gramsDelete.run(id);
  }

  /** Replaces the indexed key values (indexed fields: external ids, unique fields, lookups ...) of one record. */
  setKeys(type: string, id: string, keys: KeyEntry[], fresh = false): void {
    if (!fresh) this.stmt.keysDelete.run(id);
    if (keys.length > 0) this.stmt.keysInsertAll.run(type, id, JSON.stringify(keys.map((k) => [k.field, k.value, k.unique ? 1 : 0])));
  }

  /** Replaces the trigrams of one record's LIKE-indexed fields (`fresh`: a new record, nothing to replace). */
  setGrams(type: string, id: string, fields: { field: string; grams: string[] }[], fresh = false): void {
    if (!fresh) this.stmt.gramsDelete.run(id);
    const keys = fields.flatMap(({ field, grams }) => grams.map((gram) => `${type}.${field}:${gram}`));
    if (keys.length > 0) this.stmt.gramsInsertAll.run(id, JSON.stringify(keys));
  }

  /**
   * Ids of live records whose field contains every one of `grams`, as a superset: the ids holding the rarest of
   * them. Null when every gram is too common to narrow anything (the caller scans instead).
   */
  findByGrams(type: string, field: string, grams: string[]): string[] | null {
    let best: string | null = null;
    let bestCount = GRAM_COUNT_CAP + 1;
    for (const gram of grams) {
      const n = Number((this.stmt.gramCount.get(`${type}.${field}:${gram}`) as { n: number }).n);
      if (n < bestCount) [best, bestCount] = [gram, n];
      if (n === 0) return [];
    }
    if (best === null || bestCount > GRAM_COUNT_CAP) return null;
    return this.stmt.gramFind.all(`${type}.${field}:${best}`).map((r) => String(r.id));
  }

  /** Marks the indexes as current once Dml.reindex has rebuilt them. */
  reindexed(): void {
    this.db.exec(`PRAGMA user_version = ${INDEX_VERSION}`);
  }

  /** Ids of live records whose key field has this (already case-folded) value. */
  findByKey(type: string, field: string, value: string): string[] {
    return this.stmt.keysFind.all(type, field, value).map((r) => String(r.id));
  }

  /** Next value of a named counter (ids, auto-numbers); starts at 1. */
  nextSeq(name: string): number {
    const current = this.stmt.seqGet.get(name) as { value: number } | undefined;
    const next = Number(current?.value ?? 0) + 1;
    this.stmt.seqSet.run(name, next);
    return next;
  }

  // --- platform events and delivery log ------------------------------------------------------------------

  insertEvent(type: string, uuid: string, payload: StoredRecord): number {
    return Number(this.stmt.eventInsert.run(type, uuid, JSON.stringify(payload)).lastInsertRowid);
  }

  listEvents(type: string, afterReplayId = 0): { replayId: number; uuid: string; payload: StoredRecord }[] {
    return this.stmt.eventList.all(type, afterReplayId).map((r) => ({
      replayId: Number(r.replay_id),
      uuid: String(r.uuid),
      payload: JSON.parse(String(r.payload)) as StoredRecord,
    }));
  }

  appendDelivery(entry: object): void {
    this.stmt.deliveryInsert.run(JSON.stringify(entry));
  }

  listDeliveries<T>(): T[] {
    return this.stmt.deliveryList.all().map((r) => JSON.parse(String(r.entry)) as T);
  }

  // --- transactions --------------------------------------------------------------------------------------

  get inTransaction(): boolean {
    return this.frames.length > 0;
  }

  /**
   * Runs fn atomically; nested calls become savepoints. fn must be synchronous: the org never awaits while a
   * transaction is open, which is also what keeps concurrent HTTP requests from interleaving inside one.
   */
  transaction<T>(fn: () => T): T {
    const outer = this.frames.length === 0;
    const savepoint = `sp${this.frames.length}`;
    this.db.exec(outer ? 'BEGIN' : `SAVEPOINT ${savepoint}`);
    const frame: Frame = { afterCommit: [] };
    this.frames.push(frame);
    let result: T;
    try {
      result = fn();
      if (result instanceof Promise) throw new Error('transaction callbacks must be synchronous');
    } catch (err) {
      this.frames.pop();
      this.db.exec(outer ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
      throw err;
    }
    this.frames.pop();
    if (outer) {
      this.db.exec('COMMIT');
      for (const cb of frame.afterCommit) cb();
    } else {
      this.db.exec(`RELEASE ${savepoint}`);
      this.frames[this.frames.length - 1].afterCommit.push(...frame.afterCommit);
    }
    return result;
  }

  /** Runs cb when the current transaction commits (dropped if it rolls back); at once outside a transaction. */
  afterCommit(cb: () => void): void {
    const top = this.frames[this.frames.length - 1];
    if (top) top.afterCommit.push(cb);
    else cb();
  }
}

function toRow(r: Record<string, unknown>): RecordRow {
  return {
    id: String(r.id),
    type: String(r.type),
    data: JSON.parse(String(r.data)) as StoredRecord,
    deleted: Number(r.deleted) === 1,
    deletedAt: r.deleted_at === null ? null : String(r.deleted_at),
  };
}
