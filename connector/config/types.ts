/** The connector's resolved configuration: what `loadConfig` returns and `startConnector` takes. */

export type ConnectorMode = 'live' | 'sandbox';
export type SalesforceAuth = 'client-credentials' | 'jwt' | 'sf-cli';

export interface SalesforceConfig {
  auth: SalesforceAuth;
  loginUrl: string;
  apiVersion: string;
  clientId?: string;
  clientSecret?: string;
  username?: string;
  privateKey?: string;
  orgAlias?: string;
  /** The managed package's namespace prefix in the org; unset for a source deploy. */
  namespace?: string;
}

export interface PartnerCenterConfig {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  /** Where MSAL's token cache (holding the rotating refresh token) is persisted; outside the repository. */
  tokenCacheFile?: string;
  authorityHost: string;
  apiBaseUrl: string;
  webhooksBaseUrl: string;
  /** Hosts a webhook's X-MS-Certificate-Url may point at. */
  webhookCertificateHosts: string[];
  /** PEM file of trusted roots for the webhook signing certificate chain; default Node's root store. */
  webhookTrustedRootsFile?: string;
}

export interface WorkerConfig {
  concurrency: number;
  pollIntervalMs: number;
  leaseMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryCapMs: number;
}

export interface SweepConfig {
  enabled: boolean;
  pendingIntervalMs: number;
  pendingAgeSeconds: number;
  referralsIntervalMs: number;
}

export interface ConnectorConfig {
  mode: ConnectorMode;
  http: { host: string; port: number; publicUrl?: string };
  /** SQLite file by default; a Postgres URL (`url`) instead when several instances share the queue. */
  store: { path: string; url?: string };
  syncRequestSecret: string;
  salesforce: SalesforceConfig;
  partnerCenter: PartnerCenterConfig;
  worker: WorkerConfig;
  sweeps: SweepConfig;
  log: { level: string };
}

/** Values every setting takes when neither the file nor the environment sets it. */
export const DEFAULTS = {
  mode: 'live',
  http: { host: '127.0.0.1', port: 8787 },
  store: { path: 'var/cosell.sqlite' },
  salesforce: { auth: 'client-credentials', loginUrl: 'https://login.salesforce.com', apiVersion: '64.0' },
  partnerCenter: {
    authorityHost: 'https://login.microsoftonline.com',
    apiBaseUrl: 'https://api.partner.microsoft.com/v1.0/engagements',
    webhooksBaseUrl: 'https://api.partnercenter.microsoft.com/webhooks/v1',
    // Partner Center's documented certificate host (connector/partner-center/webhook-signature.ts).
    webhookCertificateHosts: ['3psostorageacct.blob.core.windows.net'],
  },
  // The work is latency-bound (each item mostly waits on Salesforce and Partner Center: 0.1–0.8 s a call), not
  // CPU-bound: 16 items in flight keep one instance busy on one core while staying far below Salesforce's 25
  // concurrent long-running requests (none of these calls is long-running) and Partner Center's throttling.
  worker: { concurrency: 16, pollIntervalMs: 500, leaseMs: 120_000, maxAttempts: 10, retryBaseMs: 5_000, retryCapMs: 30 * 60_000 },
  sweeps: { enabled: true, pendingIntervalMs: 60_000, pendingAgeSeconds: 120, referralsIntervalMs: 300_000 },
  log: { level: 'info' },
} as const;
