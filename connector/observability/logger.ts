/**
 * JSON logs through pino. Anything that could carry a credential is redacted by path, so a secret that slips
 * into a logged object (a config, a header set, an OAuth response) never reaches the log.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

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
  'password',
];

export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'req.headers["x-ms-certificate-url"]',
];

export function createLogger(options: { level?: string; name?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      name: options.name ?? 'cosell-connector',
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
