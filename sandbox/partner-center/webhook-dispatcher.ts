/**
 * Partner Center webhooks as documented ("Partner Center webhooks", learn.microsoft.com/partner-center/developer/
 * partner-center-webhooks): one registration per tenant naming a callback URL and its events; each notification
 * is POSTed with `Authorization: Signature <base64 RSA-SHA256 of the raw body>`, `X-MS-Certificate-Url` and
 * `X-MS-Signature-Algorithm: rsa-sha256`; delivery is at-least-once, retried up to 10 attempts and then parked
 * ("moved to an offline queue"); a self-test event may be requested at most twice a minute.
 */
import { createSign, randomUUID } from 'node:crypto';
import { WEBHOOK_EVENTS, type WebhookEvent, type WebhookNotification, type WebhookRegistration } from './referral-model.js';
import { EmulatorHttpError, invalidRequest, notFound } from './errors.js';
import type { FaultInjector } from './faults.js';
import type { StatsRecorder } from './stats.js';
import type { IssuedCertificate } from './test-certificates.js';

const KNOWN_EVENTS: readonly string[] = WEBHOOK_EVENTS;
const TEST_EVENTS_PER_MINUTE = 2;

export interface DeliveryAttempt {
  at: string;
  status?: number;
  error?: string;
}

export interface Delivery {
  id: string;
  notification: WebhookNotification;
  url: string;
  state: 'pending' | 'delivered' | 'parked';
  attempts: DeliveryAttempt[];
  /** Set for self-test events so GET validationEvents/{correlationId} can report them. */
  correlationId?: string;
}

export interface StoredRegistration extends WebhookRegistration {
  SubscriberId: string;
}

export interface WebhookDispatcherOptions {
  signer: IssuedCertificate;
  /** Base URL of the emulator (resource URIs of self-test events). */
  baseUrl: () => string;
  certificateUrl: () => string;
  faults: FaultInjector;
  stats: StatsRecorder;
  now: () => Date;
  /** Total delivery attempts before a notification is parked; Partner Center makes 10. */
  maxAttempts: number;
  /** First retry delay; doubles per attempt up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  deliveryTimeoutMs: number;
}

export class WebhookDispatcher {
  readonly #options: WebhookDispatcherOptions;
  #registration: StoredRegistration | undefined;
  readonly #deliveries = new Map<string, Delivery>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #inFlight = new Set<AbortController>();
  #testEventTimes: number[] = [];
  #busy = 0;
  #idleWaiters: (() => void)[] = [];
  #closed = false;

  constructor(options: WebhookDispatcherOptions) {
    this.#options = options;
  }

  // ---- registration (POST/PUT/GET/DELETE /webhooks/v1/registration) ----

  #parseRegistration(body: unknown): WebhookRegistration {
    const input = body as Partial<WebhookRegistration> | null;
    if (!input || typeof input.WebhookUrl !== 'string') throw invalidRequest('WebhookUrl is required.', 'WebhookUrl');
    let url: URL;
    try {
      url = new URL(input.WebhookUrl);
    } catch {
      throw invalidRequest(`WebhookUrl '${input.WebhookUrl}' is not an absolute URL.`, 'WebhookUrl');
    }
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      throw invalidRequest('WebhookUrl must use https (plain http is accepted only for loopback in the emulator).', 'WebhookUrl');
    }
    if (!Array.isArray(input.WebhookEvents) || input.WebhookEvents.length === 0) {
      throw invalidRequest('WebhookEvents must list at least one event.', 'WebhookEvents');
    }
    for (const event of input.WebhookEvents) {
      if (!KNOWN_EVENTS.includes(event)) {
        throw invalidRequest(`Unknown webhook event '${String(event)}'. Supported: ${KNOWN_EVENTS.join(', ')}.`, 'WebhookEvents');
      }
    }
    return { WebhookUrl: url.toString(), WebhookEvents: [...new Set(input.WebhookEvents)] };
  }

  register(body: unknown): StoredRegistration {
    const registration = this.#parseRegistration(body);
    if (this.#registration) {
      throw new EmulatorHttpError(409, 'conflict', 'A webhook registration already exists for this tenant. Update it with PUT /webhooks/v1/registration.');
    }
    this.#registration = { SubscriberId: randomUUID(), ...registration };
    return { ...this.#registration };
  }

  update(body: unknown): StoredRegistration {
    const registration = this.#parseRegistration(body);
    if (!this.#registration) throw notFound('No webhook registration exists for this tenant. Register with POST /webhooks/v1/registration.');
    // One callback URL per event per tenant: the new registration replaces the old one entirely.
    this.#registration = { SubscriberId: this.#registration.SubscriberId, ...registration };
    return { ...this.#registration };
  }

  get registration(): StoredRegistration | undefined {
    return this.#registration ? { ...this.#registration, WebhookEvents: [...this.#registration.WebhookEvents] } : undefined;
  }

  unregister(): void {
    if (!this.#registration) throw notFound('No webhook registration exists for this tenant.');
    this.#registration = undefined;
  }

  // ---- notifications ----

  /**
   * Queues a notification for the registered callback, if the tenant registered for this event. `changedAt` is
   * when the resource changed (a referral's updatedDateTime); by default, now.
   */
  notify(event: WebhookEvent, resourceUri: string, resourceName: string, correlationId?: string, changedAt?: string): Delivery | undefined {
    const registration = this.#registration;
    if (this.#closed || !registration || !registration.WebhookEvents.includes(event)) return undefined;
    const { faults, stats } = this.#options;
    const notification: WebhookNotification = {
      EventName: event,
      ResourceUri: resourceUri,
      ResourceName: resourceName,
      AuditUri: null,
      ResourceChangeUtcDate: changedAt ?? this.#options.now().toISOString(),
    };
    const delivery: Delivery = { id: randomUUID(), notification, url: registration.WebhookUrl, state: 'pending', attempts: [], correlationId };
    this.#deliveries.set(delivery.id, delivery);
    stats.webhooks.notifications += 1;

    if (faults.chance(faults.settings.webhookDropRate)) {
      // Lost for good: the connector must still converge through its periodic sweep.
      stats.webhooks.dropped += 1;
      delivery.state = 'parked';
      delivery.attempts.push({ at: this.#options.now().toISOString(), error: 'dropped by fault injection' });
      return delivery;
    }
    let delay = 0;
    if (faults.chance(faults.settings.webhookReorderRate)) {
      stats.webhooks.reordered += 1;
      delay = faults.reorderDelay();
    }
    this.#schedule(delivery, delay);
    if (faults.chance(faults.settings.webhookDuplicateRate)) {
      stats.webhooks.duplicated += 1;
      this.#busy += 1;
      this.#later(delay, () => void this.#post(delivery, true).finally(() => this.#release()));
    }
    return delivery;
  }

  /** POST /webhooks/v1/registration/validationEvents: a `test-created` event, at most twice a minute. */
  requestTestEvent(): { correlationId: string } {
    const now = this.#options.now().getTime();
    this.#testEventTimes = this.#testEventTimes.filter((t) => now - t < 60_000);
    if (this.#testEventTimes.length >= TEST_EVENTS_PER_MINUTE) {
      const retryAfter = Math.ceil((60_000 - (now - this.#testEventTimes[0])) / 1000);
      throw new EmulatorHttpError(429, 'tooManyRequests', 'At most 2 validation events may be requested per minute.', undefined, {
        'retry-after': String(Math.max(retryAfter, 1)),
      });
    }
    if (!this.#registration?.WebhookEvents.includes('test-created')) {
      throw invalidRequest("Register for the 'test-created' event before requesting a validation event.", 'WebhookEvents');
    }
    this.#testEventTimes.push(now);
    const correlationId = randomUUID();
    const uri = `${this.#options.baseUrl()}/webhooks/v1/registration/validationEvents/${correlationId}`;
    this.notify('test-created', uri, 'test', correlationId);
    return { correlationId };
  }

  validationEvent(correlationId: string) {
    const delivery = [...this.#deliveries.values()].find((d) => d.correlationId === correlationId);
    if (!delivery) throw notFound(`Validation event '${correlationId}' was not found.`);
    return {
      correlationId,
      status: delivery.state === 'pending' ? 'inProgress' : delivery.state === 'delivered' ? 'completed' : 'failed',
      callbackUrl: delivery.url,
      results: delivery.attempts.map((a) => ({
        responseCode: a.status === undefined ? 'Error' : String(a.status),
        responseMessage: a.error ?? '',
        systemError: a.status === undefined,
        dateTimeUtc: a.at,
      })),
    };
  }

  // ---- delivery loop ----

  #later(delay: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, delay);
    this.#timers.add(timer);
  }

  #schedule(delivery: Delivery, delay: number): void {
    this.#busy += 1;
    this.#later(delay, () => void this.#attempt(delivery).finally(() => this.#release()));
  }

  #release(): void {
    this.#busy -= 1;
    if (this.#busy === 0) for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  /** Signs the exact bytes that are sent; the receiver verifies over those raw bytes. */
  signedRequest(notification: WebhookNotification): { body: Buffer; headers: Record<string, string> } {
    const body = Buffer.from(JSON.stringify(notification), 'utf8');
    return { body, headers: this.signBytes(body) };
  }

  signBytes(body: Buffer): Record<string, string> {
    const signature = createSign('RSA-SHA256').update(body).sign(this.#options.signer.privateKey, 'base64');
    return {
      'content-type': 'application/json',
      authorization: `Signature ${signature}`,
      'x-ms-certificate-url': this.#options.certificateUrl(),
      'x-ms-signature-algorithm': 'rsa-sha256',
    };
  }

  async #post(delivery: Delivery, duplicate = false): Promise<boolean> {
    const { stats } = this.#options;
    const { body, headers } = this.signedRequest(delivery.notification);
    const controller = new AbortController();
    this.#inFlight.add(controller);
    const timer = setTimeout(() => controller.abort(new Error('delivery timed out')), this.#options.deliveryTimeoutMs);
    const attempt: DeliveryAttempt = { at: this.#options.now().toISOString() };
    try {
      const response = await fetch(delivery.url, { method: 'POST', headers, body, signal: controller.signal });
      await response.arrayBuffer().catch(() => undefined);
      attempt.status = response.status;
      if (response.ok) {
        stats.webhooks.delivered += 1;
        return true;
      }
      attempt.error = `callback answered ${response.status}`;
    } catch (error) {
      attempt.error = (error as Error).message;
    } finally {
      clearTimeout(timer);
      this.#inFlight.delete(controller);
      if (!duplicate) delivery.attempts.push(attempt);
    }
    stats.webhooks.failedAttempts += 1;
    return false;
  }

  async #attempt(delivery: Delivery): Promise<void> {
    if (this.#closed) return;
    const ok = await this.#post(delivery);
    if (ok) {
      delivery.state = 'delivered';
      return;
    }
    const { maxAttempts, retryBaseMs, retryMaxMs, stats } = this.#options;
    if (delivery.attempts.length >= maxAttempts) {
      delivery.state = 'parked';
      stats.webhooks.parked += 1;
      return;
    }
    if (!this.#closed) this.#schedule(delivery, Math.min(retryMaxMs, retryBaseMs * 2 ** (delivery.attempts.length - 1)));
  }

  deliveries(): Delivery[] {
    return [...this.#deliveries.values()].map((d) => structuredClone(d));
  }

  /** Re-queues parked notifications (an operator "replay" of Partner Center's offline queue). */
  redeliverParked(): number {
    let count = 0;
    for (const delivery of this.#deliveries.values()) {
      if (delivery.state !== 'parked') continue;
      delivery.state = 'pending';
      delivery.attempts = [];
      this.#schedule(delivery, 0);
      count += 1;
    }
    return count;
  }

  /** Resolves once nothing is scheduled or in flight (every notification delivered or parked). */
  idle(): Promise<void> {
    if (this.#busy === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const controller of this.#inFlight) controller.abort(new Error('emulator closed'));
    this.#busy = 0;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
