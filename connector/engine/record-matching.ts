/**
 * Matching Partner Center's customer to existing Salesforce records: accounts by company name and postal code,
 * contacts by email, all case- and whitespace-insensitive. The adapter fetches candidates (match-queries.ts);
 * these functions decide.
 */
import type { AccountRecord, ContactRecord } from './salesforce-records.js';

export function normalizeName(value: unknown): string {
  return typeof value === 'string' ? value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim() : '';
}

export function normalizePostalCode(value: unknown): string {
  return typeof value === 'string' ? value.normalize('NFKC').toLowerCase().replace(/\s+/g, '') : '';
}

export function normalizeEmail(value: unknown): string {
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

/** The first candidate with the same company name and postal code (a blank postal code matches only a blank one). */
export function matchAccount(candidates: readonly AccountRecord[], name: unknown, postalCode: unknown): AccountRecord | undefined {
  const wantedName = normalizeName(name);
  if (wantedName === '') return undefined;
  const wantedPostal = normalizePostalCode(postalCode);
  return candidates.find(
    (a) => typeof a.Id === 'string' && normalizeName(a.Name) === wantedName && normalizePostalCode(a.BillingPostalCode) === wantedPostal,
  );
}

/** Looks an email up in contacts keyed by email, whatever case either side used. */
export function matchContact(contactsByEmail: Readonly<Record<string, ContactRecord>>, email: unknown): ContactRecord | undefined {
  const wanted = normalizeEmail(email);
  if (wanted === '') return undefined;
  for (const [key, contact] of Object.entries(contactsByEmail)) {
    if (normalizeEmail(key) === wanted || normalizeEmail(contact.Email) === wanted) return contact;
  }
  return undefined;
}
