/** Test data and wire-adapter helpers for the Partner Center card tests (UI API response shapes). */
import { getRecord } from 'lightning/uiRecordApi';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import { graphql } from 'lightning/graphql';
import type { createLdsTestWireAdapter } from '@salesforce/wire-service-jest-util';

export type LdsAdapter = ReturnType<typeof createLdsTestWireAdapter>;
export interface GraphQLAdapter {
  emit(value: unknown, filterFn?: (config: Record<string, unknown>) => boolean, refresh?: () => Promise<void>): void;
  emitErrors(errors: unknown[], filterFn?: (config: Record<string, unknown>) => boolean): void;
}
export type Config = Record<string, unknown>;

export const getRecordAdapter = getRecord as unknown as LdsAdapter;
export const getObjectInfoAdapter = getObjectInfo as unknown as LdsAdapter;
export const getPicklistValuesAdapter = getPicklistValues as unknown as LdsAdapter;
export const getRelatedListRecordsAdapter = getRelatedListRecords as unknown as LdsAdapter;
export const graphqlAdapter = graphql as unknown as GraphQLAdapter;

export const OPPORTUNITY_ID = '006AA000001abcdAAA';
export const ACCOUNT_ID = '001AA000002abcdAAA';
export const RECORD_TYPE_ID = '012000000000000AAA';

/** Lets LWC re-render and pending promises (handlers, confirm dialogs, saves) settle. */
export async function flush(): Promise<void> {
  // Ten microtask turns: enough for wire emissions, re-renders and awaited handler steps to settle.
  await Array.from({ length: 10 }).reduce<Promise<void>>((turn) => turn.then(() => undefined), Promise.resolve());
}

type Values = Record<string, unknown>;

/** A UI API record; a field set to `undefined` is left out, as UI API does for fields the user can't read. */
export function record(apiName: string, id: string, values: Values, displayValues: Record<string, string> = {}) {
  const fields: Record<string, { value: unknown; displayValue: string | null }> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) fields[name] = { value, displayValue: displayValues[name] ?? null };
  }
  return { apiName, id, recordTypeId: RECORD_TYPE_ID, fields };
}

export const NEW_OPPORTUNITY: Values = {
  Name: 'Contoso cloud migration',
  AccountId: ACCOUNT_ID,
  Sync_With_Partner_Center__c: false,
  Referral_Id__c: null,
  Referral_Link__c: null,
  Microsoft_Help__c: null,
  Visible_To_Microsoft_Sellers__c: false,
  Microsoft_CRM_Id__c: null,
  Partner_Center_Status__c: null,
  Partner_Center_Sync_Status__c: 'Not Synced',
  Partner_Center_Last_Sync__c: null,
  Partner_Center_Audit__c: null,
};

export const SYNCED_OPPORTUNITY: Values = {
  ...NEW_OPPORTUNITY,
  Sync_With_Partner_Center__c: true,
  Referral_Id__c: 'e2f1c3a4-0000-4000-8000-000000000001',
  Referral_Link__c: 'https://partner.microsoft.com/dashboard/referrals/v2/leads/e2f1c3a4',
  Microsoft_CRM_Id__c: '7-ABCDEF1234',
  Partner_Center_Status__c: 'Active - Accepted',
  Partner_Center_Sync_Status__c: 'Synced',
  Partner_Center_Last_Sync__c: '2025-03-04T10:15:00.000Z',
  Partner_Center_Audit__c: '2025-03-04 10:15 ✔ Referral updated in Partner Center\n2025-03-04 10:01 ✔ Referral created',
};

export function opportunityRecord(values: Values = {}, displayValues: Record<string, string> = {}) {
  return record('Opportunity', OPPORTUNITY_ID, { ...NEW_OPPORTUNITY, ...values }, displayValues);
}

const OPPORTUNITY_FIELD_TYPES: Record<string, string> = {
  Name: 'String',
  AccountId: 'Reference',
  Sync_With_Partner_Center__c: 'Boolean',
  Referral_Id__c: 'String',
  Referral_Link__c: 'Url',
  Microsoft_Help__c: 'Picklist',
  Visible_To_Microsoft_Sellers__c: 'Boolean',
  Microsoft_CRM_Id__c: 'String',
  Partner_Center_Status__c: 'String',
  Partner_Center_Sync_Status__c: 'Picklist',
  Partner_Center_Last_Sync__c: 'DateTime',
  Partner_Center_Audit__c: 'TextArea',
};

/** Fields people can edit per the seller permission set; the connector's fields are read-only for people. */
const SELLER_EDITABLE = new Set([
  'Name',
  'AccountId',
  'Sync_With_Partner_Center__c',
  'Microsoft_Help__c',
  'Visible_To_Microsoft_Sellers__c',
  'Partner_Center_Sync_Status__c',
]);

export function opportunityInfo(options: { editable?: boolean } = {}) {
  const editable = options.editable ?? true;
  const fields: Record<string, object> = {};
  for (const [apiName, dataType] of Object.entries(OPPORTUNITY_FIELD_TYPES)) {
    fields[apiName] = {
      apiName,
      label: apiName.replace(/__c$/, '').replace(/_/g, ' '),
      dataType,
      updateable: editable && SELLER_EDITABLE.has(apiName),
      createable: editable && SELLER_EDITABLE.has(apiName),
    };
  }
  return {
    apiName: 'Opportunity',
    label: 'Opportunity',
    createable: editable,
    updateable: editable,
    deletable: editable,
    defaultRecordTypeId: RECORD_TYPE_ID,
    childRelationships: [],
    fields,
  };
}

export function accountInfo() {
  return {
    apiName: 'Account',
    label: 'Account',
    createable: true,
    updateable: true,
    deletable: true,
    defaultRecordTypeId: RECORD_TYPE_ID,
    childRelationships: [],
    fields: {
      Name: { apiName: 'Name', label: 'Account Name', dataType: 'String', updateable: true, createable: true },
      BillingCountry: { apiName: 'BillingCountry', label: 'Billing Country', dataType: 'String', updateable: true, createable: true },
      Country_Code__c: { apiName: 'Country_Code__c', label: 'Country Code', dataType: 'String', updateable: true, createable: true },
    },
  };
}

export const HELP_PICKLIST = {
  defaultValue: null,
  controllerValues: {},
  values: [
    { label: 'General or other', value: 'GeneralOrOther', validFor: [], attributes: null },
    { label: 'Customer technical architecture', value: 'CustomerTechnicalArchitecture', validFor: [], attributes: null },
    { label: 'Proof of concept or demo', value: 'ProofOfConceptOrDemo', validFor: [], attributes: null },
  ],
};

export function accountRecord(values: Values = {}) {
  return record('Account', ACCOUNT_ID, { Name: 'Contoso Ltd', BillingCountry: 'DE', ...values });
}

export function relatedList(relatedListId: string, count: number) {
  const records = Array.from({ length: count }, (_, index) =>
    record(relatedListId === 'OpportunityContactRoles' ? 'OpportunityContactRole' : 'Microsoft_Solution__c', `a0${index}`, {
      Id: `a0${index}`,
    })
  );
  return { records, count, listReference: { relatedListId }, nextPageToken: null };
}

const objectNameOf = (config: Config): unknown => {
  const value = config.objectApiName as { objectApiName?: string } | string | undefined;
  return typeof value === 'object' ? value?.objectApiName : value;
};

export const forObject = (apiName: string) => (config: Config) => objectNameOf(config) === apiName;
export const forRecord = (id: string) => (config: Config) => config.recordId === id;
export const forRelatedList = (relatedListId: string) => (config: Config) => config.relatedListId === relatedListId;
/** The card's own GraphQL query (the active settings' country field) has no variables; the catalog search has. */
export const forSettingsQuery = (config: Config) => config.variables === undefined;

export function settingsData(countryField: string | null) {
  const edges = countryField === null ? [] : [{ node: { Id: 'a01AA000000SETAAA', Country_Code_Field__c: { value: countryField } } }];
  return { uiapi: { query: { Partner_Center_Settings__c: { edges } } } };
}

export interface CardData {
  opportunity?: ReturnType<typeof opportunityRecord>;
  info?: ReturnType<typeof opportunityInfo>;
  picklist?: typeof HELP_PICKLIST | null;
  account?: ReturnType<typeof accountRecord> | null;
  contactRoles?: number | null;
  solutions?: number | null;
  countryField?: string | null;
}

/** Emits the data every wire of the card (and its solutions list) waits for; `null` skips a wire. */
export async function emitCardData(data: CardData = {}): Promise<void> {
  await flush(); // wires receive their reactive configuration (recordId) asynchronously
  graphqlAdapter.emit(settingsData(data.countryField === undefined ? 'Account.BillingCountry' : data.countryField), forSettingsQuery);
  getObjectInfoAdapter.emit(data.info ?? opportunityInfo(), forObject('Opportunity'));
  getObjectInfoAdapter.emit(accountInfo(), forObject('Account'));
  getRecordAdapter.emit(data.opportunity ?? opportunityRecord(), forRecord(OPPORTUNITY_ID));
  await flush();
  if (data.picklist !== null) getPicklistValuesAdapter.emit(data.picklist ?? HELP_PICKLIST);
  if (data.account !== null) getRecordAdapter.emit(data.account ?? accountRecord(), forRecord(ACCOUNT_ID));
  if (data.contactRoles !== null) {
    getRelatedListRecordsAdapter.emit(relatedList('OpportunityContactRoles', data.contactRoles ?? 1), forRelatedList('OpportunityContactRoles'));
  }
  if (data.solutions !== null) {
    getRelatedListRecordsAdapter.emit(relatedList('Microsoft_Solutions__r', data.solutions ?? 1), forRelatedList('Microsoft_Solutions__r'));
  }
  await flush();
}

/**
 * Every element matching `selector` in the component's shadow tree and in the shadow trees of the components it
 * renders (the card's children: sync status, choices, checklist, details, audit trail), in document order per tree.
 */
export function deepQueryAll(host: Element, selector: string): Element[] {
  const root = host.shadowRoot;
  if (!root) return [];
  const found = Array.from(root.querySelectorAll(selector));
  for (const child of Array.from(root.querySelectorAll('*'))) {
    if (child.shadowRoot && child.tagName.startsWith('C-')) found.push(...deepQueryAll(child, selector));
  }
  return found;
}
