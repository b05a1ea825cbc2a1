/**
 * One logical Partner Center call: headers the API requires ("Partner REST API headers": `client-request-id`
 * new per call, `request-id` reused when retrying after a timeout), bearer token, timeout, bounded retries with
 * backoff honouring Retry-After, and translation of failures into the typed errors in errors.ts.
 */
import { randomUUID } from 'node:crypto';
import {
  AuthorizationError,
  ConcurrencyError,
  NotFoundError,
  RetryableError,
  UnexpectedResponseError,
  ValidationError,
  type CallContext,
  type PartnerCenterError,
  type ServiceError,
} from './errors.js';
import { DEFAULT_RETRY_POLICY, RETRYABLE_STATUSES, backoffDelay, parseRetryAfter, type RetryPolicy } from './retry-policy.js';
import type { TokenProvider } from './token-provider.js';

export interface ApiResponse<T> {
  data: T;
  status: number;
  /** The service's `request-id` response header: store it in the sync log for support cases. */
  requestId?: string;
  clientRequestId: string;
  eTag?: string;
  /** HTTP attempts this logical call took. */
  attempts: number;
}

/** One HTTP attempt, reported to `onCall` (metrics, the sync log, API-budget accounting). */
export interface CallRecord {
  operation: string;
  method: string;
  url: string;
  attempt: number;
  clientRequestId: string;
  requestId?: string;
  status?: number;
  error?: string;
  durationMs: number;
}

export interface CallStats {
  /** HTTP requests sent, retries included: what counts against Partner Center's API budget. */
  calls: number;
  byOperation: Record<string, number>;
  byStatus: Record<string, number>;
}

export interface TransportOptions {
  tokenProvider: TokenProvider;
  fetch?: typeof fetch;
  /** Per-attempt timeout. */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /** Sent as MS-CorrelationId to tie the calls of one sync together in Microsoft's logs. */
  correlationId?: string;
  onCall?: (record: CallRecord) => void;
}

export interface RequestSpec {
  operation: string;
  /** The resource the bearer token must be for (token-provider.ts); default the Referrals API. */
  scope?: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  correlationId?: string;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function serviceError(body: unknown): ServiceError {
  const error = (body as { error?: ServiceError } | undefined)?.error;
  if (error && typeof error === 'object') return { code: error.code, message: error.message, target: error.target };
  const flat = body as { code?: unknown; message?: unknown; description?: unknown } | undefined;
  if (flat && typeof flat === 'object') {
    // Older Partner Center APIs use { code, description }.
    const message = typeof flat.message === 'string' ? flat.message : typeof flat.description === 'string' ? flat.description : undefined;
    return { code: flat.code === undefined ? undefined : String(flat.code), message };
  }
  return typeof body === 'string' && body ? { message: body.slice(0, 1024) } : {};
}

export function errorForStatus(status: number, body: unknown, context: CallContext): PartnerCenterError {
  const service = serviceError(body);
  const said = service.message ? `: ${service.message}` : '';
  const where = `${context.method} ${new URL(context.url).pathname}`;
  const options = { status, service, context };
  switch (status) {
    case 400:
    case 422:
      return new ValidationError(`Partner Center rejected ${where}${said}`, options);
    case 401:
      return new AuthorizationError(`Partner Center did not accept the access token for ${where}${said}.`, 'rejected', options);
    case 403:
      return new AuthorizationError(`Partner Center denied ${where}${said}.`, 'missing-role', options);
    case 404:
      return new NotFoundError(`Partner Center found nothing at ${where}${said}`, options);
    case 409:
    case 412:
      return new ConcurrencyError(`The resource changed since it was read (${status} on ${where})${said}`, options);
    default:
      return new UnexpectedResponseError(`Partner Center answered ${status} to ${where}${said}`, options);
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export class PartnerCenterTransport {
  readonly #options: TransportOptions;
  readonly #policy: RetryPolicy;
  readonly #stats: CallStats = { calls: 0, byOperation: {}, byStatus: {} };

  constructor(options: TransportOptions) {
    this.#options = options;
    this.#policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  stats(): CallStats {
    return { calls: this.#stats.calls, byOperation: { ...this.#stats.byOperation }, byStatus: { ...this.#stats.byStatus } };
  }

  #count(record: CallRecord): void {
    this.#stats.calls += 1;
    this.#stats.byOperation[record.operation] = (this.#stats.byOperation[record.operation] ?? 0) + 1;
    const key = record.status === undefined ? 'error' : String(record.status);
    this.#stats.byStatus[key] = (this.#stats.byStatus[key] ?? 0) + 1;
    this.#options.onCall?.(record);
  }

  async request<T>(spec: RequestSpec): Promise<ApiResponse<T>> {
    const { tokenProvider, timeoutMs = 30_000 } = this.#options;
    const now = this.#options.now ?? Date.now;
    const sleep = this.#options.sleep ?? defaultSleep;
    const random = this.#options.random ?? Math.random;
    const doFetch = this.#options.fetch ?? fetch;
    // Idempotency key for this logical call: identical on every retry so a write that timed out is not repeated.
    const idempotencyKey = randomUUID();
    const correlationId = spec.correlationId ?? this.#options.correlationId;
    let attempt = 0;
    let refreshedAfter401 = false;
    let forceRefresh = false;

    for (;;) {
      attempt += 1;
      const clientRequestId = randomUUID();
      const context: CallContext = { operation: spec.operation, method: spec.method, url: spec.url, clientRequestId, requestId: idempotencyKey, attempts: attempt };
      const token = await tokenProvider.getAccessToken({ forceRefresh, ...(spec.scope ? { scope: spec.scope } : {}) });
      forceRefresh = false;
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        'client-request-id': clientRequestId,
        'request-id': idempotencyKey,
        ...(correlationId ? { 'ms-correlationid': correlationId } : {}),
        ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...spec.headers,
      };
      const started = now();
      let response: Response;
      let body: unknown;
      try {
        response = await doFetch(spec.url, {
          method: spec.method,
          headers,
          body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        body = await readBody(response);
      } catch (error) {
        const timedOut = (error as Error).name === 'TimeoutError';
        const reason = timedOut ? `timed out after ${timeoutMs} ms` : `failed: ${(error as Error).message}`;
        this.#count({ operation: spec.operation, method: spec.method, url: spec.url, attempt, clientRequestId, error: reason, durationMs: now() - started });
        if (attempt < this.#policy.maxAttempts) {
          await sleep(backoffDelay(attempt, this.#policy, random));
          continue;
        }
        throw new RetryableError(`Partner Center ${spec.method} ${new URL(spec.url).pathname} ${reason} (${attempt} attempts).`, { context, cause: error });
      }

      const requestId = response.headers.get('request-id') ?? undefined;
      context.requestId = requestId ?? idempotencyKey;
      this.#count({ operation: spec.operation, method: spec.method, url: spec.url, attempt, clientRequestId, requestId, status: response.status, durationMs: now() - started });

      if (response.ok) {
        return { data: body as T, status: response.status, requestId, clientRequestId, eTag: response.headers.get('etag') ?? undefined, attempts: attempt };
      }
      if (response.status === 401 && !refreshedAfter401) {
        // The token may have been revoked or rotated server-side: one retry with a freshly acquired token.
        refreshedAfter401 = true;
        forceRefresh = true;
        attempt -= 1;
        continue;
      }
      if (RETRYABLE_STATUSES.has(response.status)) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now());
        const error = errorForStatus(response.status, body, context);
        const retryable = (why: string) =>
          new RetryableError(`${error.message} — ${why}`, { status: response.status, service: error.service, context, retryAfterMs });
        if (retryAfterMs !== undefined && retryAfterMs > this.#policy.maxRetryAfterMs) {
          throw retryable(`Partner Center asked to wait ${Math.ceil(retryAfterMs / 1000)} s; keep the change queued.`);
        }
        if (attempt < this.#policy.maxAttempts) {
          await sleep(retryAfterMs ?? backoffDelay(attempt, this.#policy, random));
          continue;
        }
        throw retryable(`still failing after ${attempt} attempts; keep the change queued.`);
      }
      throw errorForStatus(response.status, body, context);
    }
  }
}
