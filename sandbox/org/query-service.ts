/**
 * The query resource: runs SOQL and pages large results like Salesforce. A result over the batch size (2,000 by
 * default; the Sforce-Query-Options header may ask for 200..2,000) is kept under a query locator and returned in
 * batches; `nextRecordsUrl` is `/services/data/vXX.X/query/<locator>-<offset>`.
 */
import { ApiError } from './errors.js';
import { mintId } from './ids.js';
import type { Schema } from './schema.js';
import { compileQuery } from './soql-compile.js';
import { runPlan, runValues, type ShapedRecord } from './soql-run.js';
import type { Store } from './store.js';

export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: ShapedRecord[];
}

export interface QueryOptions {
  includeDeleted?: boolean;
  version: string;
  batchSize?: number;
}

interface Cursor {
  records: ShapedRecord[];
  totalSize: number;
  batchSize: number;
  expiresAt: number;
}

const DEFAULT_BATCH = 2000;
const MIN_BATCH = 200;
/** Salesforce keeps an idle query locator for 15 minutes. */
const CURSOR_TTL_MS = 15 * 60_000;
const LOCATOR_PREFIX = '01g';

export class QueryService {
  private readonly cursors = new Map<string, Cursor>();
  private cursorSeq = 0;

  constructor(private readonly store: Store, private readonly schema: Schema, private readonly now: () => number) {}

  execute(soql: string, options: QueryOptions): QueryPage {
    const includeDeleted = options.includeDeleted ?? false;
    const plan = compileQuery(soql, {
      schema: this.schema,
      now: this.now(),
      runValues: (inner) => runValues(this.store, inner),
    });
    const { totalSize, records } = runPlan(this.store, plan, { includeDeleted, version: options.version });
    const batchSize = clampBatch(options.batchSize);
    if (records.length <= batchSize) return { totalSize, done: true, records };
    this.expire();
    const cursorId = mintId(LOCATOR_PREFIX, ++this.cursorSeq);
    this.cursors.set(cursorId, { records, totalSize, batchSize, expiresAt: this.now() + CURSOR_TTL_MS });
    return this.page(cursorId, 0, options.version);
  }

  /** The next batch for a locator of the form `<cursorId>-<offset>`. */
  more(locator: string, version: string): QueryPage {
    const m = /^([A-Za-z0-9]{15,18})-(\d+)$/.exec(locator);
    const cursor = m ? this.cursors.get(m[1]) : undefined;
    if (!m || !cursor || cursor.expiresAt < this.now() || Number(m[2]) >= cursor.records.length) {
      throw new ApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    cursor.expiresAt = this.now() + CURSOR_TTL_MS;
    return this.page(m[1], Number(m[2]), version);
  }

  private page(cursorId: string, offset: number, version: string): QueryPage {
    const cursor = this.cursors.get(cursorId) as Cursor;
    const end = offset + cursor.batchSize;
    const records = cursor.records.slice(offset, end);
    if (end >= cursor.records.length) {
      this.cursors.delete(cursorId);
      return { totalSize: cursor.totalSize, done: true, records };
    }
    return {
      totalSize: cursor.totalSize,
      done: false,
      nextRecordsUrl: `/services/data/v${version}/query/${cursorId}-${end}`,
      records,
    };
  }

  private expire(): void {
    const now = this.now();
    for (const [id, c] of this.cursors) if (c.expiresAt < now) this.cursors.delete(id);
  }
}

function clampBatch(requested: number | undefined): number {
  if (!requested || !Number.isFinite(requested)) return DEFAULT_BATCH;
  return Math.min(DEFAULT_BATCH, Math.max(MIN_BATCH, Math.floor(requested)));
}
