/**
 * The worker loop: claims due items with a lease, runs them (outbound and sweeps one at a time, inbound in
 * batches so Salesforce writes go out as collections), renews leases while they run, and records each outcome:
 * done (with its sync state, in one transaction), retried with backoff, or parked as a dead letter — writing
 * the failure where the seller looks first. A configuration problem (rejected credentials, invalid settings)
 * pauses claiming instead of burning every item's attempts; health reports why.
 */
import { hostname } from 'node:os';
import type { SweepConfig, WorkerConfig } from '../config/types.js';
import type { ConnectorMetrics } from '../observability/metrics.js';
import { parksAfterFailure } from '../queue/policy.js';
import type { WorkItem } from '../queue/types.js';
import { COLLECTION_LIMIT } from '../salesforce/gateway.js';
import { toSyncFailure } from './failures.js';
import { processInbound } from './inbound.js';
import { processOutbound } from './outbound.js';
import { processSweep } from './sweeps.js';
import type { ItemResult, SyncDeps } from './types.js';
import type { OpportunityRecord } from '../engine/salesforce-records.js';
import { toId18 } from '../model/salesforce-id.js';
import { writeBackUnlessChanged, type OpportunityRead } from './conditional-writeback.js';
import { failureFields, statusEvent, type AttemptReport } from './writeback.js';

/** What the health check reads from the worker (http/health.ts states the same shape; the service wires the two). */
export interface WorkerLiveness {
  running: boolean;
  /** Last time the worker loop went round (ms since epoch). */
  lastTickAt: number | null;
  /** Set while sync is paused on a configuration problem an admin must fix. */
  pausedReason?: string | null;
}

export interface WorkerOptions {
  workerId: string;
  config: WorkerConfig;
  sweeps: SweepConfig;
  metrics: ConnectorMetrics;
  /** Inbound items run together so their Salesforce writes share collection calls; default one full collection (200). */
  inboundBatchSize?: number;
  /** First pause after a configuration error; doubles up to `maxPauseMs`. */
  pauseMs?: number;
  maxPauseMs?: number;
}

/** The part of the configuration a pause is about, from the failure's code (failures.ts, salesforce/errors.ts). */
export type PauseScope = 'settings' | 'salesforce' | 'partnerCenter';

const SALESFORCE_ACCESS = new Set(['SF_LOGIN', 'LOGIN_FAILED', 'INVALID_SESSION_ID', 'API_DISABLED_FOR_ORG', 'INVALID_OPERATION_WITH_EXPIRED_PASSWORD']);

/**
 * Partner Center sign-in; the Salesforce login itself; anything else (the settings, the fields and objects they
 * name, the integration user's access to them) counts as the sync's own configuration, which only a real sync
 * proves fixed.
 */
export function pauseScope(code: string | undefined): PauseScope {
  if (code?.startsWith('PC_')) return 'partnerCenter';
  if (code && SALESFORCE_ACCESS.has(code)) return 'salesforce';
  return 'settings';
}

const PARK_HINT = (id: number) =>
  ` It is parked as dead letter #${id}: fix the cause, then save the opportunity again or ask an admin to run \`cosell dead-letters replay ${id}\`.`;

export class Worker {
  readonly workerId: string;
  #running = false;
  #loop: Promise<void> | undefined;
  #lastTickAt: number | null = null;
  #wake: (() => void) | undefined;
  #inFlight = new Map<Promise<void>, WorkItem[]>();
  #pausedUntil = 0;
  #pauseMs: number;
  #pauseReason: string | null = null;
  /** What the pause is about: only a success that used that part of the configuration ends it. */
  #pauseScope: PauseScope | null = null;
  #startedAt = 0;
  /** Items given back at shutdown while still running: their late outcome is not recorded. */
  #released = new Set<number>();

  constructor(
    private readonly deps: SyncDeps,
    private readonly options: WorkerOptions,
  ) {
    this.workerId = options.workerId;
    this.#pauseMs = options.pauseMs ?? 30_000;
  }

  liveness(): WorkerLiveness {
    return { running: this.#running, lastTickAt: this.#lastTickAt, pausedReason: this.#pauseReason };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#startedAt = this.deps.now();
    this.#loop = this.#run();
  }

  /** New work arrived: look now instead of at the next poll. */
  wake(): void {
    this.#wake?.();
  }

  /**
   * Stops claiming, lets running items finish for up to `graceMs`, then gives the rest back to the queue
   * (without spending an attempt) so another instance or the next start picks them up at once.
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.wake();
    await this.#loop;
    const pending = [...this.#inFlight.keys()];
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(pending), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const items of this.#inFlight.values()) {
      for (const item of items) {
        this.#released.add(item.id);
        await this.deps.store.release(item.id, this.workerId);
      }
    }
    await this.deps.store.removeHeartbeat(this.workerId);
  }

  async #run(): Promise<void> {
    let lastBeat = 0;
    while (this.#running) {
      const now = this.deps.now();
      this.#lastTickAt = now;
      try {
        if (now - lastBeat >= 10_000) {
          await this.deps.store.heartbeat({ workerId: this.workerId, pid: process.pid, host: hostname(), startedAt: this.#startedAt });
          lastBeat = now;
        }
        if (now >= this.#pausedUntil) await this.#claimAndStart();
      } catch (error) {
        this.deps.logger.error({ err: error }, 'worker loop error');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.config.pollIntervalMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  async #claimAndStart(): Promise<number> {
    const { config } = this.options;
    let free = config.concurrency - this.#inFlight.size;
    let started = 0;
    if (free > 0) {
      const batch = await this.deps.store.claim(this.workerId, { limit: this.options.inboundBatchSize ?? COLLECTION_LIMIT, leaseMs: config.leaseMs, kinds: ['inbound'] });
      if (batch.length > 0) {
        this.#track(batch, () => processInbound(batch, this.deps));
        free--;
        started += batch.length;
      }
    }
    if (free > 0) {
      for (const item of await this.deps.store.claim(this.workerId, { limit: free, leaseMs: config.leaseMs, kinds: ['outbound', 'sweep'] })) {
        const run = item.kind === 'sweep' ? () => processSweep(item, this.deps, this.options.sweeps) : () => processOutbound(item, this.deps);
        this.#track([item], async () => new Map([[item.id, await run()]]));
        started++;
      }
    }
    return started;
  }

  #track(items: WorkItem[], run: () => Promise<Map<number, ItemResult>>): void {
    const { leaseMs } = this.options.config;
    const renew = setInterval(() => {
      for (const item of items) void this.deps.store.renewLease(item.id, this.workerId, leaseMs).catch(() => undefined);
    }, Math.max(1000, Math.floor(leaseMs / 3)));
    const task = (async () => {
      let results: Map<number, ItemResult>;
      try {
        results = await run();
      } catch (error) {
        // Processors return failures; a throw here is a defect. Record it per item rather than lose the items.
        this.deps.logger.error({ err: error }, 'processor threw');
        results = new Map();
      } finally {
        clearInterval(renew);
      }
      const record = async (item: WorkItem) => {
        try {
          await this.#record(item, results.get(item.id));
        } catch (error) {
          // The lease expires and the item is claimed again: nothing is lost.
          this.deps.logger.error({ err: error, itemId: item.id }, 'could not record the outcome of an item');
        }
      };
      const live = items.filter((item) => !this.#released.has(item.id));
      // Successes are recorded together, so the store commits a whole batch at once; failures one by one, as
      // each may write to Salesforce first.
      await Promise.all(live.filter((item) => results.get(item.id)?.status === 'done').map(record));
      for (const item of live.filter((i) => results.get(i.id)?.status !== 'done')) await record(item);
    })();
    this.#inFlight.set(task, items);
    void task.finally(() => {
      this.#inFlight.delete(task);
      this.wake();
    });
  }

  async #record(item: WorkItem, result: ItemResult | undefined): Promise<void> {
    const { store, logger, now } = this.deps;
    const { metrics } = this.options;
    if (!result) {
      result = {
        status: 'failed',
        failure: toSyncFailure(new Error('no result was produced for the item'), 'sync'),
        context: { direction: item.kind === 'outbound' ? 'outbound' : 'inbound', opportunity: null, referralId: null, operation: 'sync' },
      };
    }
    if (result.status === 'done') {
      const ok = await store.complete(item.id, this.workerId, {
        outcome: result.outcome,
        settleDeadLetters: result.settles !== false,
        syncState: result.syncState,
        enqueue: result.enqueue,
        cursors: result.cursors,
      });
      if (ok) {
        metrics.recordSuccess(item.kind, item.eventAt, now());
        if (result.enqueue?.length) this.wake();
        this.#resumeAfter(item, result.settles !== false);
        logger.info({ itemId: item.id, kind: item.kind, key: item.key, outcome: result.outcome }, 'sync item done');
      } else {
        logger.warn({ itemId: item.id }, 'lease lost before the item was recorded as done; another worker owns it');
      }
      return;
    }
    const { failure, context } = result;
    // Everything below leaves the connector (audit trail, sync log, store, health, log): one redaction first.
    const failed = this.deps.redact(failure.message);
    if (failure.kind === 'configuration') {
      await store.release(item.id, this.workerId, `Sync is paused until an admin fixes this: ${failed}`);
      this.#pause(failed, pauseScope(failure.code));
      return;
    }
    // A retry or a park says nothing about whether the configuration that paused sync works again. Whether this
    // attempt is the last is the store's decision below; the same rule says it here, before the report goes out.
    const final = parksAfterFailure(item.attempts, { park: failure.kind === 'park', retryable: failure.kind === 'retry' }, this.options.config);
    const message = final ? `${failed}${PARK_HINT(item.id)}` : `${failed} (attempt ${item.attempts} of ${this.options.config.maxAttempts}; retrying automatically)`;
    await this.#report(
      { ...context, outcome: final ? 'parked' : 'error', message, reasonCode: failure.code, reason: failure.reason, requestId: failure.requestId ?? context.requestId, at: new Date(now()) },
      final,
    );
    const recorded = await store.fail(item.id, this.workerId, {
      error: { message, code: failure.code, requestId: failure.requestId ?? context.requestId, retryable: failure.kind === 'retry' },
      retryAfterMs: failure.options.retryAfterMs,
      park: failure.kind === 'park',
      syncState: result.syncState,
    });
    if (recorded.status !== 'lost') metrics.recordFailure(item.kind, recorded.status === 'dead' ? 'dead' : 'retry');
    logger[final ? 'error' : 'warn']({ itemId: item.id, kind: item.kind, key: item.key, code: failure.code, next: recorded.status }, failed);
  }

  /** The failure on the opportunity (audit line; Error and ✖ when final), in the sync log, and as a status event. */
  async #report(report: AttemptReport, final: boolean): Promise<void> {
    const { salesforce, writer, logger, context } = this.deps;
    try {
      const opportunity = report.opportunity;
      if (opportunity) {
        const { settings } = await context.get();
        const fields = failureFields({ ...report, opportunity }, settings, final);
        if (final && opportunity.read) {
          // Error and ✖ belong to the version that failed: a seller's rename or newer (Pending) change made since
          // keeps its name and status, and only the audit line is added.
          await writeBackUnlessChanged(this.deps, {
            opportunityId: opportunity.Id,
            sent: opportunity.read as OpportunityRead,
            reread: async () => {
              const readAt = this.deps.now();
              const [record] = await salesforce.query<OpportunityRecord>(
                `SELECT Id, Name, LastModifiedDate, Partner_Center_Audit__c FROM Opportunity WHERE Id = '${toId18(opportunity.Id)}'`,
                { what: `Opportunity ${opportunity.Id}` },
              );
              return record ? { record, readAt } : undefined;
            },
            sameVersion: (before, latest) => before.LastModifiedDate === latest.LastModifiedDate && (before.Name === undefined || before.Name === latest.Name),
            fields: (latest, current) => {
              const ref = { ...opportunity, Name: latest.Name ?? opportunity.Name, Partner_Center_Audit__c: latest.Partner_Center_Audit__c ?? opportunity.Partner_Center_Audit__c };
              const all = failureFields({ ...report, opportunity: ref }, settings, final);
              return current ? all : { Partner_Center_Audit__c: all.Partner_Center_Audit__c };
            },
            label: `Opportunity ${opportunity.Id}`,
          });
        } else {
          const [saved] = await salesforce.update('Opportunity', [{ Id: opportunity.Id, ...fields }], () => `Opportunity ${opportunity.Id}`);
          if (saved.error) logger.warn({ err: saved.error }, 'could not write the failure on the opportunity');
        }
      }
      await writer.record([report], report.opportunity ? [statusEvent(report.opportunity.Id, final ? 'Error' : 'Pending', report.message, report.reason)] : []);
    } catch (error) {
      logger.warn({ err: error }, 'could not report the failure to Salesforce');
    }
  }

  #pause(reason: string, scope: PauseScope): void {
    this.#pauseScope = scope;
    const now = this.deps.now();
    if (this.#pausedUntil <= now) {
      this.deps.logger.error({ pauseMs: this.#pauseMs }, `sync paused: ${reason}`);
      this.#pausedUntil = now + this.#pauseMs;
      this.#pauseMs = Math.min(this.#pauseMs * 2, this.options.maxPauseMs ?? 300_000);
    }
    this.#pauseReason = reason;
    // The admin may be fixing the settings right now: read them afresh after the pause.
    this.deps.context.invalidate();
  }

  /**
   * A done item ends the pause only if it needed what failed: an outbound or inbound sync that really synced used
   * the settings, Salesforce and Partner Center; the Pending sweep only Salesforce; the referrals sweep only
   * Partner Center. A skip (sync off, up to date) proves nothing about Partner Center.
   */
  #resumeAfter(item: WorkItem, synced: boolean): void {
    if (this.#pauseReason === null) return;
    const used: readonly PauseScope[] =
      item.kind !== 'sweep'
        ? synced
          ? ['settings', 'salesforce', 'partnerCenter']
          : ['settings', 'salesforce']
        : item.payload.sweep === 'referrals'
          ? ['partnerCenter']
          : ['salesforce'];
    if (this.#pauseScope && used.includes(this.#pauseScope)) this.#resume();
  }

  #resume(): void {
    if (this.#pauseReason === null) return;
    this.#pauseScope = null;
    this.#pauseReason = null;
    this.#pauseMs = this.options.pauseMs ?? 30_000;
    this.deps.logger.info('sync resumed');
  }
}
