/** JSON Schema of the resolved configuration; ajv checks it after defaults, file and environment are merged. */
import type { JSONSchemaType } from 'ajv';
import type { ConnectorConfig } from './types.js';

const url = { type: 'string', format: 'uri', pattern: '^https?://' } as const;
const positive = { type: 'integer', minimum: 1 } as const;

export const configSchema: JSONSchemaType<ConnectorConfig> = {
  type: 'object',
  additionalProperties: false,
  required: ['mode', 'http', 'store', 'syncRequestSecret', 'salesforce', 'partnerCenter', 'worker', 'sweeps', 'log'],
  properties: {
    mode: { type: 'string', enum: ['live', 'sandbox'] },
    http: {
      type: 'object',
      additionalProperties: false,
      required: ['host', 'port'],
      properties: {
        host: { type: 'string', minLength: 1 },
        port: { type: 'integer', minimum: 0, maximum: 65535 },
        publicUrl: { ...url, nullable: true },
      },
    },
    store: {
      type: 'object',
      additionalProperties: false,
      required: ['path'],
      properties: { path: { type: 'string', minLength: 1 }, url: { type: 'string', nullable: true, minLength: 1 } },
    },
    // Long enough that guessing it over the network is hopeless.
    syncRequestSecret: { type: 'string', minLength: 16 },
    salesforce: {
      type: 'object',
      additionalProperties: false,
      required: ['auth', 'loginUrl', 'apiVersion'],
      properties: {
        auth: { type: 'string', enum: ['client-credentials', 'jwt', 'sf-cli'] },
        loginUrl: url,
        apiVersion: { type: 'string', pattern: '^\\d{2,3}\\.0$' },
        clientId: { type: 'string', nullable: true, minLength: 1 },
        clientSecret: { type: 'string', nullable: true, minLength: 1 },
        username: { type: 'string', nullable: true, minLength: 1 },
        privateKey: { type: 'string', nullable: true, pattern: '-----BEGIN [A-Z ]*PRIVATE KEY-----' },
        orgAlias: { type: 'string', nullable: true, minLength: 1 },
        // Salesforce namespace prefixes: 1-15 letters and digits, starting with a letter.
        namespace: { type: 'string', nullable: true, pattern: '^[A-Za-z][A-Za-z0-9]{0,14}$' },
      },
    },
    partnerCenter: {
      type: 'object',
      additionalProperties: false,
      required: ['authorityHost', 'apiBaseUrl', 'webhooksBaseUrl', 'webhookCertificateHosts'],
      properties: {
        tenantId: { type: 'string', nullable: true, minLength: 1 },
        clientId: { type: 'string', nullable: true, minLength: 1 },
        clientSecret: { type: 'string', nullable: true, minLength: 1 },
        refreshToken: { type: 'string', nullable: true, minLength: 1 },
        tokenCacheFile: { type: 'string', nullable: true, minLength: 1 },
        authorityHost: url,
        apiBaseUrl: url,
        webhooksBaseUrl: url,
        webhookCertificateHosts: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[A-Za-z0-9.-]+(:\\d+)?$' } },
        webhookTrustedRootsFile: { type: 'string', nullable: true, minLength: 1 },
      },
    },
    worker: {
      type: 'object',
      additionalProperties: false,
      required: ['concurrency', 'pollIntervalMs', 'leaseMs', 'maxAttempts', 'retryBaseMs', 'retryCapMs'],
      properties: {
        concurrency: { type: 'integer', minimum: 1, maximum: 64 },
        pollIntervalMs: { type: 'integer', minimum: 10 },
        leaseMs: { type: 'integer', minimum: 1000 },
        maxAttempts: positive,
        retryBaseMs: positive,
        retryCapMs: positive,
      },
    },
    sweeps: {
      type: 'object',
      additionalProperties: false,
      required: ['enabled', 'pendingIntervalMs', 'pendingAgeSeconds', 'referralsIntervalMs'],
      properties: {
        enabled: { type: 'boolean' },
        pendingIntervalMs: { type: 'integer', minimum: 1000 },
        pendingAgeSeconds: { type: 'integer', minimum: 0 },
        referralsIntervalMs: { type: 'integer', minimum: 1000 },
      },
    },
    log: {
      type: 'object',
      additionalProperties: false,
      required: ['level'],
      properties: { level: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] } },
    },
  },
};
