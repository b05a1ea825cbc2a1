/**
 * POST /v1/sync-requests — what the package's delivery flow sends through the Named Credential when a syncing
 * opportunity changed (docs/sync-request-contract.md). Answers 202 only after the request is durably queued;
 * a repeated eventUuid answers with the original requestId and queues nothing.
 */
import type { FastifyInstance } from 'fastify';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { isOpportunityId, toId18 } from '../model/salesforce-id.js';
import { outboundRequest } from '../queue/lanes.js';
import { bearerMatches } from './auth.js';
import { HttpError, errorBody } from './errors.js';
import type { HttpDeps } from './types.js';

export const SYNC_REQUEST_REASONS = ['Created', 'Updated', 'SolutionsChanged', 'Retry'] as const;
export const SYNC_REQUEST_BODY_LIMIT = 16 * 1024;

export interface SyncRequestBody {
  opportunityId: string;
  reason: (typeof SYNC_REQUEST_REASONS)[number];
  eventUuid: string;
  publishedAt: string;
}

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const ajv = new Ajv({ allErrors: false, strict: true });
addFormats(ajv, ['uuid', 'date-time']);
// The id's shape, key prefix and case-safe checksum, so a typo or a forged id never reaches the queue.
ajv.addFormat('opportunity-id', { type: 'string', validate: isOpportunityId });
// A platform EventUuid as the flow sends it: the bare 8-4-4-4-12 hex form (ajv-formats' uuid also takes a
// `urn:uuid:` prefix, which would key the same event twice), and never the nil UUID, which no event carries.
const BARE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
ajv.addFormat('event-uuid', { type: 'string', validate: (value: string) => BARE_UUID.test(value) && !/^[0-]+$/.test(value) });
/** How far from the connector's clock a publishedAt may be: deliveries are late by seconds, clocks a little apart. */
export const PUBLISHED_AT_MAX_AGE_MS = 30 * 86_400_000;
export const PUBLISHED_AT_MAX_AHEAD_MS = 60 * 60_000;
// A real date-time near now: an out-of-range one would skew latency figures and which merged request counts as newest.
ajv.addFormat('published-at', {
  type: 'string',
  validate: (value: string) => {
    const at = Date.parse(value);
    const now = Date.now();
    return !Number.isNaN(at) && at >= now - PUBLISHED_AT_MAX_AGE_MS && at <= now + PUBLISHED_AT_MAX_AHEAD_MS;
  },
});

/** The whole body contract of docs/sync-request-contract.md, enforced by ajv: nothing is checked by hand. */
export const SYNC_REQUEST_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['opportunityId', 'reason', 'eventUuid', 'publishedAt'],
  properties: {
    opportunityId: { type: 'string', format: 'opportunity-id' },
    reason: { type: 'string', enum: [...SYNC_REQUEST_REASONS] },
    eventUuid: { type: 'string', format: 'uuid', allOf: [{ format: 'event-uuid' }] },
    publishedAt: { type: 'string', format: 'date-time', allOf: [{ format: 'published-at' }] },
  },
} as const;

const validate = ajv.compile<SyncRequestBody>(SYNC_REQUEST_SCHEMA);

const FIELD_RULES: Record<keyof SyncRequestBody, string> = {
  opportunityId: 'must be the 15- or 18-character Id of an Opportunity (key prefix 006, valid checksum)',
  reason: `must be one of ${SYNC_REQUEST_REASONS.join(', ')}`,
  eventUuid: 'must be a UUID (the platform event EventUuid), without a urn:uuid: prefix and not the nil UUID',
  publishedAt: 'must be an ISO-8601 date-time with a time zone, e.g. 2025-01-31T09:30:00.000Z, within the last 30 days and at most an hour ahead of the connector\'s clock',
};

/** The first problem ajv found, naming the field and its rule. */
function bodyProblem(body: unknown): HttpError | null {
  if (validate(body)) return null;
  const error = validate.errors![0];
  if (error.keyword === 'required') {
    const field = (error.params as { missingProperty: string }).missingProperty;
    return new HttpError(400, 'invalid_request', `"${field}" is required: it ${FIELD_RULES[field as keyof SyncRequestBody]}.`, field);
  }
  if (error.keyword === 'additionalProperties') {
    const field = (error.params as { additionalProperty: string }).additionalProperty;
    return new HttpError(400, 'invalid_request', `"${field}" is not part of a sync request; send only ${Object.keys(FIELD_RULES).join(', ')}.`, field);
  }
  const field = error.instancePath.slice(1);
  if (field === '') return new HttpError(400, 'invalid_request', 'The body must be a JSON object.');
  return new HttpError(400, 'invalid_request', `"${field}" ${FIELD_RULES[field as keyof SyncRequestBody] ?? error.message}.`, field);
}

export function registerSyncRequests(app: FastifyInstance, deps: HttpDeps): void {
  app.register(async (scope) => {
    // Only JSON: fastify's text/plain parser would otherwise accept a body this endpoint does not understand.
    scope.removeContentTypeParser('text/plain');
    // Authenticate before the body is read: an unauthenticated caller cannot make the connector parse anything.
    scope.addHook('onRequest', async (request, reply) => {
      if (!bearerMatches(request.headers.authorization, deps.syncRequestSecret)) {
        deps.metrics.requestsReceived.inc({ endpoint: 'sync-requests', result: 'unauthorized' });
        // Who knocked, never what they sent: the Authorization header is the secret (or a guess at it).
        request.log.warn({ ip: request.ip, credentials: request.headers.authorization ? 'wrong' : 'none' }, 'sync request rejected: not authenticated');
        reply.header('www-authenticate', 'Bearer realm="cosell-connector"');
        return reply.code(401).send(errorBody('unauthorized', 'Send the shared secret as "Authorization: Bearer <secret>".'));
      }
    });
    scope.post('/v1/sync-requests', { bodyLimit: deps.limits?.syncRequestBytes ?? SYNC_REQUEST_BODY_LIMIT }, async (request, reply) => {
      const problem = bodyProblem(request.body);
      if (problem) {
        deps.metrics.requestsReceived.inc({ endpoint: 'sync-requests', result: 'rejected' });
        // The field and the rule, for the admin who reads why Salesforce's callout failed; not the body's values.
        request.log.warn({ ip: request.ip, field: problem.field ?? null }, `sync request rejected: ${problem.message}`);
        throw problem;
      }
      const body = request.body as SyncRequestBody;
      const opportunityId = toId18(body.opportunityId)!;
      const result = await deps.store.enqueue(
        outboundRequest(
          opportunityId,
          { opportunityId, reason: body.reason, eventUuid: body.eventUuid.toLowerCase(), publishedAt: body.publishedAt },
          'sync-request',
          `sync-request:${body.eventUuid.toLowerCase()}`,
        ),
      );
      deps.metrics.requestsReceived.inc({ endpoint: 'sync-requests', result: result.duplicate ? 'duplicate' : 'accepted' });
      request.log.info({ opportunityId, reason: body.reason, requestId: result.requestId, duplicate: result.duplicate }, 'sync request queued');
      if (!result.duplicate) deps.onEnqueued?.();
      return reply.code(202).send({ accepted: true, requestId: result.requestId });
    });
  });
}
