/**
 * The connector process's own settings (not the org's Partner_Center_Settings__c record: engine/org-settings.ts).
 * Every connector setting in one table: its path in the JSON config file, its environment variable (env wins)
 * and its type. Secrets have no config-file key at all: they come from an environment variable or from a file
 * named by `<VAR>_FILE` (or by the `...File` key in the config file), and that file must live outside the
 * repository. The loader, the start-up error messages and `docs` all read this table.
 */

export type SettingType = 'string' | 'integer' | 'boolean' | 'list' | 'url';

export interface Setting {
  /** Dotted path in the config file and in ConnectorConfig. */
  path: string;
  env: string;
  type: SettingType;
  /** Loaded from env or a file outside the repository; never accepted inline in the config file. */
  secret?: boolean;
  description: string;
}

export const SETTINGS: readonly Setting[] = [
  { path: 'mode', env: 'COSELL_MODE', type: 'string', description: '"live" (a real org and tenant) or "sandbox" (the local emulators)' },
  { path: 'http.host', env: 'COSELL_HOST', type: 'string', description: 'interface the HTTP server binds to' },
  { path: 'http.port', env: 'COSELL_PORT', type: 'integer', description: 'HTTP port (0 picks a free one)' },
  {
    path: 'http.publicUrl',
    env: 'COSELL_PUBLIC_URL',
    type: 'url',
    description: 'the https URL Partner Center and Salesforce reach this connector at (webhook registration)',
  },
  { path: 'store.path', env: 'COSELL_STORE_PATH', type: 'string', description: 'SQLite database file of the durable queue' },
  {
    path: 'store.url',
    env: 'COSELL_STORE_URL',
    type: 'url',
    description:
      'Postgres URL of a queue several connector instances share, e.g. postgres://cosell@db:5432/cosell (replaces store.path); ' +
      'its password only in this environment variable or PGPASSWORD, never in the config file',
  },
  {
    path: 'syncRequestSecret',
    env: 'COSELL_SYNC_REQUEST_SECRET',
    type: 'string',
    secret: true,
    description: "shared secret the package's Named Credential sends as a Bearer token",
  },

  { path: 'salesforce.auth', env: 'COSELL_SF_AUTH', type: 'string', description: '"client-credentials", "jwt" or "sf-cli"' },
  {
    path: 'salesforce.loginUrl',
    env: 'COSELL_SF_LOGIN_URL',
    type: 'url',
    description: 'https://login.salesforce.com, https://test.salesforce.com for a sandbox, or your My Domain URL',
  },
  { path: 'salesforce.apiVersion', env: 'COSELL_SF_API_VERSION', type: 'string', description: 'Salesforce REST API version, e.g. 62.0' },
  { path: 'salesforce.clientId', env: 'COSELL_SF_CLIENT_ID', type: 'string', description: "External Client App's consumer key" },
  {
    path: 'salesforce.clientSecret',
    env: 'COSELL_SF_CLIENT_SECRET',
    type: 'string',
    secret: true,
    description: "External Client App's consumer secret (client-credentials)",
  },
  { path: 'salesforce.username', env: 'COSELL_SF_USERNAME', type: 'string', description: 'integration user name (jwt)' },
  {
    path: 'salesforce.privateKey',
    env: 'COSELL_SF_PRIVATE_KEY',
    type: 'string',
    secret: true,
    description: 'PEM private key whose certificate is on the External Client App (jwt)',
  },
  { path: 'salesforce.orgAlias', env: 'COSELL_SF_ORG_ALIAS', type: 'string', description: 'Salesforce CLI org alias or username (sf-cli)' },
  {
    path: 'salesforce.namespace',
    env: 'COSELL_SF_NAMESPACE',
    type: 'string',
    description: "the managed package's namespace prefix in the org (empty for a source deploy)",
  },

  { path: 'partnerCenter.tenantId', env: 'COSELL_PC_TENANT_ID', type: 'string', description: 'Microsoft Entra tenant id of the partner' },
  { path: 'partnerCenter.clientId', env: 'COSELL_PC_CLIENT_ID', type: 'string', description: 'Entra app (client) id registered in Partner Center' },
  { path: 'partnerCenter.clientSecret', env: 'COSELL_PC_CLIENT_SECRET', type: 'string', secret: true, description: 'Entra app client secret' },
  {
    path: 'partnerCenter.refreshToken',
    env: 'COSELL_PC_REFRESH_TOKEN',
    type: 'string',
    secret: true,
    description: 'refresh token of a Referrals admin/user (App+User)',
  },
  {
    path: 'partnerCenter.tokenCacheFile',
    env: 'COSELL_PC_TOKEN_CACHE_FILE',
    type: 'string',
    description: 'file (outside the repository) where the rotating Partner Center sign-in is kept, written with mode 0600',
  },
  { path: 'partnerCenter.authorityHost', env: 'COSELL_PC_AUTHORITY_HOST', type: 'url', description: 'Entra authority host' },
  { path: 'partnerCenter.apiBaseUrl', env: 'COSELL_PC_API_BASE_URL', type: 'url', description: 'Referrals API base URL' },
  { path: 'partnerCenter.webhooksBaseUrl', env: 'COSELL_PC_WEBHOOKS_BASE_URL', type: 'url', description: 'Webhooks API base URL' },
  {
    path: 'partnerCenter.webhookCertificateHosts',
    env: 'COSELL_PC_WEBHOOK_CERT_HOSTS',
    type: 'list',
    description: 'hosts a webhook signing certificate may be fetched from (comma-separated)',
  },
  {
    path: 'partnerCenter.webhookTrustedRootsFile',
    env: 'COSELL_PC_WEBHOOK_TRUSTED_ROOTS_FILE',
    type: 'string',
    description: 'PEM bundle of the roots a webhook signing certificate must chain to (default: Node.js root store)',
  },

  { path: 'worker.concurrency', env: 'COSELL_WORKER_CONCURRENCY', type: 'integer', description: 'items worked at once' },
  { path: 'worker.pollIntervalMs', env: 'COSELL_POLL_INTERVAL_MS', type: 'integer', description: 'idle wait between queue polls' },
  { path: 'worker.leaseMs', env: 'COSELL_LEASE_MS', type: 'integer', description: 'how long a claimed item is held before another worker may take it' },
  { path: 'worker.maxAttempts', env: 'COSELL_MAX_ATTEMPTS', type: 'integer', description: 'attempts before an item is parked as a dead letter' },
  { path: 'worker.retryBaseMs', env: 'COSELL_RETRY_BASE_MS', type: 'integer', description: 'first retry delay (doubles per attempt)' },
  { path: 'worker.retryCapMs', env: 'COSELL_RETRY_CAP_MS', type: 'integer', description: 'longest retry delay' },

  { path: 'sweeps.enabled', env: 'COSELL_SWEEPS_ENABLED', type: 'boolean', description: 'run the periodic catch-up sweeps' },
  {
    path: 'sweeps.pendingIntervalMs',
    env: 'COSELL_SWEEP_PENDING_INTERVAL_MS',
    type: 'integer',
    description: 'how often to look for opportunities left Pending',
  },
  {
    path: 'sweeps.pendingAgeSeconds',
    env: 'COSELL_SWEEP_PENDING_AGE_SECONDS',
    type: 'integer',
    description: 'an opportunity Pending longer than this is synced by the sweep',
  },
  {
    path: 'sweeps.referralsIntervalMs',
    env: 'COSELL_SWEEP_REFERRALS_INTERVAL_MS',
    type: 'integer',
    description: 'how often to list referrals updated since the last sweep',
  },

  { path: 'log.level', env: 'COSELL_LOG_LEVEL', type: 'string', description: 'fatal, error, warn, info, debug or trace' },
];

export const SETTINGS_BY_PATH: ReadonlyMap<string, Setting> = new Map(SETTINGS.map((s) => [s.path, s]));

/** How to set a setting, for error messages: `set COSELL_PORT or "http.port" in the config file`. */
export function howToSet(setting: Setting): string {
  return setting.secret
    ? `set ${setting.env}, or ${setting.env}_FILE (or "${setting.path}File" in the config file) to a file outside the repository`
    : `set ${setting.env} or "${setting.path}" in the config file`;
}
