/**
 * The documented Partner Center routes: Referrals (`/v1.0/engagements/referrals`), webhook registration
 * (`/webhooks/v1/registration`) and the token endpoint the sandbox signs in against.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WEBHOOK_EVENTS } from './referral-model.js';
import { notFound } from './errors.js';
import type { ListQuery } from './odata-query.js';
import type { ReferralStore } from './referral-store.js';
import type { TokenIssuer } from './token-issuer.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';

interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/**
 * Idempotency for writes retried after a timeout: a repeated `request-id` gets the stored response instead
 * of a second write ("Partner REST API headers": request-id "is used to ensure idempotency").
 */
class IdempotencyCache {
  readonly #entries = new Map<string, StoredResponse>();

  constructor(private readonly limit = 5_000) {}

  get(key: string): StoredResponse | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: StoredResponse): void {
    this.#entries.set(key, value);
    if (this.#entries.size > this.limit) this.#entries.delete(this.#entries.keys().next().value!);
  }
}

export interface ApiRouteDeps {
  store: ReferralStore;
  webhooks: WebhookDispatcher;
  tokens: TokenIssuer;
  /** Where an admin enters a device sign-in code (Entra: https://microsoft.com/devicelogin). */
  verificationUri: () => string;
}

function send(reply: FastifyReply, response: StoredResponse): FastifyReply {
  reply.code(response.status).headers(response.headers);
  return response.body === undefined ? reply.send() : reply.send(response.body);
}

export function registerApiRoutes(app: FastifyInstance, { store, webhooks, tokens, verificationUri }: ApiRouteDeps): void {
  const idempotency = new IdempotencyCache();

  const write = (request: FastifyRequest, reply: FastifyReply, run: () => StoredResponse): FastifyReply => {
    const requestId = request.headers['request-id'];
    const key = typeof requestId === 'string' && requestId ? `${request.method} ${request.url} ${requestId}` : undefined;
    const replay = key ? idempotency.get(key) : undefined;
    if (replay) return send(reply, replay);
    const response = run();
    if (key) idempotency.set(key, response);
    return send(reply, response);
  };

  // ---- token endpoint (Entra ID stand-in) ----
  const token = async (request: FastifyRequest, reply: FastifyReply) => {
    const form = (request.body ?? {}) as Record<string, string>;
    return reply.header('cache-control', 'no-store').send(tokens.grant(form));
  };
  app.post('/oauth2/v2.0/token', token);
  app.post('/:tenant/oauth2/v2.0/token', token);
  const deviceCode = async (request: FastifyRequest, reply: FastifyReply) =>
    reply.header('cache-control', 'no-store').send(tokens.authorizeDevice((request.body ?? {}) as Record<string, string>, verificationUri()));
  app.post('/oauth2/v2.0/devicecode', deviceCode);
  app.post('/:tenant/oauth2/v2.0/devicecode', deviceCode);

  // ---- referrals ----
  const base = '/v1.0/engagements/referrals';

  app.get(base, async (request) => store.list(request.query as ListQuery));

  app.post(base, async (request, reply) =>
    write(request, reply, () => {
      const referral = store.create(request.body);
      return { status: 201, body: referral, headers: { etag: referral.eTag!, location: store.referralUrl(referral.id!) } };
    }),
  );

  // "Get a referral by ID" response: the entity with its `@odata.context` annotation, and the ETag header.
  app.get<{ Params: { id: string } }>(`${base}/:id`, async (request, reply) => {
    const referral = store.get(request.params.id);
    return reply.header('etag', referral.eTag!).send({ '@odata.context': `${store.referralUrl('')}$metadata#Referrals/$entity`, ...referral });
  });

  app.put<{ Params: { id: string } }>(`${base}/:id`, async (request, reply) =>
    write(request, reply, () => {
      const referral = store.replace(request.params.id, request.body, request.headers['if-match']);
      return { status: 200, body: referral, headers: { etag: referral.eTag! } };
    }),
  );

  app.patch<{ Params: { id: string } }>(`${base}/:id`, async (request, reply) =>
    write(request, reply, (): StoredResponse => {
      const referral = store.patch(request.params.id, request.body, request.headers['if-match']);
      const prefer = String(request.headers.prefer ?? '');
      const representation = /(^|[,;\s])return=representation(\b|$)/i.test(prefer);
      return representation
        ? { status: 200, body: referral, headers: { etag: referral.eTag!, 'preference-applied': 'return=representation' } }
        : { status: 204, body: undefined, headers: { etag: referral.eTag! } };
    }),
  );

  // ---- webhook registration ----
  const registration = '/webhooks/v1/registration';
  // [webhooks] "Get a list of events": the events the tenant can register for.
  app.get(`${registration}/events`, async () => [...WEBHOOK_EVENTS]);
  app.post(registration, async (request) => webhooks.register(request.body));
  app.put(registration, async (request) => webhooks.update(request.body));
  app.get(registration, async () => {
    const current = webhooks.registration;
    if (!current) throw notFound('No webhook registration exists for this tenant.');
    return { WebhookUrl: current.WebhookUrl, WebhookEvents: current.WebhookEvents };
  });
  app.delete(registration, async (_request, reply) => {
    webhooks.unregister();
    return reply.code(204).send();
  });
  app.post(`${registration}/validationEvents`, async () => webhooks.requestTestEvent());
  app.get<{ Params: { correlationId: string } }>(`${registration}/validationEvents/:correlationId`, async (request) =>
    webhooks.validationEvent(request.params.correlationId),
  );
}

/** Every response carries a `request-id` (the caller's, when it sent one) and echoes `client-request-id`. */
export function requestIdHeaders(request: FastifyRequest, reply: FastifyReply): void {
  const requestId = request.headers['request-id'];
  reply.header('request-id', typeof requestId === 'string' && requestId ? requestId : randomUUID());
  const clientRequestId = request.headers['client-request-id'];
  if (typeof clientRequestId === 'string') reply.header('client-request-id', clientRequestId);
}
