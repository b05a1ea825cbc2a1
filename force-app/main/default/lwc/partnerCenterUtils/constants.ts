/**
 * API values shared by the Partner Center components.
 *
 * Package API names come from `@salesforce/schema` imports, never from plain strings: in a managed package the
 * platform adds the namespace prefix (`ns__Partner_Center_Sync_Status__e`) to schema imports and gql queries
 * only ("Use a Namespace and Alias in Managed Packages", Salesforce GraphQL API Developer Guide; "Import References
 * to Salesforce Objects and Fields", LWC Developer Guide). A plain string keeps the unprefixed name and breaks.
 */
import SYNC_STATUS_EVENT from '@salesforce/schema/Partner_Center_Sync_Status__e';
import SETTINGS_OBJECT from '@salesforce/schema/Partner_Center_Settings__c';

/** The package's namespace prefix in this org ("ns__", or "" for a source deploy), read off a schema import. */
export const NAMESPACE_PREFIX = SETTINGS_OBJECT.objectApiName.slice(
  0,
  SETTINGS_OBJECT.objectApiName.length - 'Partner_Center_Settings__c'.length
);

/**
 * A package API name that no schema import can carry (a child relationship name for `relatedListId`) with the
 * org's namespace prefix.
 */
export function packageApiName(name: string): string {
  return `${NAMESPACE_PREFIX}${name}`;
}

/** The API name of a field reference from @salesforce/schema ("Sync_With_Partner_Center__c", namespaced by the platform). */
export function apiName(field: { fieldApiName?: string }): string {
  return field.fieldApiName ?? '';
}

/** Values of Opportunity.Partner_Center_Sync_Status__c. */
export const SYNC_STATUS = {
  NOT_SYNCED: 'Not Synced',
  PENDING: 'Pending',
  SYNCED: 'Synced',
  ERROR: 'Error',
} as const;

/** The platform event the connector publishes after each sync attempt. */
export const SYNC_STATUS_CHANNEL = `/event/${SYNC_STATUS_EVENT.objectApiName}`;

/** Setting Country_Code_Field__c when no settings record says otherwise. */
export const DEFAULT_COUNTRY_FIELD = 'Account.BillingCountry';
/** Setting Deal_Value_Field__c when no settings record says otherwise. */
export const DEFAULT_DEAL_VALUE_FIELD = 'Opportunity.Amount';
/** Setting Currency_Field__c when no settings record says otherwise. */
export const DEFAULT_CURRENCY_FIELD = 'Opportunity.CurrencyIsoCode';
