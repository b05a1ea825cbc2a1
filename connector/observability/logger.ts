/**
 * JSON logs through pino. Anything that could carry a credential is redacted twice: by key (a config, a header
 * set, an OAuth response logged as an object) and, on the finished line, by value (the known secrets and
 * credential-shaped strings, see redact.ts), so a secret quoted inside a message never reaches the log either.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import { LogSecrets } from './redact.js';

export type { Logger } from 'pino';

const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'clientSecret',
  'refreshToken',
  'privateKey',
  'syncRequestSecret',
  'accessToken',
  'access_token',
  'refresh_token',
  'client_secret',
  'id_token',
  'assertion',
  'sharedSecret',
  'secret',
  'password',
  'cookie',
];

export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-ms-certificate-url"]',
];

export interface LoggerOptions {
  level?: string;
  name?: string;
  destination?: DestinationStream;
  /** Secret values to scrub from every line; credential-shaped values are scrubbed without it. */
  secrets?: LogSecrets;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = options.secrets ?? new LogSecrets();
  return pino(
    {
      name: options.name ?? 'cosell-connector',
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      hooks: { streamWrite: (line) => secrets.scrub(line) },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
