/**
 * Candidate queries for inbound matching (record-matching.ts decides among the rows): accounts whose name has
 * the customer's words in order (so "Contoso  GmbH" and "contoso gmbh" are both found; SOQL text comparison is
 * case-insensitive already), and contacts by email.
 */
import soql from 'soql-parser-js';
import { fieldOf } from './field-paths.js';
import { InputError } from './field-errors.js';
import type { Settings } from './org-settings.js';
import { soqlLikePattern, soqlString } from './soql.js';

const { composeQuery, getField } = soql;

export function buildAccountCandidatesQuery(settings: Settings, companyName: string, limit = 50): string {
  const words = companyName.normalize('NFKC').split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) throw new InputError('Give the customer company name to look accounts up by.');
  const fields = ['Id', 'Name', 'BillingStreet', 'BillingCity', 'BillingState', 'BillingPostalCode', fieldOf(settings.countryCodeField, 'Account')];
  return composeQuery({
    sObject: 'Account',
    fields: [...new Set(fields)].map((f) => getField(f)),
    where: { left: { field: 'Name', operator: 'LIKE', value: soqlLikePattern(words), literalType: 'STRING' } },
    orderBy: [{ field: 'CreatedDate', order: 'ASC' }],
    limit,
  });
}

export function buildContactsByEmailQuery(emails: readonly string[], limit = 200): string {
  const unique = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter((e) => e !== ''))];
  if (unique.length === 0) throw new InputError('Give at least one email to look contacts up by.');
  return composeQuery({
    sObject: 'Contact',
    fields: ['Id', 'FirstName', 'LastName', 'Email', 'Phone', 'Title', 'AccountId'].map((f) => getField(f)),
    where: { left: { field: 'Email', operator: 'IN', value: unique.map(soqlString), literalType: 'STRING' } },
    orderBy: [{ field: 'CreatedDate', order: 'ASC' }],
    limit,
  });
}
