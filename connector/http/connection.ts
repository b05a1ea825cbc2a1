/**
 * GET /v1/connection and POST /v1/connection/webhooks — what the setup page's Test connection and Register
 * Partner Center webhooks buttons call (a screen flow's External Services actions, through the same
 * Partner_Center_Connector named credential as sync requests, so they prove that path works). Same bearer
 * shared secret as /v1/sync-requests. Both answer 200 with the connector's version, its Partner Center sign-in
 * state and the webhook registration Partner Center holds for the tenant; a Partner Center problem is part of the
 * answer (state and message), not an HTTP error, so the flow can show it.
 */
import type { FastifyInstance } from 'fastify';
import { bearerMatches } from './auth.js';
import { errorBody } from './errors.js';
import type { HttpDeps } from './types.js';

export const CONNECTION_PATH = '/v1/connection';
export const CONNECTION_WEBHOOKS_PATH = '/v1/connection/webhooks';

export function registerConnection(app: FastifyInstance, deps: HttpDeps): void {
  const probe = deps.connection;
  if (!probe) return;
  app.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      if (!bearerMatches(request.headers.authorization, deps.syncRequestSecret)) {
        deps.metrics.requestsReceived.inc({ endpoint: 'connection', result: 'unauthorized' });
        reply.header('www-authenticate', 'Bearer realm="cosell-connector"');
        return reply.code(401).send(errorBody('unauthorized', 'Send the shared secret as "Authorization: Bearer <secret>".'));
      }
    });
    scope.get(CONNECTION_PATH, async (_request, reply) => {
      const status = await probe.status();
      deps.metrics.requestsReceived.inc({ endpoint: 'connection', result: status.partnerCenterState });
      return reply.code(200).send(status);
    });
    // No body: what to register is the connector's own callback, never something the caller chooses.
    scope.post(CONNECTION_WEBHOOKS_PATH, async (_request, reply) => {
      const status = await probe.registerWebhooks();
      deps.metrics.requestsReceived.inc({ endpoint: 'connection-webhooks', result: status.webhookMatches ? 'registered' : status.partnerCenterState });
      deps.logger.info({ webhookUrl: status.webhookUrl, state: status.partnerCenterState }, 'webhook registration requested from Salesforce');
      return reply.code(200).send(status);
    });
  });
}
