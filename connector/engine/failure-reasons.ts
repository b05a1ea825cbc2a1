/**
 * Why a sync failed, as data: a code from a fixed vocabulary plus the parameters the fix needs (which field, which
 * record by name, what value Partner Center expects, the value it got). The English message stays for the audit
 * trail and admins; the code and parameters travel to the org (Failure_Reason__c and Failure_Parameters__c on the sync
 * log record and the status event),
 * where the card says it in the user's language from custom labels, with the action that fixes it. Record ids,
 * timestamps and server commands never go into the parameters: a seller has no use for them.
 */

/** Every code the connector can send. The card maps each to a label and a fix action (test/metadata checks it). */
export const FAILURE_REASON_CODES = [
  // seller-fixable data on the opportunity or its account
  'NAME_MISSING',
  'ACCOUNT_MISSING',
  'COUNTRY_MISSING',
  'COUNTRY_UNKNOWN',
  'CLOSE_DATE_MISSING',
  'DEAL_VALUE_MISSING',
  'DEAL_VALUE_NEGATIVE',
  'CURRENCY_MISSING',
  'CURRENCY_UNKNOWN',
  'HELP_UNKNOWN',
  'CONTACT_MISSING',
  'CONTACT_EMAIL_MISSING',
  'SOLUTION_MISSING',
  'HELP_CANNOT_BE_REMOVED',
  'SHARING_CANNOT_BE_WITHDRAWN',
  'STAGE_NOT_ALLOWED',
  // Microsoft's side of the deal
  'REFERRAL_CLOSE_DATE_MISSING',
  'PARTNER_CENTER_REJECTED',
  'REFERRAL_NOT_FOUND',
  // temporary (Partner Center or Salesforce busy or down): retried automatically
  'TEMPORARY_FAILURE',
  // Salesforce refused the connector's write
  'SALESFORCE_REJECTED',
  // an admin must act
  'SETUP_REQUIRED',
  'CONNECTOR_ERROR',
] as const;

export type FailureReasonCode = (typeof FAILURE_REASON_CODES)[number];

export interface FailureReason {
  code: FailureReasonCode;
  /** Salesforce field path the fix is about: `Account.BillingCountry`, `Opportunity.CloseDate`, `OpportunityContactRoles`. */
  field?: string;
  /** The record that holds it, by name (never an id), e.g. the customer account's name. */
  record?: string;
  /** What is expected, e.g. `ISO 3166-1 alpha-2` or one of a list of values. */
  expected?: string;
  /** The value that was refused, as the seller typed it. */
  value?: string;
}

const PARAMETER_LIMIT = 255;

/** The parameters as the JSON the org stores (Failure_Parameters__c); each value cut to fit, empty ones left out. */
export function reasonParameters(reason: FailureReason): string {
  const params: Record<string, string> = {};
  for (const key of ['field', 'record', 'expected', 'value'] as const) {
    const value = reason[key];
    if (typeof value === 'string' && value !== '') params[key] = value.length > 80 ? `${value.slice(0, 79)}…` : value;
  }
  const json = JSON.stringify(params);
  return json.length <= PARAMETER_LIMIT ? json : JSON.stringify({ ...(params.field ? { field: params.field } : {}) });
}
