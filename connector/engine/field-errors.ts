/**
 * The error vocabulary of the engine. A `FieldError` is something a seller or admin caused and can fix: its
 * message names the record, the field and the fix, because it lands verbatim in the audit trail and the card.
 * An `InputError` is a caller mistake (wrong arguments), never shown to sellers.
 */
import type { FailureReason } from './failure-reasons.js';

export interface FieldError {
  /** Salesforce field path the error is about, e.g. `Account.BillingCountry` or `OpportunityContactRoles`. */
  field: string;
  message: string;
  /** The same, as data the org shows in the user's language (engine/failure-reasons.ts). */
  reason: FailureReason;
}

/** Thrown when the engine is called with input no seller could have produced (a programming or wiring error). */
export class InputError extends Error {
  override name = 'InputError';
}

// Labels Salesforce shows for standard fields whose API names do not split into their label.
const STANDARD_LABELS: Readonly<Record<string, string>> = {
  CurrencyIsoCode: 'Opportunity Currency',
  AccountId: 'Account Name',
  StageName: 'Stage',
  Name: 'Name',
  Description: 'Description',
};

/** The label a person sees for a field API name: `BillingCountry` → "Billing Country", `Country_Code__c` → "Country Code". */
export function fieldLabel(apiName: string): string {
  const standard = STANDARD_LABELS[apiName];
  if (standard) return standard;
  const base = apiName.replace(/__c$/, '').replace(/^[A-Za-z0-9]+__/, '');
  return base
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `Opportunity "Contoso renewal" (0065g00000AbCdEAAV)` — how every message names a record. */
export function describeRecord(type: string, name: unknown, id: unknown): string {
  const label = typeof name === 'string' && name.trim() !== '' ? ` "${name.trim()}"` : '';
  const ref = typeof id === 'string' && id !== '' ? ` (${id})` : '';
  return `${type}${label}${ref}`;
}
