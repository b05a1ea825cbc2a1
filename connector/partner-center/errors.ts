/**
 * Typed Partner Center errors. Each carries what an admin or the sync log needs: the HTTP status, the
 * service's own code and message (Partner REST error body: `{ "error": { "code", "message", "target" } }`,
 * MicrosoftDocs/partner-rest develop/error-codes.md), the `request-id` and `client-request-id` for support,
 * and, where there is one, the fix.
 */

/** The CLI command an admin runs to sign in again (App+User consent); the CLI owns its implementation. */
export const SIGN_IN_COMMAND = 'cosell partner-center login';

export interface CallContext {
  /** Logical operation, e.g. "getReferral". */
  operation: string;
  method: string;
  url: string;
  /** The `request-id` of the (last) response, or the idempotency key sent when no response arrived. */
  requestId?: string;
  clientRequestId?: string;
  attempts: number;
}

export interface ServiceError {
  code?: string;
  message?: string;
  target?: string;
}

export class PartnerCenterError extends Error {
  readonly status?: number;
  readonly service: ServiceError;
  readonly context?: CallContext;

  constructor(message: string, options: { status?: number; service?: ServiceError; context?: CallContext; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status;
    this.service = options.service ?? {};
    this.context = options.context;
  }

  get requestId(): string | undefined {
    return this.context?.requestId;
  }
}

/** 400: Partner Center rejected the content. `serviceMessage` is the service's own text, for the seller. */
export class ValidationError extends PartnerCenterError {
  get serviceMessage(): string {
    return this.service.message ?? this.message;
  }
}

export type AuthorizationReason = 'sign-in-required' | 'missing-role' | 'invalid-client' | 'rejected';

/** 401/403 or a failed token refresh: a configuration problem only an admin can fix; `fix` says how. */
export class AuthorizationError extends PartnerCenterError {
  readonly reason: AuthorizationReason;
  readonly fix: string;

  constructor(message: string, reason: AuthorizationReason, options: ConstructorParameters<typeof PartnerCenterError>[1] = {}) {
    const fix = FIXES[reason];
    super(`${message} ${fix}`, options);
    this.reason = reason;
    this.fix = fix;
  }
}

/** How to fix each kind of authorization failure (exported so the admin guide's test can check each is documented). */
export const FIXES: Record<AuthorizationReason, string> = {
  'sign-in-required': `Sign in again as a Referrals admin: run \`${SIGN_IN_COMMAND}\`.`,
  'missing-role':
    'Assign the Referrals admin role to the connector user in Partner Center (Account settings > User management), then retry.',
  'invalid-client':
    'Check the connector app registration: client id, tenant and client secret or certificate must match the Microsoft Entra app.',
  rejected: `Partner Center rejected the access token. Sign in again as a Referrals admin: run \`${SIGN_IN_COMMAND}\`.`,
};

/** 404: the referral (or webhook registration) does not exist. */
export class NotFoundError extends PartnerCenterError {}

/** 409/412: someone changed the referral since it was read. `updateWithRetry` handles this. */
export class ConcurrencyError extends PartnerCenterError {}

/**
 * 429, 5xx, timeouts and connection failures that outlasted the retry budget. The caller must keep the change
 * queued and try again later (never drop it); `retryAfterMs` is the service's hint when it gave one.
 */
export class RetryableError extends PartnerCenterError {
  readonly retryAfterMs?: number;

  constructor(message: string, options: ConstructorParameters<typeof PartnerCenterError>[1] & { retryAfterMs?: number } = {}) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Any other unexpected answer (e.g. 405, 415, a non-JSON body where JSON was promised). */
export class UnexpectedResponseError extends PartnerCenterError {}
