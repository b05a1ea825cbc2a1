/** Schema references the card reads and writes. Importing them lets the platform track the dependencies. */
import OPPORTUNITY_OBJECT from '@salesforce/schema/Opportunity';
import ACCOUNT_OBJECT from '@salesforce/schema/Account';
import NAME_FIELD from '@salesforce/schema/Opportunity.Name';
import ACCOUNT_ID_FIELD from '@salesforce/schema/Opportunity.AccountId';
import SYNC_FIELD from '@salesforce/schema/Opportunity.Sync_With_Partner_Center__c';
import REFERRAL_ID_FIELD from '@salesforce/schema/Opportunity.Referral_Id__c';
import REFERRAL_LINK_FIELD from '@salesforce/schema/Opportunity.Referral_Link__c';
import HELP_FIELD from '@salesforce/schema/Opportunity.Microsoft_Help__c';
import VISIBLE_FIELD from '@salesforce/schema/Opportunity.Visible_To_Microsoft_Sellers__c';
import CRM_ID_FIELD from '@salesforce/schema/Opportunity.Microsoft_CRM_Id__c';
import PC_STATUS_FIELD from '@salesforce/schema/Opportunity.Partner_Center_Status__c';
import SYNC_STATUS_FIELD from '@salesforce/schema/Opportunity.Partner_Center_Sync_Status__c';
import LAST_SYNC_FIELD from '@salesforce/schema/Opportunity.Partner_Center_Last_Sync__c';
import AUDIT_FIELD from '@salesforce/schema/Opportunity.Partner_Center_Audit__c';
import ACCOUNT_NAME_FIELD from '@salesforce/schema/Account.Name';
import EVENT_OPPORTUNITY_ID_FIELD from '@salesforce/schema/Partner_Center_Sync_Status__e.Opportunity_Id__c';
import SETTINGS_COUNTRY_FIELD from '@salesforce/schema/Partner_Center_Settings__c.Country_Code_Field__c';

export {
  OPPORTUNITY_OBJECT,
  ACCOUNT_OBJECT,
  NAME_FIELD,
  ACCOUNT_ID_FIELD,
  SYNC_FIELD,
  REFERRAL_ID_FIELD,
  REFERRAL_LINK_FIELD,
  HELP_FIELD,
  VISIBLE_FIELD,
  CRM_ID_FIELD,
  PC_STATUS_FIELD,
  SYNC_STATUS_FIELD,
  LAST_SYNC_FIELD,
  AUDIT_FIELD,
  ACCOUNT_NAME_FIELD,
  EVENT_OPPORTUNITY_ID_FIELD,
  SETTINGS_COUNTRY_FIELD,
};

/**
 * Requested as optional fields: a field the user cannot read is simply absent from the record instead of failing
 * the whole request, and the card explains what it cannot show or change.
 */
export const OPPORTUNITY_FIELDS = [
  ACCOUNT_ID_FIELD,
  SYNC_FIELD,
  REFERRAL_ID_FIELD,
  REFERRAL_LINK_FIELD,
  HELP_FIELD,
  VISIBLE_FIELD,
  CRM_ID_FIELD,
  PC_STATUS_FIELD,
  SYNC_STATUS_FIELD,
  LAST_SYNC_FIELD,
  AUDIT_FIELD,
];

/** What the referral details section shows: the card shows the section once any of them has a value. */
export const REFERRAL_FIELDS = [PC_STATUS_FIELD, REFERRAL_ID_FIELD, REFERRAL_LINK_FIELD, CRM_ID_FIELD, LAST_SYNC_FIELD];

export { apiName } from 'c/partnerCenterUtils';

/** Contact role fields the card reads (only their number matters to the checklist). */
export const CONTACT_ROLE_FIELDS = ['OpportunityContactRole.Id', 'OpportunityContactRole.ContactId'];

/** Field values to save, by API name. */
export type FieldChanges = Record<string, unknown>;
