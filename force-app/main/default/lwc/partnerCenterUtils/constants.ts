/** API values shared by the Partner Center components. Field and object API names are fixed by the data model. */

/** Values of Opportunity.Partner_Center_Sync_Status__c. */
export const SYNC_STATUS = {
  NOT_SYNCED: 'Not Synced',
  PENDING: 'Pending',
  SYNCED: 'Synced',
  ERROR: 'Error',
} as const;

/** The platform event the connector publishes after each sync attempt. */
export const SYNC_STATUS_CHANNEL = '/event/Partner_Center_Sync_Status__e';

/** Setting Country_Code_Field__c when no settings record says otherwise. */
export const DEFAULT_COUNTRY_FIELD = 'Account.BillingCountry';
/** Setting Deal_Value_Field__c when no settings record says otherwise. */
export const DEFAULT_DEAL_VALUE_FIELD = 'Opportunity.Amount';
/** Setting Currency_Field__c when no settings record says otherwise. */
export const DEFAULT_CURRENCY_FIELD = 'Opportunity.CurrencyIsoCode';
