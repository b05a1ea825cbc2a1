/**
 * Deliveries an attacker (or a broken proxy) could send to the connector's webhook endpoint: a valid body with a
 * forged signature, a body signed by a certificate served from a foreign host, a replay of a real signed
 * delivery, and bodies that are malformed, oversized or not JSON at all (signed as Partner Center would, so they
 * get past the signature check and reach the parser). Each must be refused without changing any state: nothing
 * queued, nothing synced. Forged notifications carry a marker timestamp so the store can be searched for them.
 */
import { randomUUID } from 'node:crypto';
import { WEBHOOK_PATH } from '../../connector/http/webhooks.js';
import type { Store } from '../../connector/queue/types.js';
import { startWebhookSigner, type WebhookSigner } from '../../test/support/webhook-signer.js';
import type { PartnerCenterEmulator } from '../../sandbox/partner-center/emulator.js';
import type { HostileKind } from './plan.js';

export interface HostileResult {
  kind: HostileKind;
  status: number;
  /** Refused (4xx), or for a replay: acknowledged as the delivery it repeats, with nothing new queued. */
  rejected: boolean;
  /** ResourceChangeUtcDate of a forged notification: no work item may ever carry it. */
  marker?: string;
  detail: string;
}

const MARKER_EPOCH = Date.UTC(2001, 0, 1);

export class HostileSender {
  #count = 0;
  readonly markers: string[] = [];

  private constructor(
    private readonly pc: PartnerCenterEmulator,
    private readonly rogue: WebhookSigner,
  ) {}

  static async start(pc: PartnerCenterEmulator): Promise<HostileSender> {
    return new HostileSender(pc, await startWebhookSigner());
  }

  close(): Promise<void> {
    return this.rogue.close();
  }

  #marker(): string {
    this.#count += 1;
    const marker = new Date(MARKER_EPOCH + this.#count * 1000).toISOString();
    this.markers.push(marker);
    return marker;
  }

  #notification(referralId: string | undefined, marker: string, extra: Record<string, unknown> = {}): string {
    return JSON.stringify({
      EventName: 'referral-updated',
      ResourceUri: `${this.pc.referralsBaseUrl}/referrals/${referralId ?? randomUUID()}`,
      ResourceName: 'referral',
      AuditUri: null,
      ResourceChangeUtcDate: marker,
      ...extra,
    });
  }

  async send(kind: HostileKind, connectorUrl: string, store: Store, referralId: string | undefined): Promise<HostileResult> {
    const url = `${connectorUrl}${WEBHOOK_PATH}`;
    const post = async (body: string, headers: Record<string, string>) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      return { status: response.status, body: await response.text() };
    };
    const refused = (status: number) => status >= 400 && status < 500;
    switch (kind) {
      case 'forged-signature': {
        const marker = this.#marker();
        const body = this.#notification(referralId, marker);
        // Partner Center's own certificate URL, but the signature is made with another key.
        const headers = { ...this.rogue.signUntrusted(body), 'x-ms-certificate-url': this.pc.certificateUrl };
        const { status } = await post(body, headers);
        return { kind, status, rejected: refused(status), marker, detail: 'signed with a key that is not Partner Center’s' };
      }
      case 'foreign-certificate': {
        const marker = this.#marker();
        const body = this.#notification(referralId, marker);
        const { status } = await post(body, this.rogue.sign(body));
        return { kind, status, rejected: refused(status), marker, detail: `certificate URL on ${this.rogue.host}` };
      }
      case 'malformed-body': {
        const marker = this.#marker();
        const body = this.#notification(referralId, marker, { EventName: 'referral-exploded' });
        const { status } = await post(body, this.pc.control.webhooks.sign(body));
        return { kind, status, rejected: refused(status), marker, detail: 'signed, unknown EventName' };
      }
      case 'oversized-body': {
        const marker = this.#marker();
        const body = this.#notification(referralId, marker, { ResourceName: 'x'.repeat(80 * 1024) });
        const { status } = await post(body, this.pc.control.webhooks.sign(body));
        return { kind, status, rejected: refused(status), marker, detail: `signed, ${Math.round(body.length / 1024)} KiB` };
      }
      case 'not-json': {
        const body = `EventName=referral-updated&ResourceUri=${encodeURIComponent(`${this.pc.referralsBaseUrl}/referrals/${referralId ?? randomUUID()}`)}`;
        const { status } = await post(body, this.pc.control.webhooks.sign(body));
        return { kind, status, rejected: refused(status), detail: 'signed, form-encoded' };
      }
      case 'replayed-delivery': {
        const delivered = this.pc.control.webhooks.deliveries().filter((d) => d.state === 'delivered' && d.notification.EventName !== 'test-created');
        if (delivered.length === 0) return this.send('forged-signature', connectorUrl, store, referralId);
        const original = delivered[this.#count++ % delivered.length];
        // The exact bytes Partner Center sent, and so the exact signature: only the timing is new.
        const body = JSON.stringify(original.notification);
        const sentAt = Date.now();
        const { status, body: answer } = await post(body, this.pc.control.webhooks.sign(body));
        let requestId: string | undefined;
        try {
          requestId = (JSON.parse(answer) as { requestId?: string }).requestId;
        } catch {
          requestId = undefined;
        }
        const item = requestId ? await store.getItemByRequestId(requestId) : null;
        const acknowledgedOnly = status === 200 && item !== null && item.createdAt < sentAt;
        return {
          kind,
          status,
          rejected: refused(status) || acknowledgedOnly,
          detail: `${original.notification.EventName} of ${original.notification.ResourceChangeUtcDate}${acknowledgedOnly ? ', answered with the original item' : ''}`,
        };
      }
    }
  }
}
