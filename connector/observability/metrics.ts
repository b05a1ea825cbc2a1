/**
 * Prometheus metrics for /metrics. Each connector has its own Registry (not prom-client's global one), so
 * several connectors in one process — the tests — do not collide. Queue depth and dead letters are read from
 * the store at scrape time, so they are true across restarts and across instances sharing a store.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store, WorkKind } from '../queue/types.js';
import { WORK_KINDS } from '../queue/types.js';

/** End-to-end seconds from the change at its origin to the write on the other side. */
const LATENCY_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600];

export class ConnectorMetrics {
  readonly registry = new Registry();
  readonly syncSuccess = new Counter({
    name: 'cosell_sync_success_total',
    help: 'Work items completed successfully, by kind (outbound, inbound, sweep).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly syncFailure = new Counter({
    name: 'cosell_sync_failure_total',
    help: 'Failed attempts, by kind and what happened next (retry or dead).',
    labelNames: ['kind', 'next'] as const,
    registers: [this.registry],
  });
  readonly retries = new Counter({
    name: 'cosell_sync_retries_total',
    help: 'Attempts scheduled again with backoff, by kind.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly deadLettered = new Counter({
    name: 'cosell_dead_lettered_total',
    help: 'Items parked as dead letters, by kind.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'cosell_sync_latency_seconds',
    help: 'End-to-end latency from the change at its origin to its write on the other side, by direction.',
    labelNames: ['direction'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly webhookVerificationFailures = new Counter({
    name: 'cosell_webhook_verification_failures_total',
    help: 'Partner Center webhook deliveries rejected because their signature did not verify, by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly requestsReceived = new Counter({
    name: 'cosell_requests_received_total',
    help: 'Sync requests and webhooks received, by endpoint and result (accepted, duplicate, rejected).',
    labelNames: ['endpoint', 'result'] as const,
    registers: [this.registry],
  });

  constructor(store: Store, options: { defaultMetrics?: boolean } = {}) {
    const registry = this.registry;
    new Gauge({
      name: 'cosell_queue_depth',
      help: 'Work items waiting or running, by kind.',
      labelNames: ['kind'] as const,
      registers: [registry],
      async collect() {
        const stats = await store.stats();
        for (const kind of WORK_KINDS) this.set({ kind }, stats.depth[kind]);
      },
    });
    new Gauge({
      name: 'cosell_dead_letters',
      help: 'Dead letters waiting for an admin to replay them, by kind.',
      labelNames: ['kind'] as const,
      registers: [registry],
      async collect() {
        const stats = await store.stats();
        for (const kind of WORK_KINDS) this.set({ kind }, stats.dead[kind]);
      },
    });
    new Gauge({
      name: 'cosell_last_success_timestamp_seconds',
      help: 'When an item of each kind last completed successfully (unix seconds; 0 = never).',
      labelNames: ['kind'] as const,
      registers: [registry],
      async collect() {
        const stats = await store.stats();
        for (const kind of WORK_KINDS) this.set({ kind }, (stats.lastSuccessAt[kind] ?? 0) / 1000);
      },
    });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'cosell_' });
  }

  recordSuccess(kind: WorkKind, eventAt: number, now = Date.now()): void {
    this.syncSuccess.inc({ kind });
    if (kind !== 'sweep') this.latency.observe({ direction: kind }, Math.max(0, now - eventAt) / 1000);
  }

  recordFailure(kind: WorkKind, next: 'retry' | 'dead'): void {
    this.syncFailure.inc({ kind, next });
    if (next === 'retry') this.retries.inc({ kind });
    else this.deadLettered.inc({ kind });
  }
}
