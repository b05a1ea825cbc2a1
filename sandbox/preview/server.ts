/**
 * The preview server (fastify, loopback): pages that mount one of the package's components, the components'
 * bundles, SLDS's styles, and the API the platform stand-ins call. Every API call runs against the local org as the
 * user the page names (`?user=seller`), through that user's own OAuth session, so permissions, validation rules
 * and flows apply exactly as they do for the connector and the tests.
 */
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { LocalOrg } from '../org/index.js';
import { BundleError, CLIENT_DIR, bundleComponents, previewableComponents, tagNameOf, type Bundle } from './bundle.js';
import { runGraphql } from './graphql.js';
import { labelsFor, readLabels, translationLanguages } from './labels.js';
import { OrgApiError, OrgSession } from './org-session.js';
import { renderIndex, renderPage } from './page.js';
import { LWC_DIR } from './paths.js';
import { UiApi, UiApiError } from './ui-api.js';

/** What the preview needs from a local org (startLocalOrg's result). */
export type PreviewOrg = Pick<LocalOrg, 'url' | 'apiVersion' | 'sellerCredentials' | 'control'>;

export interface PreviewServerOptions {
  org: PreviewOrg;
  /** Folders holding `c/*` bundles (default: the package's lwc folder). */
  componentDirs?: string[];
}

const SLDS_ASSETS = path.join(path.dirname(createRequire(import.meta.url).resolve('@salesforce-ux/design-system/package.json')), 'assets');

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

interface UserContext {
  key: string;
  session: OrgSession;
  api: UiApi;
}

/** Newest modification time under the given folders: a changed component or stand-in rebuilds its bundle. */
function sourceStamp(dirs: string[]): number {
  let newest = 0;
  const visit = (dir: string, depth: number) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < 2 && entry.name !== '__tests__' && entry.name !== 'node_modules') visit(full, depth + 1);
      } else newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const dir of dirs) visit(dir, 0);
  return newest;
}

export function buildPreviewServer(options: PreviewServerOptions): FastifyInstance {
  const { org } = options;
  const componentDirs = options.componentDirs ?? [LWC_DIR];
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const users = new Map<string, UserContext>();
  /** Builds by id: `all-<stamp>` holds every previewable component; `only-<component>-<stamp>` one alone. */
  const builds = new Map<string, Promise<Bundle>>();
  let building: Promise<unknown> = Promise.resolve();
  const streams = new Set<{ res: ServerResponse; abort: AbortController }>();

  app.addHook('preClose', async () => {
    for (const stream of streams) {
      stream.abort.abort();
      stream.res.end();
    }
    streams.clear();
  });

  const userContext = (key: string): UserContext => {
    let context = users.get(key);
    if (context) return context;
    let user;
    try {
      user = org.control.users.get(key);
    } catch {
      throw new UiApiError(400, [{ errorCode: 'INVALID_USER', message: `The local org has no user "${key}" (users: ${org.control.users.list().map((u) => u.key).join(', ')})` }]);
    }
    if (!user.password) {
      throw new UiApiError(400, [{ errorCode: 'INVALID_USER', message: `User "${key}" cannot log in interactively (no password)` }]);
    }
    const session = new OrgSession(
      { url: org.url, apiVersion: org.apiVersion, clientId: org.sellerCredentials.clientId, clientSecret: org.sellerCredentials.clientSecret },
      { username: user.username, password: user.password }
    );
    context = { key, session, api: new UiApi(session) };
    users.set(key, context);
    return context;
  };

  const userOf = (request: FastifyRequest): UserContext => userContext(String((request.query as Record<string, unknown>).user ?? 'seller'));

  /** Runs builds one at a time, so each reuses what the previous one compiled (bundle.ts keeps the cache). */
  const build = (id: string, components: string[]): Promise<Bundle> => {
    let bundle = builds.get(id);
    if (bundle) return bundle;
    const labelNames = new Set(Object.keys(readLabels()));
    bundle = building.then(() => bundleComponents({ components, labelNames, componentDirs }));
    building = bundle.catch(() => undefined);
    builds.set(id, bundle);
    return bundle;
  };

  /**
   * The build serving a component: every previewable component bundled together (the first page pays for all of
   * them, the others load at once); when that build fails, the component alone, so one broken component does not
   * take the others down and its own error is the one reported. A changed component or stand-in starts new builds.
   */
  const buildFor = async (component: string): Promise<{ id: string; bundle: Bundle }> => {
    const stamp = Math.round(sourceStamp([...componentDirs, CLIENT_DIR]));
    const all = `all-${stamp}`;
    for (const id of builds.keys()) if (!id.endsWith(`-${stamp}`)) builds.delete(id);
    try {
      return { id: all, bundle: await build(all, previewableComponents(componentDirs)) };
    } catch {
      const alone = `only-${component}-${stamp}`;
      return { id: alone, bundle: await build(alone, [component]) };
    }
  };

  const sendError = (reply: FastifyReply, error: unknown) => {
    if (error instanceof UiApiError) return reply.status(error.status).send(error.body);
    if (error instanceof OrgApiError) return reply.status(error.status).send(error.errors);
    return reply.status(500).send([{ errorCode: 'UNKNOWN_EXCEPTION', message: (error as Error)?.message ?? String(error) }]);
  };

  const api = <T>(handler: (request: FastifyRequest, user: UserContext) => Promise<T>) => async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      const result = await handler(request, userOf(request));
      if (result === undefined) return reply.status(204).send();
      return reply.send(result);
    } catch (error) {
      return sendError(reply, error);
    }
  };

  const list = (value: unknown): string[] =>
    typeof value === 'string' && value !== '' ? value.split(',').map((v) => v.trim()).filter(Boolean) : [];

  // ------------------------------------------------------------------ pages

  app.get('/', async (_request, reply) => {
    const opportunities = org.control.records.query('SELECT Id, Name, Partner_Center_Sync_Status__c FROM Opportunity ORDER BY Name');
    return reply.type('text/html; charset=utf-8').send(
      renderIndex({
        components: previewableComponents(componentDirs),
        users: org.control.users.list().filter((u) => u.password).map((u) => ({ key: u.key, name: u.name })),
        languages: translationLanguages(),
        opportunities: opportunities.map((o) => ({ id: String(o.Id), name: String(o.Name), status: String(o.Partner_Center_Sync_Status__c ?? '') })),
      })
    );
  });

  app.get('/preview/:component', async (request, reply) => {
    const { component } = request.params as { component: string };
    const query = request.query as Record<string, string | undefined>;
    if (!previewableComponents(componentDirs).includes(component)) {
      return reply.status(404).type('text/plain').send(`No component ${component}; try one of: ${previewableComponents(componentDirs).join(', ')}`);
    }
    const lang = query.lang && query.lang !== 'en_US' ? query.lang : 'en_US';
    if (lang !== 'en_US' && !translationLanguages().includes(lang)) {
      return reply.status(400).type('text/plain').send(`No translation for ${lang}; languages: en_US, ${translationLanguages().join(', ')}`);
    }
    let user;
    try {
      user = userOf(request);
    } catch (error) {
      return reply.status(400).type('text/plain').send((error as Error).message);
    }
    let built: { id: string; bundle: Bundle };
    try {
      built = await buildFor(component);
    } catch (error) {
      return reply.status(500).type('text/plain').send(`Could not bundle c/${component}: ${(error as Error).message}`);
    }
    const orgUser = org.control.users.get(user.key);
    const props: Record<string, unknown> = {};
    if (query.recordId) {
      props.recordId = query.recordId;
      const objectApiName = await user.session.objectOfId(query.recordId).catch(() => undefined);
      if (objectApiName) props.objectApiName = objectApiName;
    }
    const allLabels = labelsFor(lang);
    const labels = Object.fromEntries((built.bundle.labels[component] ?? []).map((name) => [name, allLabels[name]]));
    return reply.type('text/html; charset=utf-8').send(
      renderPage({
        component,
        tagName: tagNameOf(component),
        bundleUrl: `/bundles/${built.id}/${component}.js`,
        width: query.width,
        context: {
          component,
          lang,
          labels,
          props,
          user: {
            key: user.key,
            id: orgUser.id,
            username: orgUser.username,
            name: orgUser.name,
            customPermissions: [...orgUser.customPermissions],
            isGuest: false,
          },
        },
      })
    );
  });

  app.get('/favicon.ico', async (_request, reply) => reply.status(204).send());

  /** A component's entry in the current build: redirects to `/bundles/<build>/<component>.js`. */
  app.get('/bundles/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    const component = file.replace(/\.js$/, '');
    if (!file.endsWith('.js') || !previewableComponents(componentDirs).includes(component)) return reply.status(404).send('not found');
    try {
      const { id } = await buildFor(component);
      return reply.redirect(`/bundles/${id}/${file}`, 302);
    } catch (error) {
      const status = error instanceof BundleError ? 422 : 500;
      return reply.status(status).type('text/plain').send(`Could not bundle c/${component}: ${(error as Error).message}`);
    }
  });

  /** A build's files: the entries and the chunks they import relatively (`./chunks/…`). Names never change meaning. */
  app.get('/bundles/:build/*', async (request, reply) => {
    const { build: id, '*': file } = request.params as { build: string; '*': string };
    const bundle = builds.get(id);
    const code = bundle ? (await bundle.catch(() => undefined))?.files.get(file) : undefined;
    if (code === undefined) return reply.status(404).type('text/plain').send(`not found: ${id}/${file} (the sources changed since; reload the page)`);
    return reply.type('text/javascript; charset=utf-8').header('Cache-Control', 'max-age=3600, immutable').send(code);
  });

  app.get('/assets/slds/*', async (request, reply) => {
    const rel = (request.params as { '*': string })['*'];
    const file = path.resolve(SLDS_ASSETS, rel);
    if (!file.startsWith(SLDS_ASSETS + path.sep) || !existsSync(file) || !statSync(file).isFile()) return reply.status(404).send('not found');
    return reply
      .type(CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream')
      .header('Cache-Control', 'max-age=3600')
      .send(createReadStream(file));
  });

  // ------------------------------------------------------------------ UI API stand-in

  app.get(
    '/api/ui-api/records/:id',
    api(async (request, user) => {
      const { id } = request.params as { id: string };
      const query = request.query as Record<string, unknown>;
      return user.api.getRecord(id, list(query.fields), list(query.optionalFields));
    })
  );

  app.patch(
    '/api/ui-api/records/:id',
    api(async (request, user) => {
      const { id } = request.params as { id: string };
      const body = (request.body ?? {}) as { fields?: Record<string, unknown> };
      return user.api.updateRecord(id, body.fields ?? {});
    })
  );

  app.delete(
    '/api/ui-api/records/:id',
    api(async (request, user) => {
      await user.api.deleteRecord((request.params as { id: string }).id);
      return undefined;
    })
  );

  app.post(
    '/api/ui-api/records',
    api(async (request, user) => {
      const body = (request.body ?? {}) as { apiName?: string; fields?: Record<string, unknown> };
      if (!body.apiName) throw new UiApiError(400, { message: 'createRecord needs apiName', output: { errors: [{ errorCode: 'INVALID_INPUT', message: 'createRecord needs apiName' }], fieldErrors: {} } });
      return user.api.createRecord(body.apiName, body.fields ?? {});
    })
  );

  app.get(
    '/api/ui-api/object-info/:name',
    api(async (request, user) => user.api.objectInfo((request.params as { name: string }).name))
  );

  app.get(
    '/api/ui-api/object-info/:name/picklist-values/:recordTypeId/:field',
    api(async (request, user) => {
      const { name, recordTypeId, field } = request.params as { name: string; recordTypeId: string; field: string };
      return user.api.picklistValues(name, recordTypeId, field);
    })
  );

  app.post(
    '/api/ui-api/related-list-records/:parentId/:relatedListId',
    api(async (request, user) => {
      const { parentId, relatedListId } = request.params as { parentId: string; relatedListId: string };
      const body = (request.body ?? {}) as { fields?: string[]; optionalFields?: string[]; sortBy?: string[]; pageSize?: number; where?: unknown };
      if (body.where) throw new UiApiError(400, [{ errorCode: 'NOT_SUPPORTED', message: "getRelatedListRecords' where is not supported by the preview" }]);
      return user.api.relatedListRecords(parentId, relatedListId, body);
    })
  );

  app.post(
    '/api/graphql',
    api(async (request, user) => {
      const body = (request.body ?? {}) as { query?: string; variables?: Record<string, unknown>; operationName?: string };
      if (typeof body.query !== 'string') return { data: null, errors: [{ message: 'Must provide a query string.' }] };
      return runGraphql(user.session, { query: body.query, variables: body.variables, operationName: body.operationName });
    })
  );

  // ------------------------------------------------------------------ lightning-flow stand-in

  // The platform runs a page's screen flow through its own (non-public) flow runtime; here the local org runs the
  // flow's equivalent as the page user, who needs access to it as on the platform. Outputs come back as
  // lightning-flow reports them: { name, value } per output variable.
  app.post(
    '/api/flows/:name',
    api(async (request, user) => {
      const { name } = request.params as { name: string };
      const body = (request.body ?? {}) as { inputs?: Array<{ name: string; value: unknown }> };
      const inputs = Object.fromEntries((body.inputs ?? []).map((input) => [input.name, input.value]));
      try {
        const outputs = await org.control.flows.run(name.replace(/^\w+__(?=Partner_Center_)/, ''), inputs, { as: user.key });
        return { status: 'FINISHED', outputVariables: Object.entries(outputs).map(([outputName, value]) => ({ name: outputName, value })) };
      } catch (error) {
        return { status: 'ERROR', message: (error as Error).message };
      }
    })
  );

  // ------------------------------------------------------------------ empApi stand-in

  app.get(
    '/api/events/status',
    api(async (_request, user) => {
      await user.session.accessToken();
      return { enabled: true };
    })
  );

  app.get('/api/events/stream', async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const channel = query.channel ?? '';
    const match = /^\/event\/([A-Za-z0-9_]+__e)$/.exec(channel);
    if (!match) return reply.status(400).send([{ errorCode: 'INVALID_CHANNEL', message: `Only platform event channels (/event/Name__e) are supported, got ${channel}` }]);
    let user: UserContext;
    let token: string;
    try {
      user = userOf(request);
      token = await user.session.accessToken();
    } catch (error) {
      return sendError(reply, error);
    }
    const replayId = Number(query.replayId ?? -1);
    // empApi: -1 new events only, -2 everything stored; the local org: after=-1 new only, after=n events after n.
    const after = replayId === -2 ? 0 : replayId;
    const abort = new AbortController();
    let upstream: Response;
    try {
      upstream = await fetch(`${org.url}/local/events/${match[1]}/stream?after=${after}`, {
        headers: { Authorization: `Bearer ${token}` },
        signal: abort.signal,
      });
    } catch (error) {
      return reply.status(502).send([{ errorCode: 'STREAM_FAILED', message: (error as Error).message }]);
    }
    if (!upstream.ok || !upstream.body) {
      return reply.status(upstream.status || 502).send(await upstream.text().catch(() => ''));
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.flushHeaders();
    const entry = { res, abort };
    streams.add(entry);
    request.raw.on('close', () => {
      abort.abort();
      streams.delete(entry);
    });
    void (async () => {
      try {
        for await (const chunk of upstream.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
      } catch {
        // Aborted (the page went away or the server closes): nothing to forward any more.
      } finally {
        streams.delete(entry);
        res.end();
      }
    })();
  });

  return app;
}
