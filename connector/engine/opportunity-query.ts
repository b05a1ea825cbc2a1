/**
 * The SOQL the Salesforce adapter runs to read opportunities for sync: the opportunity with its Account, Owner,
 * contact roles (with Contact) and Microsoft solutions. The deal value, currency and country fields come from
 * settings, so they are re-validated here as `Object.Field` API names — a setting can add a field, never SOQL.
 * Run it with queryAll when deleted opportunities must be seen (IsDeleted is selected for that).
 */
import soql from 'soql-parser-js';
import type { Query, WhereClause } from 'soql-parser-js';
import { fieldOf } from './field-paths.js';
import { InputError } from './field-errors.js';
import { currencyFieldUnavailable, type OrgContext } from './salesforce-records.js';
import type { Settings } from './org-settings.js';
import { referralIdLiteral, salesforceIdLiteral } from './soql.js';

const { composeQuery, getField } = soql;

const OPPORTUNITY_FIELDS = [
  'Id',
  'Name',
  'AccountId',
  'CloseDate',
  'StageName',
  'IsClosed',
  'IsWon',
  'IsDeleted',
  'Description',
  'LastModifiedDate',
  'LastModifiedById',
  'CreatedById',
  'Owner.FirstName',
  'Owner.LastName',
  'Owner.Email',
  'Owner.Phone',
  'Sync_With_Partner_Center__c',
  'Referral_Id__c',
  'Referral_Link__c',
  'Microsoft_Help__c',
  'Visible_To_Microsoft_Sellers__c',
  'Microsoft_CRM_Id__c',
  'Partner_Center_Status__c',
  'Partner_Center_Sync_Status__c',
  'Partner_Center_Last_Sync__c',
  'Partner_Center_Audit__c',
] as const;

const ACCOUNT_FIELDS = ['Name', 'BillingStreet', 'BillingCity', 'BillingState', 'BillingPostalCode'] as const;
const CONTACT_ROLE_FIELDS = ['ContactId', 'Role', 'IsPrimary', 'Contact.FirstName', 'Contact.LastName', 'Contact.Email', 'Contact.Phone', 'Contact.Title'] as const;
const SOLUTION_FIELDS = ['Id', 'Solution_Id__c', 'Solution_Name__c', 'Publisher_Name__c', 'Solution_Detail__c'] as const;

/** Which opportunities to read: by Id, by referral id, or the sweep of syncing opportunities still Pending. */
export type OpportunityFilter = { ids: readonly string[] } | { referralIds: readonly string[] } | { pendingSync: true };

/** The opportunity fields (with relationship paths) the sync reads, configured ones included, without duplicates. */
export function opportunityFieldList(settings: Settings, org?: OrgContext): string[] {
  const configured = [fieldOf(settings.dealValueField, 'Opportunity')];
  if (!currencyFieldUnavailable(settings.currencyField, org)) configured.push(fieldOf(settings.currencyField, 'Opportunity'));
  const account = [...ACCOUNT_FIELDS, fieldOf(settings.countryCodeField, 'Account')].map((f) => `Account.${f}`);
  const seen = new Set<string>();
  return [...OPPORTUNITY_FIELDS, ...configured, ...account].filter((f) => {
    const key = f.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function inList(field: string, literals: string[]): WhereClause {
  return { left: { field, operator: 'IN', value: literals, literalType: 'STRING' } };
}

function whereFor(filter: OpportunityFilter): WhereClause {
  if ('ids' in filter) {
    if (filter.ids.length === 0) throw new InputError('Give at least one opportunity id.');
    return inList('Id', filter.ids.map(salesforceIdLiteral));
  }
  if ('referralIds' in filter) {
    if (filter.referralIds.length === 0) throw new InputError('Give at least one referral id.');
    return inList('Referral_Id__c', filter.referralIds.map(referralIdLiteral));
  }
  return {
    left: { field: 'Sync_With_Partner_Center__c', operator: '=', value: 'TRUE', literalType: 'BOOLEAN' },
    operator: 'AND',
    right: { left: { field: 'Partner_Center_Sync_Status__c', operator: '=', value: "'Pending'", literalType: 'STRING' } },
  };
}

export function buildOpportunityQuery(settings: Settings, filter: OpportunityFilter, org?: OrgContext, limit = 200): string {
  if (!Number.isInteger(limit) || limit < 1 || limit > 2000) throw new InputError(`Limit ${limit} must be a whole number from 1 to 2000.`);
  const query: Query = {
    sObject: 'Opportunity',
    fields: [
      ...opportunityFieldList(settings, org).map((f) => getField(f)),
      {
        type: 'FieldSubquery',
        subquery: {
          relationshipName: 'OpportunityContactRoles',
          fields: CONTACT_ROLE_FIELDS.map((f) => getField(f)),
          orderBy: [{ field: 'IsPrimary', order: 'DESC' }, { field: 'CreatedDate', order: 'ASC' }],
        },
      },
      {
        type: 'FieldSubquery',
        subquery: { relationshipName: 'Microsoft_Solutions__r', fields: SOLUTION_FIELDS.map((f) => getField(f)), orderBy: [{ field: 'CreatedDate', order: 'ASC' }] },
      },
    ],
    where: whereFor(filter),
    orderBy: [{ field: 'LastModifiedDate', order: 'ASC' }],
    limit,
  };
  return composeQuery(query);
}
