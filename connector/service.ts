/**
 * The connector as one running service: durable store, HTTP edge, worker and sweeps. It builds its Salesforce and
 * Partner Center backends from the configuration (a real org and tenant), or takes them from its caller — the
 * sandbox (sandbox/stack/connector.ts) hands it the local org's and the emulator's, and tests their doubles — and
 * runs the same code either way. The connector never loads the stand-ins itself. `startConnector` works in-process
 * and behind `cosell start` (a child process or a container); `createSyncRuntime` is the same wiring without the
 * HTTP edge and sweeps, for one-shot CLI work.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { secretValues } from './config/load.js';
import { livePartnerCenterClient, liveWebhookTrust } from './config/partner-center.js';
import type { ConnectorConfig, SalesforceConfig } from './config/types.js';
import { assessHealth } from './http/health.js';
import { buildHttpServer } from './http/server.js';
import { createWebhookVerifier, type WebhookTrust } from './partner-center/webhook-verifier.js';
import { WEBHOOK_PATH } from './http/webhooks.js';
import { createLogger, type Logger } from './observability/logger.js';
import { ConnectorMetrics } from './observability/metrics.js';
import { LogSecrets } from './observability/redact.js';
import type { PartnerCenterClient } from './partner-center/client.js';
import { SalesforceAuthError, connectSalesforce } from './salesforce/auth.js';
import { SalesforceGateway } from './salesforce/gateway.js';
import { StoreOpenError, describeStoreLocation, openStore, storeLocation, storeUrlPassword } from './store/open.js';
import type { Store } from './queue/types.js';
import { SyncContextCache } from './sync/context.js';
import { connectionProbe } from './connection-probe.js';
import { connectorVersion } from './version.js';
import { SweepScheduler } from './sync/sweeps.js';
import type { SyncDeps } from './sync/types.js';
import { Worker, type WorkerOptions } from './sync/worker.js';
import { OutcomeWriter } from './sync/writeback.js';

/** Finished items (and their idempotency keys) are kept this long: far longer than any redelivery window. */
const RETENTION_MS = 14 * 24 * 3600_000;
const PRUNE_EVERY_MS = 6 * 3600_000;

export class StartupError extends Error {
  override name = 'StartupError';
}

export interface ConnectorOverrides {
  logger?: Logger;
  /** Where the connector's own logger writes (default stdout); `npm start` sends it to a file beside its narration. */
  logDestination?: DestinationStream;
  store?: Store;
  salesforce?: SalesforceGateway;
  /** Where the Salesforce gateway logs in, instead of `config.salesforce` (the sandbox's local org). */
  salesforceConfig?: SalesforceConfig;
  partnerCenter?: PartnerCenterClient;
  webhookTrust?: WebhookTrust;
  /** Secrets of the backends the caller hands in, scrubbed from the log by value like the configured ones. */
  secrets?: (string | undefined)[];
  /**
   * Runs once the HTTP edge listens and before "connector listening" is logged: the sandbox points its local org's
   * delivery flow and the emulator's webhook registration here, as an admin does after installing.
   */
  onListening?: (connector: { url: string; webhookUrl: string; runtime: SyncRuntime }) => Promise<void>;
  workerId?: string;
  now?: () => number;
  /** Worker tuning that is not configuration (tests shorten the pause after a configuration error). */
  worker?: Partial<Pick<WorkerOptions, 'pauseMs' | 'maxPauseMs' | 'inboundBatchSize'>>;
}

/** Everything that syncs, without the HTTP edge. */
export interface SyncRuntime {
  config: ConnectorConfig;
  store: Store;
  worker: Worker;
  metrics: ConnectorMetrics;
  logger: Logger;
  salesforce: SalesforceGateway;
  partnerCenter: PartnerCenterClient;
  webhookTrust: WebhookTrust;
  /**
   * The one redaction: every configured secret (and credential-shaped values) scrubbed from whatever leaves the
   * connector — log lines, /healthz, startup errors on stderr, the sync log and the audit trail.
   */
  secrets: LogSecrets;
  /** Stops the worker and releases what the runtime opened (in reverse order). */
  close(): Promise<void>;
  /** Adds a step to run first on close. */
  onClose(step: () => Promise<void>): void;
}

export interface RunningConnector extends SyncRuntime {
  /** Base URL the HTTP server listens on, e.g. http://127.0.0.1:8787 */
  url: string;
  /** Where Partner Center must deliver webhooks: the public URL when configured, else the listening one. */
  webhookUrl: string;
  http: FastifyInstance;
}

/** The store the configuration names: the SQLite file, or Postgres at `store.url`. One that cannot be opened stops start-up. */
async function openConfiguredStore(config: ConnectorConfig, now: () => number, logger: Logger): Promise<Store> {
  const location = storeLocation(config.store);
  try {
    const store = await openStore(location, {
      retry: { baseMs: config.worker.retryBaseMs, capMs: config.worker.retryCapMs, maxAttempts: config.worker.maxAttempts },
      now,
      onConnectionError: (error) => logger.warn({ err: error }, 'a store connection broke; the next query reconnects'),
    });
    logger.info({ store: describeStoreLocation(location) }, 'store opened');
    return store;
  } catch (error) {
    throw error instanceof StoreOpenError ? new StartupError(error.message) : error;
  }
}

export async function createSyncRuntime(config: ConnectorConfig, overrides: ConnectorOverrides = {}): Promise<SyncRuntime> {
  // Every configured secret is scrubbed from the log by value, beside the logger's key-based redaction.
  const secrets = new LogSecrets(secretValues(config));
  const logger = overrides.logger ?? createLogger({ level: config.log.level, secrets, destination: overrides.logDestination });
  const now = overrides.now ?? Date.now;
  const cleanups: (() => Promise<void>)[] = [];
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      for (const step of cleanups.reverse()) await step().catch((error: unknown) => logger.error({ err: error }, 'shutdown step failed'));
    })());

  try {
    if (config.mode === 'sandbox' && !(overrides.partnerCenter && (overrides.salesforce || overrides.salesforceConfig))) {
      throw new StartupError(
        'Sandbox mode runs against the local Partner Center emulator and local org, which are not part of the connector: ' +
          'run `npm start`, or `npx cosell start --sandbox` from the source checkout (a live connector sets COSELL_MODE=live).',
      );
    }
    secrets.add(...(overrides.secrets ?? []));

    if (config.store.url) secrets.add(storeUrlPassword(config.store.url));
    const store = overrides.store ?? (await openConfiguredStore(config, now, logger));
    if (!overrides.store) cleanups.push(() => store.close());
    const metrics = new ConnectorMetrics(store);

    const salesforceConfig = overrides.salesforceConfig ?? config.salesforce;
    const salesforce = overrides.salesforce ?? new SalesforceGateway(() => connectSalesforce(salesforceConfig), { namespace: salesforceConfig.namespace });
    if (!overrides.salesforce) {
      try {
        await salesforce.connection();
      } catch (error) {
        // Rejected credentials will not fix themselves; an unreachable org might, so the service starts anyway.
        if (error instanceof SalesforceAuthError) throw new StartupError(error.message);
        logger.warn({ err: error }, 'Salesforce is not reachable yet; sync starts once it is');
      }
    }
    const partnerCenter = overrides.partnerCenter ?? livePartnerCenterClient(config.partnerCenter);
    const webhookTrust = overrides.webhookTrust ?? liveWebhookTrust(config.partnerCenter);

    const deps: SyncDeps = {
      store,
      salesforce,
      partnerCenter,
      context: new SyncContextCache(salesforce, 30_000, now),
      writer: new OutcomeWriter(salesforce, logger, (text) => secrets.scrub(text)),
      logger,
      now,
      redact: (text) => secrets.scrub(text),
    };
    const worker = new Worker(
      deps,
      {
        workerId: overrides.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
        config: config.worker,
        sweeps: config.sweeps,
        metrics,
        ...overrides.worker,
      },
    );
    deps.onEnqueued = () => worker.wake();
    cleanups.push(() => worker.stop());

    return {
      config,
      store,
      worker,
      metrics,
      logger,
      salesforce,
      partnerCenter,
      webhookTrust,
      secrets,
      close,
      onClose: (step) => void cleanups.push(step),
    };
  } catch (error) {
    await close();
    // A startup error is printed on stderr by `cosell start`: it may quote a login server's answer.
    throw error instanceof StartupError ? new StartupError(secrets.scrub(error.message)) : error;
  }
}

export async function startConnector(config: ConnectorConfig, overrides: ConnectorOverrides = {}): Promise<RunningConnector> {
  const runtime = await createSyncRuntime(config, overrides);
  const { store, worker, metrics, logger } = runtime;
  const now = overrides.now ?? Date.now;
  try {
    worker.start();
    // The callback is known once the server has bound its port (or from the configured public URL).
    let expectedWebhookUrl = config.http.publicUrl ? `${config.http.publicUrl}${WEBHOOK_PATH}` : '';
    const http = buildHttpServer({
      store,
      metrics,
      logger,
      syncRequestSecret: config.syncRequestSecret,
      verifyWebhook: createWebhookVerifier(runtime.webhookTrust),
      health: () =>
        assessHealth({ store, worker: () => worker.liveness(), staleAfterMs: Math.max(30_000, config.worker.pollIntervalMs * 20), now, redact: (text) => runtime.secrets.scrub(text) }),
      onEnqueued: () => worker.wake(),
      connection: connectionProbe({ partnerCenter: runtime.partnerCenter, expectedWebhookUrl: () => expectedWebhookUrl, version: connectorVersion(), now }),
      now,
    });
    await http.listen({ host: config.http.host, port: config.http.port });
    // Runs before the worker stops on close: no new requests while it winds down.
    runtime.onClose(() => http.close());
    const address = http.server.address();
    if (!address || typeof address === 'string') throw new StartupError('The HTTP server did not bind a TCP port.');
    const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    const webhookUrl = `${config.http.publicUrl ?? url}${WEBHOOK_PATH}`;
    expectedWebhookUrl = webhookUrl;

    const scheduler = new SweepScheduler(store, config.sweeps, () => worker.wake(), (error) => logger.error({ err: error }, 'could not queue a sweep'), now);
    scheduler.start();
    const pruner = setInterval(() => {
      store.prune(now() - RETENTION_MS).then(
        (n) => n > 0 && logger.info({ pruned: n }, 'pruned finished work items'),
        (error: unknown) => logger.error({ err: error }, 'prune failed'),
      );
    }, PRUNE_EVERY_MS);
    pruner.unref();
    runtime.onClose(async () => {
      scheduler.stop();
      clearInterval(pruner);
    });

    await overrides.onListening?.({ url, webhookUrl, runtime });
    logger.info({ url, mode: config.mode, workerId: worker.workerId }, 'connector listening');
    return { ...runtime, url, webhookUrl, http };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}

/**
 * Shuts down gracefully on SIGTERM or SIGINT: the HTTP server stops accepting, the worker stops claiming and
 * gives unfinished items back to the queue, and the store closes. Resolves with the exit code.
 */
export function closeOnSignals(connector: Pick<RunningConnector, 'close' | 'logger'>): Promise<number> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      connector.logger.info({ signal }, 'shutting down');
      connector.close().then(
        () => resolve(0),
        (error: unknown) => {
          connector.logger.error({ err: error }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
