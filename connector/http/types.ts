/** What the HTTP edge needs from the rest of the connector. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '../observability/logger.js';
import type { ConnectorMetrics } from '../observability/metrics.js';
import type { Store } from '../queue/types.js';
import type { HealthReport } from './health.js';

export type WebhookVerdict =
  | { ok: true }
  /** `retryable`: the check could not be made (certificate host unreachable): answer 503 so Partner Center redelivers. */
  | { ok: false; reason: string; message: string; retryable?: boolean };

export type VerifyWebhook = (input: { rawBody: Buffer; headers: IncomingHttpHeaders }) => Promise<WebhookVerdict>;

export interface HttpDeps {
  store: Store;
  metrics: ConnectorMetrics;
  logger: Logger;
  syncRequestSecret: string;
  verifyWebhook: VerifyWebhook;
  health: () => Promise<HealthReport>;
  /** Test connection and webhook registration for the setup page; without it those routes are not served. */
  connection?: ConnectionProbe;
  /** Wakes the worker so new work starts at once instead of at the next poll. */
  onEnqueued?: () => void;
  limits?: { syncRequestBytes?: number; webhookBytes?: number; webhookMaxAgeMs?: number };
  /** The connector's clock (epoch ms), for the age of a notification; default Date.now. */
  now?: () => number;
}

// What the Test connection and Register webhooks routes (connection.ts) ask of the connector.
/** signed-in: a Partner Center call succeeded; signed-out: sign-in is refused (an admin must act); unreachable: Partner Center did not answer. */
export type PartnerCenterState = 'signed-in' | 'signed-out' | 'unreachable';

/** Flat on purpose: a flow reads each property of the External Services response as one output. */
export interface ConnectionStatus {
  connectorVersion: string;
  partnerCenterState: PartnerCenterState;
  partnerCenterSignedIn: boolean;
  /** What the state means and, when it is not signed-in, what to do. */
  partnerCenterMessage: string;
  webhookRegistered: boolean;
  /** The callback Partner Center calls for referral events, '' when none is registered. */
  webhookUrl: string;
  /** The registered events, comma-separated. */
  webhookEvents: string;
  /** The registration points at this connector's callback and covers every referral event. */
  webhookMatches: boolean;
  /** The callback this connector expects (its public URL plus the webhook path). */
  expectedWebhookUrl: string;
  checkedAt: string;
}

export interface ConnectionProbe {
  status(): Promise<ConnectionStatus>;
  /** Registers (or overwrites) the webhooks for this connector, then reports the status. */
  registerWebhooks(): Promise<ConnectionStatus>;
}
