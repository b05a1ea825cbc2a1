import { LightningElement, api } from 'lwc';
import { getFieldValue } from 'lightning/uiRecordApi';
import type { RecordRepresentation } from 'lightning/uiRecordApi';
import REFERRAL_ID_FIELD from '@salesforce/schema/Opportunity.Referral_Id__c';
import REFERRAL_LINK_FIELD from '@salesforce/schema/Opportunity.Referral_Link__c';
import CRM_ID_FIELD from '@salesforce/schema/Opportunity.Microsoft_CRM_Id__c';
import PC_STATUS_FIELD from '@salesforce/schema/Opportunity.Partner_Center_Status__c';
import LAST_SYNC_FIELD from '@salesforce/schema/Opportunity.Partner_Center_Last_Sync__c';
import { cleanText } from 'c/partnerCenterUtils';
import detailsHeading from '@salesforce/label/c.PC_Card_Details_Heading';
import fieldPcStatus from '@salesforce/label/c.PC_Card_Field_PC_Status';
import fieldReferralId from '@salesforce/label/c.PC_Card_Field_Referral_Id';
import fieldReferralLink from '@salesforce/label/c.PC_Card_Field_Referral_Link';
import openInPartnerCenter from '@salesforce/label/c.PC_Card_Open_In_Partner_Center';
import fieldCrmId from '@salesforce/label/c.PC_Card_Field_CRM_Id';
import fieldLastSync from '@salesforce/label/c.PC_Card_Field_Last_Sync';
import valueEmpty from '@salesforce/label/c.PC_Card_Value_Empty';

/**
 * What Partner Center knows about the deal: its status there, the referral (a link to it), Microsoft's CRM id and
 * the last sync, read from the opportunity record the card loaded.
 */
export default class PartnerCenterReferralDetails extends LightningElement {
  /** The opportunity as Lightning Data Service returned it. */
  @api record?: RecordRepresentation;

  labels = { detailsHeading, fieldPcStatus, fieldReferralId, fieldReferralLink, openInPartnerCenter, fieldCrmId, fieldLastSync, valueEmpty };

  private text(field: { objectApiName: string; fieldApiName?: string }): string {
    return this.record ? cleanText(getFieldValue(this.record, field)) : '';
  }

  get partnerCenterStatus(): string {
    return this.text(PC_STATUS_FIELD);
  }

  get referralId(): string {
    return this.text(REFERRAL_ID_FIELD);
  }

  get referralLink(): string {
    return this.text(REFERRAL_LINK_FIELD);
  }

  get crmId(): string {
    return this.text(CRM_ID_FIELD);
  }

  get lastSync(): string {
    return this.text(LAST_SYNC_FIELD);
  }
}
