/**
 * POST /v1/partner-center/webhooks — Partner Center's referral notifications. The signature is verified over
 * the exact raw bytes before anything is parsed; the notification is then validated and durably queued with
 * an idempotency key, and answered 200 before any Partner Center call (the worker GETs the referral later).
 * Delivery is at-least-once: a repeated notification is acknowledged and queued only once.
 */
import type { FastifyInstance } from 'fastify';
import { Ajv } from 'ajv';
import { REFERRAL_WEBHOOK_EVENTS, type WebhookNotification } from '../model/referral.js';
import { inboundRequest, laneForReferral } from '../queue/lanes.js';
import { HttpError, errorBody } from './errors.js';
import type { HttpDeps } from './types.js';

export const WEBHOOK_BODY_LIMIT = 64 * 1024;
/**
 * A notification about a change older than this is refused as a possible replay of a captured delivery: the
 * signature covers the body, and with it ResourceChangeUtcDate, so an old body cannot be re-dated. Partner
 * Center's retries end long before; the referral sweep picks up any change whose notification came this late.
 * Within the window a repeat is recognised by its idempotency key (kept far longer), so no replay does work.
 */
export const WEBHOOK_MAX_AGE_MS = 24 * 3600_000;
export const WEBHOOK_PATH = '/v1/partner-center/webhooks';

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
// Only used for idempotency, age and latency, so any timestamp Date.parse reads is accepted.
ajv.addFormat('parseable-date-time', { type: 'string', validate: (value: string) => !Number.isNaN(Date.parse(value)) });
ajv.addFormat('referral-uri', { type: 'string', validate: (value: string) => referralIdFromUri(value) !== null });

/**
 * The notification as Partner Center documents it, enforced by ajv. Properties beyond these are ignored, not
 * refused: the body is signed by Microsoft, who may add properties, and nothing but these fields is read or stored.
 */
/**
 * The tenant's one registration has one callback URL for all its events ("Partner Center webhooks"), so events
 * another tool registered (listed on that page) may arrive here too: they are answered 200 and ignored, so Partner
 * Center neither retries nor parks them. Unknown event names are still refused.
 */
export const OTHER_DOCUMENTED_EVENTS = ['subscription-updated', 'usagerecords-thresholdExceeded', 'invoice-ready'] as const;
const KNOWN_EVENTS: readonly string[] = [...REFERRAL_WEBHOOK_EVENTS, 'test-created', ...OTHER_DOCUMENTED_EVENTS];

export const WEBHOOK_NOTIFICATION_SCHEMA = {
  type: 'object',
  required: ['EventName', 'ResourceUri', 'ResourceChangeUtcDate'],
  properties: {
    EventName: { type: 'string', enum: KNOWN_EVENTS },
    ResourceUri: { type: 'string', minLength: 1, maxLength: 2048 },
    ResourceName: { type: ['string', 'null'], maxLength: 1024 },
    AuditUri: { type: ['string', 'null'], maxLength: 2048 },
    ResourceChangeUtcDate: { type: 'string', minLength: 1, maxLength: 64, format: 'parseable-date-time' },
  },
  // A referral event must name a referral; a test event names a validation resource, other events their own.
  if: { properties: { EventName: { type: 'string', enum: [...REFERRAL_WEBHOOK_EVENTS] } } },
  then: { properties: { ResourceUri: { type: 'string', format: 'referral-uri' } } },
} as const;

const validate = ajv.compile<WebhookNotification>(WEBHOOK_NOTIFICATION_SCHEMA);

const FORMAT_PROBLEMS: Record<string, string> = {
  ResourceUri: 'does not point at a referral (…/referrals/{id})',
  ResourceChangeUtcDate: 'is not a date-time',
};

/** The referral id a ResourceUri names (…/referrals/{id}); null when it does not point at a referral. */
export function referralIdFromUri(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const match = /\/referrals\/([A-Za-z0-9][A-Za-z0-9-]{0,99})\/?$/.exec(url.pathname);
  return match ? match[1] : null;
}

/** The notification body as documented, or an HttpError naming the field that is not. */
export function parseWebhookNotification(rawBody: Buffer): WebhookNotification {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_request', 'The notification body is not valid JSON.');
  }
  if (!validate(body)) {
    const error = validate.errors![0];
    const field =
      error.keyword === 'required' ? (error.params as { missingProperty: string }).missingProperty : error.instancePath.slice(1) || 'body';
    if (field === 'body') throw new HttpError(400, 'invalid_request', 'The notification body must be a JSON object.');
    const allowed = error.keyword === 'enum' ? `: one of ${KNOWN_EVENTS.join(', ')}` : '';
    const problem = error.keyword === 'format' ? FORMAT_PROBLEMS[field] : undefined;
    throw new HttpError(400, 'invalid_request', `"${field}" ${problem ?? error.message ?? 'is invalid'}${allowed}.`, field);
  }
  return body;
}

export function registerWebhooks(app: FastifyInstance, deps: HttpDeps): void {
  app.register(async (scope) => {
    // The signature covers the exact bytes, so the JSON body is kept raw; any other media type is refused (415)
    // before a byte of it is read.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.post(WEBHOOK_PATH, { bodyLimit: deps.limits?.webhookBytes ?? WEBHOOK_BODY_LIMIT }, async (request, reply) => {
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const verdict = await deps.verifyWebhook({ rawBody, headers: request.headers });
      if (!verdict.ok) {
        deps.metrics.webhookVerificationFailures.inc({ reason: verdict.reason });
        request.log.warn({ reason: verdict.reason, detail: verdict.message }, 'webhook signature rejected');
        if (verdict.retryable) {
          return reply.code(503).send(errorBody('verification_unavailable', 'The signing certificate could not be fetched; deliver again later.'));
        }
        // The detail (allow-list, chain) stays in the log: a forger learns only that it failed.
        return reply.code(401).send(errorBody('invalid_signature', `The delivery is not signed by Partner Center (${verdict.reason}).`));
      }
      let notification: WebhookNotification;
      try {
        notification = parseWebhookNotification(rawBody);
      } catch (error) {
        deps.metrics.requestsReceived.inc({ endpoint: 'webhooks', result: 'rejected' });
        throw error;
      }
      if (notification.EventName === 'test-created') {
        deps.metrics.requestsReceived.inc({ endpoint: 'webhooks', result: 'test' });
        request.log.info({ resourceUri: notification.ResourceUri }, 'Partner Center test webhook received');
        return reply.code(200).send({ received: true, test: true });
      }
      if (!(REFERRAL_WEBHOOK_EVENTS as readonly string[]).includes(notification.EventName)) {
        deps.metrics.requestsReceived.inc({ endpoint: 'webhooks', result: 'ignored' });
        request.log.info({ event: notification.EventName, resourceUri: notification.ResourceUri }, 'webhook for another tool ignored');
        return reply.code(200).send({ received: true, ignored: true });
      }
      const changedAt = Date.parse(notification.ResourceChangeUtcDate);
      const maxAgeMs = deps.limits?.webhookMaxAgeMs ?? WEBHOOK_MAX_AGE_MS;
      if ((deps.now ?? Date.now)() - changedAt > maxAgeMs) {
        deps.metrics.requestsReceived.inc({ endpoint: 'webhooks', result: 'rejected' });
        request.log.warn({ resourceUri: notification.ResourceUri, changedAt: notification.ResourceChangeUtcDate }, 'stale webhook refused');
        throw new HttpError(
          400,
          'stale_notification',
          `"ResourceChangeUtcDate" ${notification.ResourceChangeUtcDate} is more than ${maxAgeMs / 3600_000} hours old: refused as a possible replay. ` +
            'The periodic referral sweep brings in changes whose notifications arrive this late.',
          'ResourceChangeUtcDate',
        );
      }
      // The schema has checked that the URI names a referral.
      const referralId = referralIdFromUri(notification.ResourceUri)!;
      const idempotencyKey = `webhook:${notification.ResourceUri}|${notification.ResourceChangeUtcDate}|${notification.EventName}`;
      const result = await deps.store.enqueue(
        inboundRequest(
          await laneForReferral(deps.store, referralId),
          { referralId, eventName: notification.EventName, changedAt: notification.ResourceChangeUtcDate },
          'webhook',
          idempotencyKey,
        ),
      );
      deps.metrics.requestsReceived.inc({ endpoint: 'webhooks', result: result.duplicate ? 'duplicate' : 'accepted' });
      request.log.info({ referralId, event: notification.EventName, requestId: result.requestId, duplicate: result.duplicate }, 'webhook queued');
      if (!result.duplicate) deps.onEnqueued?.();
      return reply.code(200).send({ received: true, requestId: result.requestId });
    });
  });
}
