/**
 * The HTTP face of the local org (fastify): OAuth and identity endpoints, /services/data with bearer-token auth,
 * Salesforce's error bodies, per-route call counting, injected latency, and a small /local API for event
 * subscribers (tests, the browser preview).
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Auth } from './oauth.js';
import { OAuthError, identity, userInfo } from './oauth.js';
import { ApiError, invalidSession, jsonParserError, notFound } from './errors.js';
import type { Org } from './org.js';
import { FORCE_ALL_OR_NONE, registerCompositeRoutes } from './rest-composite.js';
import { OLDEST_VERSION, registerMiscRoutes, versionList } from './rest-misc.js';
import { registerQueryRoutes } from './rest-query.js';
import { RestRouter } from './rest-router.js';
import { registerSobjectRoutes } from './rest-sobjects.js';
import type { Stats } from './stats.js';
import type { OrgUser } from './users.js';
import type { ServerResponse } from 'node:http';
import type { EventMessage } from './events.js';

export interface ServerDeps {
  org: Org;
  auth: Auth;
  stats: Stats;
  latestVersion: string;
  /** Filled in once the server listens (the port is chosen by the OS). */
  urls: { instanceUrl: string; loginUrl: string };
}

const JSON_TYPE = 'application/json;charset=UTF-8';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header && /^(Bearer|OAuth)\s+/i.test(header)) return header.replace(/^(Bearer|OAuth)\s+/i, '').trim();
  const q = request.query as Record<string, string | undefined>;
  return q.oauth_token ?? q.access_token;
}

function basicAuth(request: FastifyRequest): { id: string; secret: string } | null {
  const header = request.headers.authorization;
  if (!header || !/^Basic\s+/i.test(header)) return null;
  const decoded = Buffer.from(header.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
  const at = decoded.indexOf(':');
  return at < 0 ? null : { id: decodeURIComponent(decoded.slice(0, at)), secret: decodeURIComponent(decoded.slice(at + 1)) };
}

export function buildServer(deps: ServerDeps): FastifyInstance {
  const { org, auth, stats } = deps;
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 * 1024, routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true } });
  const router = new RestRouter();
  // Event streams stay open; they are ended when the server closes so close() does not hang.
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const s of streams) s.end();
  });
  registerMiscRoutes(router, org, stats, (userId) => auth.identityUrl(deps.urls.loginUrl, userId));
  registerSobjectRoutes(router, org);
  registerQueryRoutes(router, org);
  registerCompositeRoutes(router, org, stats);

  // Salesforce accepts an empty body with a JSON content type (DELETE, some PATCH clients); JSON errors are its own.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(jsonParserError(`Unexpected character in JSON: ${(err as Error).message}`), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, String(body)));

  app.addHook('onRequest', async () => {
    const delay = org.faults.latency();
    if (delay > 0) await sleep(delay);
  });

  app.setErrorHandler((err: unknown, request, reply) => {
    if (err instanceof ApiError) return reply.status(err.statusCode).type(JSON_TYPE).send(err.body());
    if (err instanceof OAuthError) return reply.status(err.status).type(JSON_TYPE).send(err.body());
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply.status(400).type(JSON_TYPE).send(jsonParserError((err as Error).message).body());
    }
    process.emitWarning(`local org: unexpected error on ${request.method} ${request.url}: ${(err as Error).stack ?? String(err)}`);
    return reply.status(500).type(JSON_TYPE).send([{ errorCode: 'UNKNOWN_EXCEPTION', message: `An unexpected error occurred: ${(err as Error).message}` }]);
  });
  app.setNotFoundHandler((request, reply) => {
    stats.record(`${request.method} (unknown resource)`);
    reply.status(404).type(JSON_TYPE).send(notFound().body());
  });

  const authenticate = (request: FastifyRequest): OrgUser => {
    const user = auth.verify(bearer(request));
    if (!user) throw invalidSession();
    return user;
  };

  // --- OAuth and identity ---------------------------------------------------------------------------------

  app.post('/services/oauth2/token', async (request, reply) => {
    stats.record('POST /services/oauth2/token');
    const params = (request.body ?? {}) as Record<string, string | undefined>;
    const merged = { ...(request.query as Record<string, string | undefined>), ...params };
    return reply.type(JSON_TYPE).send(auth.token(merged, basicAuth(request), deps.urls));
  });

  const revoke = async (request: FastifyRequest, reply: FastifyReply) => {
    stats.record(`${request.method} /services/oauth2/revoke`);
    const token = ((request.body ?? {}) as Record<string, string>).token ?? (request.query as Record<string, string>).token;
    if (!token || !auth.revoke(token)) throw new OAuthError('invalid_token', 'invalid token');
    return reply.status(200).send();
  };
  app.post('/services/oauth2/revoke', revoke);
  app.get('/services/oauth2/revoke', revoke);

  const lastModified = (user: OrgUser) => String(org.store.get(user.id)?.data.LastModifiedDate ?? '');
  const userInfoHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    stats.record(`${request.method} /services/oauth2/userinfo`);
    const user = auth.verify(bearer(request));
    if (!user) return reply.status(403).type('text/plain').send('Forbidden');
    return reply.type(JSON_TYPE).send(userInfo(user, org.orgId, deps.urls.instanceUrl, deps.urls.loginUrl, lastModified(user)));
  };
  app.get('/services/oauth2/userinfo', userInfoHandler);
  app.post('/services/oauth2/userinfo', userInfoHandler);

  app.get('/id/:orgId/:userId', async (request, reply) => {
    stats.record('GET /id/:orgId/:userId');
    const user = auth.verify(bearer(request));
    if (!user) return reply.status(403).type('text/plain').send('Bad_OAuth_Token');
    const { orgId, userId } = request.params as { orgId: string; userId: string };
    if (orgId.slice(0, 15) !== org.orgId.slice(0, 15) || userId.slice(0, 15) !== user.id.slice(0, 15)) {
      return reply.status(403).type('text/plain').send('Bad_Id');
    }
    return reply.type(JSON_TYPE).send(identity(user, org.orgId, deps.urls.instanceUrl, deps.urls.loginUrl, lastModified(user)));
  });

  // --- REST API -------------------------------------------------------------------------------------------

  app.get('/services/data', async (_request, reply) => {
    stats.record('GET /services/data');
    return reply.type(JSON_TYPE).send(versionList(deps.latestVersion));
  });

  const data = async (request: FastifyRequest, reply: FastifyReply) => {
    const q = request.url.indexOf('?');
    const rawPath = q < 0 ? request.url : request.url.slice(0, q);
    const rawQuery = q < 0 ? '' : request.url.slice(q + 1);
    const m = /^\/services\/data\/v(\d+)\.(\d)(\/.*)?$/.exec(rawPath.replace(/\/{2,}/g, '/'));
    let route = `${request.method} /services/data/vXX.X (unknown resource)`;
    try {
      if (!m || Number(m[1]) < OLDEST_VERSION) throw notFound();
      const actor = { user: authenticate(request) };
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(request.headers)) {
        if (k !== FORCE_ALL_OR_NONE) headers[k] = Array.isArray(v) ? v.join(',') : v;
      }
      // A namespaced org: the client's `<ns>__` names are read back to the package's, answers renamed for the client.
      const ns = org.namespace;
      const query = new URLSearchParams(rawQuery);
      // `q` (a SOQL query) and `fields` (sObject Rows: the fields to return) name fields, so a plain package name in
      // them names nothing in a subscriber org and is refused, as an unknown field is.
      if (ns) for (const [key, value] of [...query.entries()]) query.set(key, ns.fromApiText(value, key === 'q' || key === 'fields'));
      const resolved = router.resolve({
        method: request.method,
        path: ns ? ns.fromApiText(m[3] ?? '/', true) : (m[3] ?? '/'),
        query,
        body: ns ? ns.fromApi(request.body) : request.body,
        headers,
        version: `${m[1]}.${m[2]}`,
        actor,
      });
      route = resolved.route;
      const res = resolved.run();
      reply.status(res.status).headers(res.headers ?? {});
      if (res.status === 204 || res.body === undefined) return reply.send();
      return reply.type(JSON_TYPE).send(JSON.stringify(ns ? ns.toApi(res.body) : res.body));
    } finally {
      stats.record(route);
    }
  };
  app.route({ method: ['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD'], url: '/services/data/:version', handler: data });
  app.route({ method: ['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'HEAD'], url: '/services/data/:version/*', handler: data });

  // --- local-only: platform event subscribers (tests, browser preview) -----------------------------------

  // A namespaced org: the event's channel is `/event/<ns>__Name__e` and its payload fields carry the prefix
  // ("Subscribe to Platform Event Notifications with CometD", Platform Events Developer Guide: the channel is the
  // event's API name, which in a subscriber org includes the package namespace), so a plain package event name is
  // refused and messages go out renamed.
  const eventType = (type: string): string => (org.namespace ? org.namespace.fromApiText(type, true) : type);
  const eventOut = (m: EventMessage): unknown => (org.namespace ? org.namespace.toApi(m) : m);

  app.get('/local/events/:type', async (request, reply) => {
    authenticate(request);
    const type = eventType((request.params as { type: string }).type);
    const after = Number((request.query as Record<string, string>).after ?? 0);
    return reply.type(JSON_TYPE).send(org.events.list(type, after).map(eventOut));
  });

  app.get('/local/events/:type/stream', (request, reply) => {
    authenticate(request);
    const type = eventType((request.params as { type: string }).type);
    const after = Number((request.query as Record<string, string>).after ?? -1);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    // Send the headers now: a subscriber must be connected before the events it waits for are published.
    res.flushHeaders();
    const send = (m: EventMessage) => res.write(`id: ${m.data.event.replayId}\ndata: ${JSON.stringify(eventOut(m))}\n\n`);
    if (after >= 0) org.events.list(type, after).forEach(send);
    const unsubscribe = org.events.subscribe(type, send);
    streams.add(res);
    request.raw.on('close', () => {
      unsubscribe();
      streams.delete(res);
    });
  });

  return app;
}
