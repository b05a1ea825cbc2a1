/**
 * What went wrong with one item, and what happens next: `retry` (transient; backoff, then parked when attempts
 * run out), `park` (a seller or admin must change something; a dead letter they can replay after fixing it) or
 * `configuration` (the connector itself is mis-configured: every item would fail the same way, so work pauses
 * instead of burning attempts). The message is what lands in the audit trail and sync log.
 */
import type { FailureReason } from '../engine/failure-reasons.js';
import type { FieldError } from '../engine/field-errors.js';
import { InputError } from '../engine/field-errors.js';
import { UnknownValueError } from '../engine/referral-values.js';
import { SettingsError } from '../engine/org-settings.js';
import {
  AuthorizationError,
  ConcurrencyError,
  NotFoundError,
  PartnerCenterError,
  RetryableError,
  ValidationError,
} from '../partner-center/errors.js';
import { SalesforceAuthError } from '../salesforce/auth.js';
import { SalesforceWriteError, type SalesforceFailureKind } from '../salesforce/errors.js';

/** What the worker does with a failed item: retry it later, park it for an admin, or pause for a configuration fix. */
export type FailureKind = 'retry' | 'park' | 'configuration';

/**
 * The Salesforce adapter's own classification of a refusal, in the sync layer's terms. Spelled out (not a shared
 * type) so either side can grow a kind without silently changing what the other does; the compiler asks here.
 */
const FROM_SALESFORCE: Record<SalesforceFailureKind, FailureKind> = { retry: 'retry', park: 'park', configuration: 'configuration' };

export class SyncFailure extends Error {
  override name = 'SyncFailure';
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly options: { code?: string; requestId?: string; retryAfterMs?: number; field?: string; reason?: FailureReason; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }

  get code(): string | undefined {
    return this.options.code;
  }

  get requestId(): string | undefined {
    return this.options.requestId;
  }

  /** Why, as data for the org (code + parameters); without a specific one, what the kind of failure means. */
  get reason(): FailureReason {
    if (this.options.reason) return this.options.reason;
    if (this.kind === 'retry') return { code: 'TEMPORARY_FAILURE' };
    if (this.kind === 'configuration') return { code: 'SETUP_REQUIRED' };
    return { code: 'CONNECTOR_ERROR' };
  }
}

export function fieldErrorsFailure(errors: readonly FieldError[]): SyncFailure {
  return new SyncFailure('park', errors.map((e) => e.message).join(' '), { code: 'FIELD_VALIDATION', field: errors[0]?.field, reason: errors[0]?.reason });
}

/** Partner Center's typed errors, in a seller's or admin's words. */
function fromPartnerCenter(error: PartnerCenterError, doing: string): SyncFailure {
  const base = { requestId: error.requestId, cause: error };
  if (error instanceof RetryableError) {
    return new SyncFailure('retry', `Partner Center is not answering (${error.message}) while trying to ${doing}; the change stays queued and is retried.`, {
      ...base,
      code: `PC_${error.status ?? 'UNAVAILABLE'}`,
      retryAfterMs: error.retryAfterMs,
    });
  }
  if (error instanceof AuthorizationError) return new SyncFailure('configuration', error.message, { ...base, code: `PC_${error.reason}`, reason: { code: 'SETUP_REQUIRED' } });
  if (error instanceof ValidationError) {
    return new SyncFailure('park', `Partner Center rejected the request to ${doing}: ${error.serviceMessage}${error.service.target ? ` (${error.service.target})` : ''}.`, {
      ...base,
      code: error.service.code ?? 'PC_400',
      reason: { code: 'PARTNER_CENTER_REJECTED', ...(error.service.target ? { field: error.service.target } : {}) },
    });
  }
  if (error instanceof NotFoundError) {
    return new SyncFailure('park', `Partner Center has no such referral (404) while trying to ${doing}; it may have been deleted there.`, { ...base, code: 'PC_404', reason: { code: 'REFERRAL_NOT_FOUND' } });
  }
  if (error instanceof ConcurrencyError) {
    return new SyncFailure('retry', `The referral kept changing in Partner Center while trying to ${doing}; retried later with the newest version.`, {
      ...base,
      code: 'PC_CONFLICT',
    });
  }
  return new SyncFailure('retry', `Partner Center answered unexpectedly while trying to ${doing}: ${error.message}.`, { ...base, code: `PC_${error.status ?? 'ERROR'}` });
}

/** Any thrown error, classified. Programming errors (InputError, TypeError …) are parked, never retried forever. */
export function toSyncFailure(error: unknown, doing: string): SyncFailure {
  if (error instanceof SyncFailure) return error;
  if (error instanceof PartnerCenterError) return fromPartnerCenter(error, doing);
  if (error instanceof SalesforceWriteError) {
    const reason: FailureReason = error.kind === 'park' ? { code: 'SALESFORCE_REJECTED', ...(error.field ? { field: error.field } : {}) } : { code: error.kind === 'retry' ? 'TEMPORARY_FAILURE' : 'SETUP_REQUIRED' };
    return new SyncFailure(FROM_SALESFORCE[error.kind], error.message, {
      code: error.detail.statusCode,
      field: error.field,
      reason,
      cause: error,
    });
  }
  if (error instanceof SalesforceAuthError) return new SyncFailure('configuration', error.message, { code: 'SF_LOGIN', cause: error });
  if (error instanceof SettingsError) {
    return new SyncFailure('configuration', `The Partner Center settings in Salesforce are not valid: ${error.message} Fix them in the Partner Center setup page.`, {
      code: 'SETTINGS',
      cause: error,
    });
  }
  // Parked, never retried: the same referral version would fail the same way. A newer version gets a new item.
  if (error instanceof UnknownValueError) return new SyncFailure('park', error.message, { code: 'UNKNOWN_VALUE', field: error.unknown[0]?.field, cause: error });
  if (error instanceof InputError) return new SyncFailure('park', `The connector could not ${doing}: ${error.message}`, { code: 'INPUT', cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new SyncFailure('park', `The connector failed unexpectedly while trying to ${doing}: ${message}`, { code: 'INTERNAL', cause: error });
}
