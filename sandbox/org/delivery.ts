/**
 * The event-triggered flow Partner Center: Deliver Sync Request: for each Partner_Center_Sync_Request__e it POSTs
 * the sync request to the connector (in the package: an External Services callout through the
 * Partner_Center_Connector named credential). It runs after the publishing save, never inside it, and records
 * every attempt so tests can see exactly what was sent. Like the packaged flow it calls once and, when that fails
 * (anything but 202, a network error, no endpoint), takes the fault path (onFailure: mark the opportunity Pending).
 * Extra attempts with exponential backoff can be switched on (maxAttempts) to model a more patient transport.
 */
import type { EventBus, EventMessage } from './events.js';
import type { Store } from './store.js';
import { formatDatetime, parseDatetime } from './values.js';

export interface ConnectorTarget {
  /** Base URL of the connector, e.g. http://127.0.0.1:8080 (the path /v1/sync-requests is appended). */
  connectorUrl: string;
  sharedSecret: string;
}

export interface DeliveryOptions {
  /** Attempts per event; 1 (the default) is what the packaged flow does. */
  maxAttempts?: number;
  /** First retry delay; it doubles for each further attempt. */
  backoffMs?: number;
  timeoutMs?: number;
}

export type DeliveryOutcome = 'delivered' | 'failed' | 'gave-up' | 'no-endpoint';

export interface DeliveryAttempt {
  eventUuid: string;
  replayId: number;
  opportunityId: string;
  reason: string;
  attempt: number;
  outcome: DeliveryOutcome;
  httpStatus: number | null;
  error: string | null;
  /** When the attempt finished (platform datetime format). */
  at: string;
  /** The exact JSON body that was (or would have been) sent. */
  body: string;
}

export const SYNC_REQUEST_PATH = '/v1/sync-requests';

export class DeliveryRunner {
  private target: ConnectorTarget | null;
  private readonly options: Required<DeliveryOptions>;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private readonly idleWaiters: (() => void)[] = [];
  private pending = 0;
  private closed = false;
  private readonly unsubscribe: () => void;
  /** The flow's fault path, run once per event whose delivery failed for good. */
  onFailure: (message: EventMessage) => void = () => undefined;

  constructor(
    private readonly store: Store,
    events: EventBus,
    eventType: string,
    target: ConnectorTarget | null,
    options: DeliveryOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.target = target;
    // 120 s is the callout timeout the package's contract states.
    this.options = { maxAttempts: options.maxAttempts ?? 1, backoffMs: options.backoffMs ?? 500, timeoutMs: options.timeoutMs ?? 120_000 };
    this.unsubscribe = events.subscribe(eventType, (message) => this.enqueue(message));
  }

  configure(target: ConnectorTarget | null): void {
    this.target = target;
  }

  getTarget(): ConnectorTarget | null {
    return this.target ? { ...this.target } : null;
  }

  log(): DeliveryAttempt[] {
    return this.store.listDeliveries<DeliveryAttempt>();
  }

  /** Resolves once no delivery is waiting or running. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.inFlight) c.abort();
    this.pending = 0;
    this.settle();
  }

  private enqueue(message: EventMessage): void {
    if (this.closed) return;
    const payload = message.data.payload;
    const created = parseDatetime(String(payload.CreatedDate)) ?? this.now();
    // Key order is the contract (docs/sync-request-contract.md); publishedAt has second precision, as the flow's
    // SUBSTITUTE(TEXT(CreatedDate), " ", "T") gives it.
    const body = JSON.stringify({
      opportunityId: String(payload.Opportunity_Id__c),
      reason: String(payload.Reason__c),
      eventUuid: message.data.event.EventUuid,
      publishedAt: new Date(created).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    this.pending += 1;
    // Never inside the saving request: the first attempt starts on a later turn of the event loop.
    this.schedule(() => this.attempt(message, body, 1), 0);
  }

  private schedule(fn: () => Promise<void>, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void fn();
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(message: EventMessage, body: string, attempt: number): Promise<void> {
    if (this.closed) return;
    const target = this.target;
    const base = {
      eventUuid: message.data.event.EventUuid,
      replayId: message.data.event.replayId,
      opportunityId: String(message.data.payload.Opportunity_Id__c),
      reason: String(message.data.payload.Reason__c),
      attempt,
      body,
    };
    if (!target) {
      this.record({ ...base, outcome: 'no-endpoint', httpStatus: null, error: 'no connector URL configured' });
      this.fail(message);
      return;
    }
    let status: number | null = null;
    let error: string | null = null;
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeout = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      const res = await fetch(new URL(SYNC_REQUEST_PATH.slice(1), withSlash(target.connectorUrl)), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${target.sharedSecret}` },
        body,
        signal: controller.signal,
      });
      status = res.status;
      await res.arrayBuffer();
      if (status !== 202) error = `unexpected HTTP ${status}`;
    } catch (err) {
      error = (err as Error).message;
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    if (this.closed) return;
    if (error === null) {
      this.record({ ...base, outcome: 'delivered', httpStatus: status, error: null });
      this.finish();
      return;
    }
    const last = attempt >= this.options.maxAttempts;
    this.record({ ...base, outcome: last ? 'gave-up' : 'failed', httpStatus: status, error });
    if (last) this.fail(message);
    else this.schedule(() => this.attempt(message, body, attempt + 1), this.options.backoffMs * 2 ** (attempt - 1));
  }

  private record(entry: Omit<DeliveryAttempt, 'at'>): void {
    this.store.appendDelivery({ ...entry, at: formatDatetime(this.now()) });
  }

  private fail(message: EventMessage): void {
    try {
      this.onFailure(message);
    } catch (err) {
      process.emitWarning(`delivery fault path failed: ${(err as Error).message}`);
    }
    this.finish();
  }

  private finish(): void {
    this.pending = Math.max(0, this.pending - 1);
    this.settle();
  }

  private settle(): void {
    if (this.pending > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

const withSlash = (url: string): string => (url.endsWith('/') ? url : `${url}/`);
