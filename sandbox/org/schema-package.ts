/**
 * The package's own metadata as the local org sees it: Opportunity custom fields, custom objects and platform
 * events. API names are fixed by the product spec; labels, lengths and auto-number formats follow the metadata.
 */
import {
  checkbox, field, longText, object, picklist, reference, text, values,
  type FieldDef, type ObjectDef,
} from './schema-types.js';

/** Partner Center `assistanceRequestCode` values a seller can pick (the API's `Unknown` is left out). */
export const MICROSOFT_HELP_VALUES = [
  'GeneralOrOther',
  'CustomerTechnicalArchitecture',
  'ProofOfConceptOrDemo',
  'QuotesOrLicensing',
  'PostSalesCustomerSuccess',
  'WorkloadSpecificValueProposition',
];

/** What sellers see for each of those values (the labels in the package's metadata). */
const MICROSOFT_HELP_LABELS: Record<string, string> = {
  GeneralOrOther: 'General or other',
  CustomerTechnicalArchitecture: 'Customer technical architecture',
  ProofOfConceptOrDemo: 'Proof of concept or demo',
  QuotesOrLicensing: 'Quotes or licensing',
  PostSalesCustomerSuccess: 'Post-sales customer success',
  WorkloadSpecificValueProposition: 'Workload-specific value proposition',
};

/** Picklist values with the labels the metadata gives them (the API name where it gives none). */
function labelled(list: string[], labels: Record<string, string>) {
  return values(list).map((v) => ({ ...v, label: labels[v.value] ?? v.value }));
}

export const SYNC_STATUS = { notSynced: 'Not Synced', pending: 'Pending', synced: 'Synced', error: 'Error' } as const;

/** Fields a seller may read but not write: only the connector (integration user) sets them. */
export const SELLER_READ_ONLY_OPPORTUNITY_FIELDS = [
  'Referral_Id__c',
  'Referral_Link__c',
  'Microsoft_CRM_Id__c',
  'Partner_Center_Status__c',
  'Partner_Center_Last_Sync__c',
  'Partner_Center_Audit__c',
];

export const OPPORTUNITY_PACKAGE_FIELDS: FieldDef[] = [
  checkbox('Sync_With_Partner_Center__c', 'Sync with Partner Center'),
  text('Referral_Id__c', 'Partner Center Referral ID', 100, { externalId: true, unique: true }),
  field('Referral_Link__c', 'Partner Center Referral Link', 'url', { length: 255 }),
  picklist(
    'Microsoft_Help__c',
    'How Can Microsoft Help?',
    labelled(MICROSOFT_HELP_VALUES, MICROSOFT_HELP_LABELS),
    { restrictedPicklist: true }
  ),
  checkbox('Visible_To_Microsoft_Sellers__c', 'Visible to Microsoft Sellers'),
  text('Microsoft_CRM_Id__c', 'Microsoft CRM ID', 100),
  text('Partner_Center_Status__c', 'Partner Center Status', 100),
  picklist('Partner_Center_Sync_Status__c', 'Partner Center Sync Status', values(Object.values(SYNC_STATUS), SYNC_STATUS.notSynced), {
    restrictedPicklist: true,
    defaultValue: SYNC_STATUS.notSynced,
  }),
  field('Partner_Center_Last_Sync__c', 'Partner Center Last Sync', 'datetime'),
  longText('Partner_Center_Audit__c', 'Partner Center Audit Trail', 131072),
];

const solution = object('Microsoft_Solution__c', { label: 'Microsoft Solution', labelPlural: 'Microsoft Solutions', keyPrefix: 'a01' }, [
  text('Name', 'Microsoft Solution Number', 80, { nameField: true, autoNumber: 'MS-{000000}', createable: false, updateable: false }),
  // Master-detail: deleting the opportunity deletes its solutions; the parent cannot be changed (no reparenting).
  reference('Opportunity__c', 'Opportunity', {
    to: 'Opportunity',
    relationshipName: 'Opportunity__r',
    childRelationshipName: 'Microsoft_Solutions__r',
    masterDetail: true,
  }, { updateable: false }),
  text('Solution_Id__c', 'Solution ID', 100, { nillable: false }),
  text('Solution_Name__c', 'Solution Name', 255),
  text('Publisher_Name__c', 'Publisher Name', 255),
  reference('Solution_Detail__c', 'Catalog Entry', {
    to: 'Microsoft_Solution_Detail__c',
    relationshipName: 'Solution_Detail__r',
    childRelationshipName: 'Microsoft_Solutions__r',
  }),
]);

const solutionDetail = object('Microsoft_Solution_Detail__c', { label: 'Microsoft Solution Catalog Entry', labelPlural: 'Microsoft Solution Catalog', keyPrefix: 'a02', owner: true }, [
  text('Name', 'Solution Name', 80, { nillable: false, nameField: true }),
  text('Solution_Id__c', 'Solution ID', 100, { nillable: false, externalId: true, unique: true }),
  text('Publisher_Name__c', 'Publisher Name', 255),
  picklist(
    'Solution_Type__c',
    'Solution Type',
    labelled(['CoSellReady', 'MicrosoftCatalog'], { CoSellReady: 'Partner co-sell ready solution', MicrosoftCatalog: 'Microsoft catalog solution' }),
    { restrictedPicklist: true }
  ),
  checkbox('Active__c', 'Active', true),
  longText('Description__c', 'Description', 255),
]);

const settings = object('Partner_Center_Settings__c', { label: 'Partner Center Settings', labelPlural: 'Partner Center Settings', keyPrefix: 'a03', owner: true }, [
  text('Name', 'Settings Name', 80, { nillable: false, nameField: true }),
  checkbox('Active__c', 'Active', true),
  checkbox('Display_Check_Mark__c', 'Display Check Mark in Opportunity Name', true),
  text('Active_Stage_Name__c', 'Active Stage Name', 255),
  text('On_Hold_Stage_Name__c', 'On-Hold Stage Name', 255),
  text('Won_Stage_Name__c', 'Won Stage Name', 255),
  text('Lost_Stage_Name__c', 'Lost Stage Name', 255),
  text('Country_Code_Field__c', 'Customer Account Country Code Field', 255, { defaultValue: 'Account.BillingCountry' }),
  text('Deal_Value_Field__c', 'Deal Value Field', 255, { defaultValue: 'Opportunity.Amount' }),
  text('Currency_Field__c', 'Deal Value Currency Field', 255, { defaultValue: 'Opportunity.CurrencyIsoCode' }),
  checkbox('Sync_Co_Sell_Only__c', 'Sync Co-Sell Opportunities Only', true),
]);

const syncLog = object('Partner_Center_Sync_Log__c', { label: 'Partner Center Sync Log', labelPlural: 'Partner Center Sync Logs', keyPrefix: 'a04', owner: true }, [
  text('Name', 'Sync Log Number', 80, { nameField: true, autoNumber: 'SL-{00000000}', createable: false, updateable: false }),
  picklist('Direction__c', 'Direction', values(['Outbound', 'Inbound']), { restrictedPicklist: true }),
  reference('Opportunity__c', 'Opportunity', {
    to: 'Opportunity',
    relationshipName: 'Opportunity__r',
    childRelationshipName: 'Partner_Center_Sync_Logs__r',
  }),
  text('Referral_Id__c', 'Partner Center Referral ID', 100),
  picklist('Outcome__c', 'Outcome', values(['Success', 'Error', 'Skipped', 'Retrying', 'Parked']), { restrictedPicklist: true }),
  longText('Message__c', 'Message', 32768),
  text('Request_Id__c', 'Partner Center Request ID', 100),
  text('Reason_Code__c', 'Reason Code', 80),
  field('Occurred_At__c', 'Occurred At', 'datetime'),
  text('Operation__c', 'Operation', 100),
  text('Failure_Reason__c', 'Failure Reason', 80),
  text('Failure_Parameters__c', 'Failure Parameters', 255),
]);

/** Fields every platform event has, set by the bus when it is published. */
function eventFields(): FieldDef[] {
  const sys = { createable: false, updateable: false };
  return [
    text('ReplayId', 'Replay ID', 255, sys),
    text('EventUuid', 'Event UUID', 36, sys),
    field('CreatedDate', 'Created Date', 'datetime', sys),
    reference('CreatedById', 'Created By ID', { to: 'User', relationshipName: 'CreatedBy' }, sys),
  ];
}

const syncRequestEvent = object('Partner_Center_Sync_Request__e', { label: 'Partner Center Sync Request', labelPlural: 'Partner Center Sync Requests', keyPrefix: 'e01', isEvent: true }, [
  ...eventFields(),
  text('Opportunity_Id__c', 'Opportunity Id', 18, { nillable: false }),
  text('Reason__c', 'Reason', 40, { nillable: false }),
]);

const syncStatusEvent = object('Partner_Center_Sync_Status__e', { label: 'Partner Center Sync Status', labelPlural: 'Partner Center Sync Statuses', keyPrefix: 'e02', isEvent: true }, [
  ...eventFields(),
  text('Opportunity_Id__c', 'Opportunity Id', 18, { nillable: false }),
  text('Sync_Status__c', 'Sync Status', 20, { nillable: false }),
  longText('Message__c', 'Message', 32768),
  text('Failure_Reason__c', 'Failure Reason', 80),
  text('Failure_Parameters__c', 'Failure Parameters', 255),
]);

export const PACKAGE_OBJECTS: ObjectDef[] = [solution, solutionDetail, settings, syncLog, syncRequestEvent, syncStatusEvent];

/** The custom permission that marks the connector's own writes, so the flows ignore them. */
export const INTEGRATION_PERMISSION = 'Partner_Center_Integration';
