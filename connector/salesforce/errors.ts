/**
 * Salesforce failures in the words of the person who can fix them. Every error the REST API returns is
 * classified as transient (retry: a row lock, limits, an outage), something a seller or admin must change
 * (park: a validation rule, a required field, access), or a connector configuration problem (pause all work).
 */

export interface SalesforceErrorDetail {
  statusCode: string;
  message: string;
  fields: string[];
}

/** How the adapter classifies a refusal: it clears up by itself, a person must fix the record, or the connection is wrong. */
export type SalesforceFailureKind = 'retry' | 'park' | 'configuration';

/** One record (or request) Salesforce refused; `record` says which in a seller's words. */
export class SalesforceWriteError extends Error {
  override name = 'SalesforceWriteError';
  constructor(
    readonly kind: SalesforceFailureKind,
    message: string,
    readonly detail: SalesforceErrorDetail,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Error codes that clear up by themselves. */
export const TRANSIENT = new Set([
  'UNABLE_TO_LOCK_ROW',
  'REQUEST_LIMIT_EXCEEDED',
  'SERVER_UNAVAILABLE',
  'QUERY_TIMEOUT',
  'REQUEST_RUNNING_TOO_LONG',
  'API_CURRENTLY_DISABLED',
  'UNKNOWN_EXCEPTION',
  'CONCURRENT_REQUESTS_LIMIT_EXCEEDED',
  'TXN_SECURITY_METERING_ERROR',
]);

/** Error codes that mean the package or the connector's access is not set up as it must be. */
export const CONFIGURATION = new Set([
  'INVALID_SESSION_ID',
  'INVALID_TYPE',
  'INVALID_FIELD',
  'NOT_FOUND',
  'API_DISABLED_FOR_ORG',
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INVALID_OPERATION_WITH_EXPIRED_PASSWORD',
  'FUNCTIONALITY_NOT_ENABLED',
]);

/** How to fix the record- and field-level errors a seller or admin can cause. */
export const FIXES: Record<string, string> = {
  FIELD_CUSTOM_VALIDATION_EXCEPTION: 'change the value the validation rule objects to (or ask an admin to exempt the integration user), then save the opportunity again',
  REQUIRED_FIELD_MISSING: 'an admin must give the field a default value or make it optional for the Partner Center integration user',
  STRING_TOO_LONG: 'shorten the value in Partner Center or Salesforce so it fits the field',
  INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: 'an admin must add the value to the picklist',
  DUPLICATES_DETECTED: 'merge the duplicate records, or ask an admin to let the integration user bypass the duplicate rule',
  DUPLICATE_VALUE: 'another record already holds this unique value; clear it there first',
  FIELD_INTEGRITY_EXCEPTION: 'check that the value refers to an existing, valid record',
  INVALID_CROSS_REFERENCE_KEY: 'the record this points at no longer exists or is not shared with the integration user',
  ENTITY_IS_DELETED: 'restore the record from the Recycle Bin',
  CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY: 'an automation (flow or trigger) failed on this record; an admin should check it',
  FIELD_FILTER_VALIDATION_EXCEPTION: 'choose a value the lookup filter allows',
  INVALID_EMAIL_ADDRESS: 'correct the email address in Partner Center',
  INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: 'share the related record with the integration user',
  INVALID_FIELD:
    'check the field settings in the Partner Center setup page (deal value, currency and country code fields) and that the Partner_Center_Integration permission set gives the integration user access to them',
  INVALID_TYPE: 'check that the Partner Center package is installed and the integration user has the Partner_Center_Integration permission set',
  INSUFFICIENT_ACCESS_OR_READONLY: 'give the integration user the Partner_Center_Integration permission set',
};

export function classifyCode(code: string): SalesforceFailureKind {
  if (TRANSIENT.has(code) || /^ERROR_HTTP_(5\d\d|429)$/.test(code)) return 'retry';
  if (CONFIGURATION.has(code)) return 'configuration';
  return 'park';
}

/** `Opportunity "Contoso" (006…)` plus what went wrong, which fields, and the fix. */
export function describeSalesforceError(record: string, action: string, detail: SalesforceErrorDetail): string {
  const fields = detail.fields.length ? ` (field${detail.fields.length > 1 ? 's' : ''}: ${detail.fields.join(', ')})` : '';
  const fix = FIXES[detail.statusCode];
  return `Salesforce refused to ${action} ${record}: ${detail.message}${fields} [${detail.statusCode}]${fix ? ` — ${fix}.` : '.'}`;
}

export function writeError(record: string, action: string, detail: SalesforceErrorDetail, object?: string): SalesforceWriteError {
  const field = detail.fields[0] ? `${object ? `${object}.` : ''}${detail.fields[0]}` : undefined;
  return new SalesforceWriteError(classifyCode(detail.statusCode), describeSalesforceError(record, action, detail), detail, field);
}

/** jsforce throws HttpApiError (errorCode, message, data) for request-level failures, plain errors for network ones. */
export function fromJsforceError(error: unknown, record: string, action: string): SalesforceWriteError {
  const e = error as { errorCode?: string; message?: string; data?: unknown; code?: string; name?: string };
  if (e instanceof SalesforceWriteError) return e;
  const data = Array.isArray(e.data) ? (e.data[0] as { fields?: string[] } | undefined) : undefined;
  if (e.errorCode) {
    return writeError(record, action, { statusCode: e.errorCode, message: e.message ?? '', fields: data?.fields ?? [] });
  }
  if (e.name === 'SalesforceAuthError' || /Unable to refresh session/.test(e.message ?? '')) {
    // jsforce re-logs in on an expired session; if that login is refused, no record-level retry can help.
    return new SalesforceWriteError('configuration', e.message ?? String(error), { statusCode: 'LOGIN_FAILED', message: e.message ?? '', fields: [] });
  }
  // No Salesforce error code: the request never got an answer (connection refused, reset, timeout, DNS).
  const message = `Salesforce could not be reached to ${action} ${record}: ${e.message ?? String(error)}; the change stays queued and is retried.`;
  return new SalesforceWriteError('retry', message, { statusCode: e.code ?? 'NETWORK_ERROR', message: e.message ?? String(error), fields: [] });
}
