/**
 * Salesforce records as jsforce returns them for the query in opportunity-query.ts: `attributes`, nested parent
 * records (`Account`, `Owner`, `Contact`) and sub-query results as `{ records: [...] }` or null when empty.
 * Configured fields (deal value, currency, country) are read by name, hence the index signatures.
 */

export interface RecordAttributes {
  type: string;
  url?: string;
}

export interface SubQueryResult<T> {
  totalSize?: number;
  done?: boolean;
  records: T[];
}

interface SObject {
  attributes?: RecordAttributes;
  Id?: string;
  [field: string]: unknown;
}

export interface AccountRecord extends SObject {
  Name?: string | null;
  BillingStreet?: string | null;
  BillingCity?: string | null;
  BillingState?: string | null;
  BillingPostalCode?: string | null;
  BillingCountry?: string | null;
}

export interface ContactRecord extends SObject {
  FirstName?: string | null;
  LastName?: string | null;
  Email?: string | null;
  Phone?: string | null;
  Title?: string | null;
  AccountId?: string | null;
}

export interface ContactRoleRecord extends SObject {
  ContactId?: string | null;
  Role?: string | null;
  IsPrimary?: boolean | null;
  Contact?: ContactRecord | null;
}

export interface SolutionRecord extends SObject {
  Solution_Id__c?: string | null;
  Solution_Name__c?: string | null;
  Publisher_Name__c?: string | null;
  Solution_Detail__c?: string | null;
}

export interface UserRecord extends SObject {
  FirstName?: string | null;
  LastName?: string | null;
  Email?: string | null;
  Phone?: string | null;
}

export interface OpportunityRecord extends SObject {
  Name?: string | null;
  AccountId?: string | null;
  Account?: AccountRecord | null;
  Owner?: UserRecord | null;
  Amount?: number | null;
  CurrencyIsoCode?: string | null;
  CloseDate?: string | null;
  StageName?: string | null;
  IsClosed?: boolean | null;
  IsWon?: boolean | null;
  /** True only in `queryAll` results: the opportunity is in the Recycle Bin. */
  IsDeleted?: boolean | null;
  Description?: string | null;
  LastModifiedDate?: string | null;
  LastModifiedById?: string | null;
  CreatedById?: string | null;
  Sync_With_Partner_Center__c?: boolean | null;
  Referral_Id__c?: string | null;
  Referral_Link__c?: string | null;
  Microsoft_Help__c?: string | null;
  Visible_To_Microsoft_Sellers__c?: boolean | null;
  Microsoft_CRM_Id__c?: string | null;
  Partner_Center_Status__c?: string | null;
  Partner_Center_Sync_Status__c?: string | null;
  Partner_Center_Last_Sync__c?: string | null;
  Partner_Center_Audit__c?: string | null;
  OpportunityContactRoles?: SubQueryResult<ContactRoleRecord> | null;
  Microsoft_Solutions__r?: SubQueryResult<SolutionRecord> | null;
}

/** The rows of a sub-query result; Salesforce returns null, not an empty list, when there are none. */
export function subRecords<T>(result: SubQueryResult<T> | null | undefined): T[] {
  return Array.isArray(result?.records) ? result.records : [];
}

/** Values of `Partner_Center_Sync_Status__c`. */
export const SYNC_STATUSES = ['Not Synced', 'Pending', 'Synced', 'Error'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/** Whether the org has multi-currency on, and its corporate currency: `CurrencyIsoCode` only exists with it on. */
export interface OrgContext {
  /** Default true. When false, `Opportunity.CurrencyIsoCode` is neither queried nor written. */
  multiCurrency?: boolean;
  /** The org's corporate currency (ISO 4217), used when the opportunity carries none. */
  orgCurrency?: string;
}

/** True when the configured currency field is the standard one and the org has no multi-currency. */
export function currencyFieldUnavailable(currencyField: string, org: OrgContext | undefined): boolean {
  return org?.multiCurrency === false && currencyField.toLowerCase() === 'opportunity.currencyisocode';
}

export function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
