/**
 * Writing a sync's result back to the opportunity without overwriting what the seller changed since the connector
 * read it. The result (Synced, the ✔ mark on the name, the audit line) belongs to the version of the record that
 * was sent; a seller who renames the deal or edits its amount while the sync is in flight has made a newer
 * version, which must keep its values and stay Pending until it is sent in turn.
 *
 * The org does the comparison: the write is an sObject Rows PATCH with `If-Unmodified-Since` (gateway.ts), which
 * Salesforce refuses with 412 when the record was modified after the date. That header is an HTTP-date, whole
 * seconds, and Salesforce keeps LastModifiedDate to the second, so an edit made in the same second as the version
 * read carries the same date and is invisible to it. The connector therefore only trusts a version once its
 * second is over: if the record was read before then, it waits for the second to close (plus a margin for the
 * two clocks) and reads it again. A later edit then has a later second, which the header does see; one made
 * before the second ended shows in the second read.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { OpportunityRecord } from '../engine/salesforce-records.js';
import type { SaveSpec, SObjectRecord } from '../salesforce/gateway.js';
import { SyncFailure } from './failures.js';
import type { SyncDeps } from './types.js';

/** How far the connector's clock may run ahead of Salesforce's without a same-second edit going unseen. */
export const CLOCK_MARGIN_MS = 250;
/** Conflicting edits tolerated in one write-back before the item is retried from scratch. */
export const MAX_WRITE_CONFLICTS = 4;

/** A read of the opportunity and when it was sent (the connector's clock, taken before the query went out). */
export interface OpportunityRead {
  record: OpportunityRecord;
  readAt: number;
}

/** When no edit can share the record's LastModifiedDate second any more. */
export function sealedAt(lastModified: string, marginMs = CLOCK_MARGIN_MS): number {
  const ms = Date.parse(lastModified);
  return Math.floor(ms / 1000) * 1000 + 1000 + marginMs;
}

export interface ConditionalWriteBack {
  opportunityId: string;
  /** The version the sync read and sent. */
  sent: OpportunityRead;
  /** Reads the opportunity again (undefined: deleted meanwhile). */
  reread: () => Promise<OpportunityRead | undefined>;
  /** Whether `latest` is still the version sent, as far as the write-back is concerned. */
  sameVersion: (sent: OpportunityRecord, latest: OpportunityRecord) => boolean;
  /** The fields to write onto `latest`; `current` says whether it is still the version sent. */
  fields: (latest: OpportunityRecord, current: boolean) => SObjectRecord;
  /** The record in a seller's words, for errors. */
  label: string;
  /**
   * Writes that belong to the write-back (the attempt's sync log and status event): sent in the same call, written
   * only with it (gateway.ts). `alongsideWritten` in the result says whether they were; if not, the caller writes them.
   */
  alongside?: (latest: OpportunityRecord, current: boolean) => SaveSpec[];
}

export type WriteBackResult =
  | { written: true; current: boolean; record: OpportunityRecord; alongsideWritten: boolean }
  | { written: false; reason: 'deleted' };

export async function writeBackUnlessChanged(deps: Pick<SyncDeps, 'salesforce' | 'now'>, plan: ConditionalWriteBack): Promise<WriteBackResult> {
  let latest = plan.sent;
  let conflicts = 0;
  for (;;) {
    const lastModified = latest.record.LastModifiedDate;
    if (typeof lastModified !== 'string' || Number.isNaN(Date.parse(lastModified))) {
      throw new SyncFailure('park', `${plan.label} was read without its LastModifiedDate, so the result cannot be written back safely.`, { code: 'INTERNAL' });
    }
    const sealed = sealedAt(lastModified);
    if (latest.readAt < sealed) {
      // Read within the version's own second: a same-second edit could hide behind the header. Look again after it.
      // A timer may fire a millisecond before the clock says it is due: wait until it really is, or the read
      // below would count as inside the second too and cost another read.
      for (let wait = sealed - deps.now(); wait > 0; wait = sealed - deps.now()) await sleep(wait);
      const again = await plan.reread();
      if (!again) return { written: false, reason: 'deleted' };
      latest = again;
      continue;
    }
    const current = plan.sameVersion(plan.sent.record, latest.record);
    const alongside = plan.alongside?.(latest.record, current) ?? [];
    const outcome = await deps.salesforce.updateIfUnmodified('Opportunity', plan.opportunityId, plan.fields(latest.record, current), lastModified, plan.label, alongside);
    if (outcome !== 'modified') return { written: true, current, record: latest.record, alongsideWritten: outcome === 'saved' && alongside.length > 0 };
    conflicts += 1;
    if (conflicts >= MAX_WRITE_CONFLICTS) {
      throw new SyncFailure('retry', `${plan.label} kept changing while the connector wrote the sync result back; it is synced again with the newest values.`, {
        code: 'SF_CONCURRENT_EDIT',
      });
    }
    const again = await plan.reread();
    if (!again) return { written: false, reason: 'deleted' };
    latest = again;
  }
}
