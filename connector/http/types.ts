/** What the HTTP edge needs from the rest of the connector. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '../observability/logger.js';
import type { ConnectorMetrics } from '../observability/metrics.js';
import type { Store } from '../queue/types.js';
import type { ConnectionProbe } from './connection.js';
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
