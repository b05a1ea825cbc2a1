/**
 * The local org: a stand-in for a Salesforce org that speaks the REST subset the connector uses (OAuth, query,
 * sObject rows, upsert by external id, composite), enforces the rules a real org enforces, runs the package's
 * flows and delivers sync requests to the connector. `npm start` and the tests start it with startLocalOrg().
 */
import type { AddressInfo } from 'node:net';
import { createControl, type LocalOrgControl } from './control.js';
import type { DeliveryOptions } from './delivery.js';
import type { FaultOptions } from './faults.js';
import { Auth, type ClientApp } from './oauth.js';
import { Org } from './org.js';
import type { ExtraFieldSpec } from './schema.js';
import { provisionStages, seedDemoData, type SeedResult } from './seed.js';
import { buildServer } from './server.js';
import { Stats, type StatsSnapshot } from './stats.js';

export interface LocalOrgOptions {
  /** 0 (default) lets the OS pick a free port. */
  port?: number;
  host?: string;
  /** SQLite file; default in-memory. A file keeps data (and users' ids) across restarts. */
  dbPath?: string;
  /** Connector base URL the delivery flow posts to (`{connectorUrl}/v1/sync-requests`); can be set later. */
  connectorUrl?: string;
  /** Bearer secret sent with each delivery (the named credential's external credential). */
  sharedSecret?: string;
  /** Seed demo data (default true). Users and opportunity stages are always provisioned. */
  seed?: boolean;
  faults?: FaultOptions;
  /** Latest API version advertised by /services/data (default 64.0); any vNN.N from 20.0 up is served. */
  apiVersion?: string;
  delivery?: DeliveryOptions;
  /** The connector's External Client App; defaults to fixed local credentials. */
  integrationClient?: { clientId: string; clientSecret: string; jwtPublicKey?: string };
  sessionTtlMs?: number;
  /** The org's clock (record timestamps, date literals, sessions); tests may pin it. */
  now?: () => number;
  /** Fields beyond the package per object, as a customer's org has them (e.g. `{ Account: [{ name: 'Country_Code__c', type: 'string', length: 2 }] }`). */
  extraFields?: Record<string, ExtraFieldSpec[]>;
  /** The managed package's namespace prefix: the REST API then speaks `<ns>__` names, as a subscriber org does. */
  namespace?: string;
}

export interface PasswordCredentials {
  username: string;
  password: string;
  clientId: string;
  clientSecret: string;
}

export interface LocalOrg {
  /** Instance URL (also the login URL: one server plays both roles). */
  url: string;
  loginUrl: string;
  apiVersion: string;
  orgId: string;
  /** Client credentials flow; runs as the integration user (holds Partner_Center_Integration). */
  integrationCredentials: { clientId: string; clientSecret: string; username: string };
  /** Password flow for the demo seller (no custom permission, read-only sync fields). */
  sellerCredentials: PasswordCredentials;
  adminCredentials: PasswordCredentials;
  /** What the demo seed created (null when seeding was off or the database was already seeded). */
  seeded: SeedResult | null;
  control: LocalOrgControl;
  stats(): StatsSnapshot;
  resetStats(): void;
  close(): Promise<void>;
}

export const DEFAULT_INTEGRATION_CLIENT = { clientId: 'cosell-local-connector', clientSecret: 'cosell-local-connector-secret' };
const PREVIEW_CLIENT: ClientApp = { clientId: 'cosell-local-preview', clientSecret: 'cosell-local-preview-secret' };

export async function startLocalOrg(options: LocalOrgOptions = {}): Promise<LocalOrg> {
  const apiVersion = options.apiVersion ?? '64.0';
  const org = new Org({
    dbPath: options.dbPath,
    connector: options.connectorUrl ? { connectorUrl: options.connectorUrl, sharedSecret: options.sharedSecret ?? '' } : null,
    delivery: options.delivery,
    faults: options.faults,
    now: options.now,
    extraFields: options.extraFields,
    namespace: options.namespace,
  });
  provisionStages(org);
  const seeded = options.seed === false ? null : seedDemoData(org);

  const integration = org.users.byKey('integration');
  const connectorClient: ClientApp = { ...DEFAULT_INTEGRATION_CLIENT, ...options.integrationClient, runAsUsername: integration.username };
  const auth = new Auth({ orgId: org.orgId, users: org.users, clients: [connectorClient, PREVIEW_CLIENT], sessionTtlMs: options.sessionTtlMs, now: org.now });
  const stats = new Stats();
  const urls = { instanceUrl: '', loginUrl: '' };
  const app = buildServer({ org, auth, stats, latestVersion: apiVersion, urls });
  try {
    await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  } catch (err) {
    org.close();
    throw err;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  urls.instanceUrl = `http://${host}:${address.port}`;
  urls.loginUrl = urls.instanceUrl;

  const passwordCredentials = (key: string): PasswordCredentials => {
    const user = org.users.byKey(key);
    return { username: user.username, password: user.password ?? '', clientId: PREVIEW_CLIENT.clientId, clientSecret: PREVIEW_CLIENT.clientSecret };
  };

  let closed = false;
  return {
    url: urls.instanceUrl,
    loginUrl: urls.loginUrl,
    apiVersion,
    orgId: org.orgId,
    integrationCredentials: { clientId: connectorClient.clientId, clientSecret: connectorClient.clientSecret, username: integration.username },
    sellerCredentials: passwordCredentials('seller'),
    adminCredentials: passwordCredentials('admin'),
    seeded,
    control: createControl(org, auth),
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    close: async () => {
      if (closed) return;
      closed = true;
      org.delivery.close();
      await app.close();
      org.close();
    },
  };
}

export type { LocalOrgControl } from './control.js';
export type { DeliveryAttempt, ConnectorTarget } from './delivery.js';
export type { EventMessage } from './events.js';
export type { FaultOptions, InjectedOrgFaults } from './faults.js';
export { INJECTED_VALIDATION_RULE } from './faults.js';
export type { ExtraFieldSpec } from './schema.js';
export type { StatsSnapshot } from './stats.js';
export { SYNC_REQUEST_EVENT, SYNC_STATUS_EVENT, WATCHED_OPPORTUNITY_FIELDS, VALIDATION_RULES } from './automation.js';
export { ACTIVE_STAGE, ON_HOLD_STAGE, WON_STAGE, LOST_STAGE, SOLUTION_CATALOG } from './seed.js';
export { SYNC_REQUEST_PATH } from './delivery.js';
