/**
 * The connector's HTTP edge on fastify: sync requests from Salesforce, Partner Center webhooks, /healthz and
 * /metrics. Every route answers JSON errors of one shape; nothing here calls Salesforce or Partner Center.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { registerConnection } from './connection.js';
import { bearerMatches } from './auth.js';
import { handleError, errorBody } from './errors.js';
import { publicHealth } from './health.js';
import { registerSyncRequests } from './sync-requests.js';
import type { HttpDeps } from './types.js';
import { registerWebhooks } from './webhooks.js';

export function buildHttpServer(deps: HttpDeps): FastifyInstance {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps fastify's default generics for the route modules.
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Keep-alive sockets must not hold shutdown open.
    forceCloseConnections: true,
    // Reverse proxies in front of the connector terminate TLS; client IPs in logs come from them.
    trustProxy: true,
    return503OnClosing: true,
    // The routes log what matters (queued, duplicate, rejected) once per request; fastify's pair is noise.
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => reply.code(404).send(errorBody('not_found', `No route for ${request.method} ${request.url}.`)));

  registerSyncRequests(app, deps);
  registerWebhooks(app, deps);
  registerConnection(app, deps);

  app.get('/healthz', async (request, reply) => {
    const report = await deps.health();
    // Unauthenticated: the status only. The reasons need the sync-request secret (an admin's curl, not the world).
    const detailed = bearerMatches(request.headers.authorization, deps.syncRequestSecret);
    return reply.code(report.healthy ? 200 : 503).send(detailed ? report : publicHealth(report));
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(text);
  });

  return app;
}
