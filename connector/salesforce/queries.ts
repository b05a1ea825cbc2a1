/**
 * SOQL the worker needs beyond the engine's per-record queries: look-ups for a whole batch in one call (account
 * candidates for many company names, leads for many referrals) and the Pending sweep. Values are quoted with the
 * engine's SOQL literal helpers, so no company name can change a query's shape.
 */
import soql from 'soql-parser-js';
import type { ConditionWithValueQuery, WhereClause } from 'soql-parser-js';
import { fieldOf } from '../engine/field-paths.js';
import { LEAD_SOURCE } from '../engine/inbound.js';
import type { Settings } from '../engine/org-settings.js';
import { soqlLikePattern, soqlString } from '../engine/soql.js';

const { composeQuery, getField } = soql;

function anyOf(conditions: ConditionWithValueQuery[]): WhereClause {
  const [first, ...rest] = conditions;
  return rest.length === 0 ? { left: first } : { left: first, operator: 'OR', right: anyOf(rest) };
}

/**
 * Accounts whose name contains the words of any of `companyNames` in order — a superset the engine's
 * matchAccount narrows to "same name and postal code". The caller bounds the names per query (the SOQL stays
 * far below Salesforce's 100,000 characters) and sends it in a /composite body, clear of the URI length limit.
 */
export function accountCandidatesQuery(settings: Settings, companyNames: readonly string[], limit = 2000): string {
  const patterns = companyNames
    .map((name) => name.normalize('NFKC').split(/\s+/).filter((w) => w !== ''))
    .filter((words) => words.length > 0)
    .map((words) => soqlLikePattern(words));
  if (patterns.length === 0) throw new RangeError('accountCandidatesQuery needs at least one company name');
  const fields = ['Id', 'Name', 'BillingStreet', 'BillingCity', 'BillingState', 'BillingPostalCode', fieldOf(settings.countryCodeField, 'Account')];
  return composeQuery({
    sObject: 'Account',
    fields: [...new Set(fields)].map((f) => getField(f)),
    where: anyOf([...new Set(patterns)].map((value) => ({ field: 'Name', operator: 'LIKE', value, literalType: 'STRING' }))),
    orderBy: [{ field: 'CreatedDate', order: 'ASC' }],
    limit,
  });
}

/**
 * Leads an earlier attempt may have created for marketplace leads (their Description names the referral): the
 * connector's own leads carry the LeadSource the engine gives them.
 */
export function partnerCenterLeadsQuery(companies: readonly string[]): string {
  const unique = [...new Set(companies)];
  if (unique.length === 0) throw new RangeError('partnerCenterLeadsQuery needs at least one company');
  return composeQuery({
    sObject: 'Lead',
    fields: ['Id', 'Company', 'Description'].map((f) => getField(f)),
    where: {
      left: { field: 'LeadSource', operator: '=', value: soqlString(LEAD_SOURCE), literalType: 'STRING' },
      operator: 'AND',
      right: { left: { field: 'Company', operator: 'IN', value: unique.map(soqlString), literalType: 'STRING' } },
    },
    limit: 2000,
  });
}

/** SOQL datetime literal: second precision, UTC. */
export function soqlDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Syncing opportunities left Pending since before `before`: a sync request that never arrived. */
export function pendingOpportunitiesQuery(before: number, limit = 2000): string {
  return (
    'SELECT Id, LastModifiedDate FROM Opportunity WHERE Sync_With_Partner_Center__c = TRUE ' +
    `AND Partner_Center_Sync_Status__c = 'Pending' AND LastModifiedDate < ${soqlDateTime(before)} ORDER BY LastModifiedDate ASC LIMIT ${limit}`
  );
}
