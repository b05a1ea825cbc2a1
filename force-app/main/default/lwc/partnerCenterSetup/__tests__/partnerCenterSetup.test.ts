import { createElement } from 'lwc';
import PartnerCenterSetup from 'c/partnerCenterSetup';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import { graphql } from 'lightning/graphql';
import type { createLdsTestWireAdapter } from '@salesforce/wire-service-jest-util';
import LOAD_ERROR from '@salesforce/label/c.PC_Setup_Load_Error';
import NO_SETTINGS from '@salesforce/label/c.PC_Setup_No_Settings';
import SETTINGS_NAME from '@salesforce/label/c.PC_Setup_Settings_Name';
import SAVED from '@salesforce/label/c.PC_Setup_Saved';
import SAVE_FAILED from '@salesforce/label/c.PC_Common_Save_Failed';
import ERR_STAGE_CLOSED from '@salesforce/label/c.PC_Setup_Err_Stage_Closed';
import ERR_STAGES_SAME from '@salesforce/label/c.PC_Setup_Err_Stages_Same';
import ERR_WON_STAGE from '@salesforce/label/c.PC_Setup_Err_Won_Stage';
import ERR_REQUIRED from '@salesforce/label/c.PC_Setup_Err_Required';
import ORG_CURRENCY from '@salesforce/label/c.PC_Setup_Org_Currency';
import ERRORS_EMPTY from '@salesforce/label/c.PC_Setup_Errors_Empty';
import ERRORS_UNAVAILABLE from '@salesforce/label/c.PC_Setup_Errors_Unavailable';
import CONNECTOR_NEVER from '@salesforce/label/c.PC_Setup_Prereq_Connector_Never';
import CONNECTOR_OK from '@salesforce/label/c.PC_Setup_Prereq_Connector_Ok';
import CONNECTOR_UNKNOWN from '@salesforce/label/c.PC_Setup_Prereq_Connector_Unknown';
import STATUS_PASS from '@salesforce/label/c.PC_Setup_Status_Ok';
import STATUS_FAIL from '@salesforce/label/c.PC_Setup_Status_Missing';
import ACTIVE_STAGE from '@salesforce/label/c.PC_Setup_Active_Stage';
import ON_HOLD_STAGE from '@salesforce/label/c.PC_Setup_On_Hold_Stage';
import WON_STAGE from '@salesforce/label/c.PC_Setup_Won_Stage';
import LOST_STAGE from '@salesforce/label/c.PC_Setup_Lost_Stage';

// Give each GraphQL query its text so a test can answer the settings query and the sync-log query separately.
jest.mock('lightning/graphql', () => {
  const stub = jest.requireActual('lightning/graphql');
  return { ...stub, gql: (strings: TemplateStringsArray) => strings.join('') };
});

type LdsAdapter = ReturnType<typeof createLdsTestWireAdapter>;
type Config = Record<string, unknown>;
interface GraphQLAdapter {
  emit(value: unknown, filterFn?: (config: Config) => boolean, refresh?: () => Promise<void>): void;
  emitErrors(errors: unknown[], filterFn?: (config: Config) => boolean): void;
}
interface Toast {
  title: string;
  message: string;
  variant: string;
}
type Combobox = HTMLElement & { value: string; options: Array<{ label: string; value: string }>; setCustomValidity: jest.Mock; reportValidity: jest.Mock };

const objectInfoAdapter = getObjectInfo as unknown as LdsAdapter;
const picklistAdapter = getPicklistValues as unknown as LdsAdapter;
const graphqlAdapter = graphql as unknown as GraphQLAdapter;
const mocked = (fn: unknown) => fn as jest.Mock;

const HOUR = 3600 * 1000;
const SETTINGS_ID = 'a03AA000000001AAA';

const isSettingsQuery = (config: Config) => String(config.query).includes('partnerCenterActiveSettings');
const isHealthQuery = (config: Config) => String(config.query).includes('partnerCenterSyncHealth');
const forObject = (name: string) => (config: Config) => (config.objectApiName as { objectApiName?: string })?.objectApiName === name;

async function flush(): Promise<void> {
  // Ten microtask turns: enough for wire emissions, re-renders and awaited handler steps to settle.
  await Array.from({ length: 10 }).reduce<Promise<void>>((turn) => turn.then(() => undefined), Promise.resolve());
}

const field = (apiName: string, label: string, dataType: string) => ({ apiName, label, dataType, updateable: true, createable: true });

function opportunityInfo(options: { multiCurrency?: boolean; notes?: boolean; teams?: boolean } = {}) {
  const fields: Record<string, object> = {
    Name: field('Name', 'Opportunity Name', 'String'),
    StageName: field('StageName', 'Stage', 'Picklist'),
    Amount: field('Amount', 'Amount', 'Currency'),
    Probability: field('Probability', 'Probability (%)', 'Percent'),
    Expected_Revenue__c: field('Expected_Revenue__c', 'Expected Revenue', 'Double'),
    Deal_Currency__c: field('Deal_Currency__c', 'Deal Currency', 'String'),
    Description: field('Description', 'Description', 'TextArea'),
  };
  if (options.multiCurrency ?? true) fields.CurrencyIsoCode = field('CurrencyIsoCode', 'Opportunity Currency', 'Picklist');
  const childRelationships = [{ childObjectApiName: 'OpportunityContactRole', fieldName: 'OpportunityId', relationshipName: 'OpportunityContactRoles' }];
  if (options.notes ?? true) childRelationships.push({ childObjectApiName: 'AttachedContentNote', fieldName: 'LinkedEntityId', relationshipName: 'AttachedContentNotes' });
  if (options.teams ?? true) childRelationships.push({ childObjectApiName: 'OpportunityTeamMember', fieldName: 'OpportunityId', relationshipName: 'OpportunityTeamMembers' });
  return { apiName: 'Opportunity', label: 'Opportunity', createable: true, updateable: true, deletable: true, defaultRecordTypeId: '012000000000000AAA', childRelationships, fields };
}

const ACCOUNT_INFO = {
  apiName: 'Account',
  label: 'Account',
  createable: true,
  updateable: true,
  deletable: true,
  defaultRecordTypeId: '012000000000000AAA',
  childRelationships: [],
  fields: {
    Name: field('Name', 'Account Name', 'String'),
    BillingCountry: field('BillingCountry', 'Billing Country', 'String'),
    BillingCountryCode: field('BillingCountryCode', 'Billing Country Code', 'Picklist'),
    BillingAddress: field('BillingAddress', 'Billing Address', 'Address'),
    NumberOfEmployees: field('NumberOfEmployees', 'Employees', 'Int'),
    ParentId: field('ParentId', 'Parent Account ID', 'Reference'),
  },
};

const settingsInfo = (editable = true) => ({
  apiName: 'Partner_Center_Settings__c',
  label: 'Partner Center Settings',
  createable: editable,
  updateable: editable,
  deletable: editable,
  defaultRecordTypeId: '012000000000000AAA',
  childRelationships: [],
  fields: {},
});

const stage = (value: string, closed = false, won = false) => ({
  label: value,
  value,
  validFor: [],
  attributes: { closed, won, defaultProbability: won ? 100 : 0, forecastCategoryName: closed ? 'Closed' : 'Pipeline', picklistAtrributesValueType: 'OpportunityStage' },
});

const STAGES = {
  defaultValue: null,
  controllerValues: {},
  values: [
    stage('Prospecting'),
    stage('Waiting for Partner'),
    stage('Qualification'),
    stage('Closed Won', true, true),
    stage('Closed Lost', true, false),
  ],
};

const EXISTING = {
  Id: SETTINGS_ID,
  Active_Stage_Name__c: { value: 'Qualification' },
  On_Hold_Stage_Name__c: { value: 'Waiting for Partner' },
  Won_Stage_Name__c: { value: 'Closed Won' },
  Lost_Stage_Name__c: { value: 'Closed Lost' },
  Country_Code_Field__c: { value: 'Account.BillingCountry' },
  Deal_Value_Field__c: { value: 'Opportunity.Amount' },
  Currency_Field__c: { value: 'Opportunity.CurrencyIsoCode' },
  Display_Check_Mark__c: { value: true },
  Sync_Co_Sell_Only__c: { value: true },
};

const settingsData = (node: object | null) => ({
  uiapi: { query: { Partner_Center_Settings__c: { edges: node ? [{ node }] : [] } } },
});

interface LogRow {
  id: string;
  at: string;
  outcome?: string;
  message?: string;
  opportunityId?: string | null;
  opportunityName?: string | null;
}

function healthData(lastSuccess: string | null, errors: LogRow[] = []) {
  return {
    uiapi: {
      query: {
        lastSuccess: { edges: lastSuccess ? [{ node: { Id: 'a04AA0000000001AAA', Occurred_At__c: { value: lastSuccess } } }] : [] },
        recentErrors: {
          edges: errors.map((row) => ({
            node: {
              Id: row.id,
              Name: { value: `SL-${row.id.slice(-4)}` },
              Occurred_At__c: { value: row.at },
              Outcome__c: { value: row.outcome ?? 'Error', displayValue: row.outcome ?? 'Error' },
              Operation__c: { value: 'updateReferral' },
              Message__c: { value: row.message ?? 'Partner Center rejected the update' },
              Referral_Id__c: { value: 'e2f1c3a4' },
              Opportunity__c: { value: row.opportunityId === undefined ? '006AA000001abcdAAA' : row.opportunityId },
              Opportunity__r: row.opportunityName === null ? null : { Name: { value: row.opportunityName ?? 'Contoso cloud migration' } },
            },
          })),
        },
      },
    },
  };
}

let toasts: Toast[];
let refreshSettings: jest.Mock;

async function render(): Promise<HTMLElement> {
  const element = createElement('c-partner-center-setup', { is: PartnerCenterSetup });
  element.addEventListener('lightning__showtoast', (event) => toasts.push((event as CustomEvent<Toast>).detail));
  document.body.appendChild(element);
  await flush();
  return element;
}

async function emitAll(
  data: { settings?: object | null; opportunity?: object; stages?: object; health?: object; settingsEditable?: boolean } = {}
): Promise<void> {
  graphqlAdapter.emit(settingsData(data.settings === undefined ? EXISTING : data.settings), isSettingsQuery, refreshSettings);
  graphqlAdapter.emit(data.health ?? healthData(new Date(Date.now() - HOUR).toISOString()), isHealthQuery);
  objectInfoAdapter.emit(data.opportunity ?? opportunityInfo(), forObject('Opportunity'));
  objectInfoAdapter.emit(ACCOUNT_INFO, forObject('Account'));
  objectInfoAdapter.emit(settingsInfo(data.settingsEditable ?? true), forObject('Partner_Center_Settings__c'));
  await flush();
  picklistAdapter.emit(data.stages ?? STAGES);
  await flush();
}

const $ = (element: HTMLElement, selector: string) => element.shadowRoot?.querySelector(selector) as (HTMLElement & Record<string, unknown>) | null;
const $$ = (element: HTMLElement, selector: string) => Array.from(element.shadowRoot?.querySelectorAll(selector) ?? []) as Array<HTMLElement & Record<string, unknown>>;
const text = (element: HTMLElement, selector: string) => $(element, selector)?.textContent?.trim();
const combobox = (element: HTMLElement, name: string) => $(element, `lightning-combobox[data-field="${name}"]`) as unknown as Combobox;

function choose(element: HTMLElement, name: string, value: string): void {
  combobox(element, name).dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

function summary(element: HTMLElement): Record<string, string> {
  return Object.fromEntries($$(element, '.error-summary li').map((li) => [li.dataset.field ?? '', li.textContent ?? '']));
}

async function save(element: HTMLElement): Promise<void> {
  $(element, '.save-button')?.click();
  await flush();
}

describe('c-partner-center-setup', () => {
  beforeEach(() => {
    toasts = [];
    refreshSettings = jest.fn(() => Promise.resolve());
    mocked(updateRecord).mockResolvedValue({ id: SETTINGS_ID });
    mocked(createRecord).mockResolvedValue({ id: 'a03AA000000002AAA' });
  });

  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  describe('loading', () => {
    it('shows a spinner until the settings and the org stages are known', async () => {
      const element = await render();
      expect($(element, '.loading lightning-spinner')).not.toBeNull();
      expect($(element, '.settings-form')).toBeNull();
      await emitAll();
      expect($(element, '.loading')).toBeNull();
      expect($(element, '.settings-form')).not.toBeNull();
    });

    it('explains a failed settings query', async () => {
      const element = await render();
      graphqlAdapter.emitErrors([{ message: 'No such column Country_Code_Field__c' }], isSettingsQuery);
      await flush();
      const panel = $(element, 'c-partner-center-error-panel');
      expect(panel?.friendlyMessage).toBe(LOAD_ERROR);
      expect(panel?.shadowRoot?.textContent).toContain(orgApiName('No such column Country_Code_Field__c'));
    });
  });

  describe('the form', () => {
    it('shows the active settings record', async () => {
      const element = await render();
      await emitAll();

      expect(combobox(element, 'activeStage').value).toBe('Qualification');
      expect(combobox(element, 'onHoldStage').value).toBe('Waiting for Partner');
      expect(combobox(element, 'wonStage').value).toBe('Closed Won');
      expect(combobox(element, 'lostStage').value).toBe('Closed Lost');
      expect(combobox(element, 'countryField').value).toBe('Account.BillingCountry');
      expect(combobox(element, 'dealValueField').value).toBe('Opportunity.Amount');
      expect(combobox(element, 'currencyField').value).toBe('Opportunity.CurrencyIsoCode');
      expect(($(element, '.toggle[data-field="displayCheckMark"]') as Record<string, unknown>).checked).toBe(true);
      expect($(element, '.no-settings')).toBeNull();
      await expect(element).toBeAccessible();
    });

    it('renders the four stage pickers from one list, in order, with the same choices', async () => {
      const element = await render();
      await emitAll();
      const stages = $$(element, 'lightning-combobox').filter((box) => String(box.dataset.field).endsWith('Stage'));
      expect(stages.map((box) => box.dataset.field)).toEqual(['activeStage', 'onHoldStage', 'wonStage', 'lostStage']);
      expect(stages.map((box) => box.label)).toEqual([ACTIVE_STAGE, ON_HOLD_STAGE, WON_STAGE, LOST_STAGE]);
      expect(new Set(stages.map((box) => JSON.stringify(box.options))).size).toBe(1);
      expect(stages.every((box) => box.required === true)).toBe(true);
    });

    it('offers the org stages, marking closed ones', async () => {
      const element = await render();
      await emitAll();
      expect(combobox(element, 'activeStage').options).toEqual([
        { label: 'Prospecting', value: 'Prospecting' },
        { label: 'Waiting for Partner', value: 'Waiting for Partner' },
        { label: 'Qualification', value: 'Qualification' },
        { label: 'Closed Won (closed, won)', value: 'Closed Won' },
        { label: 'Closed Lost (closed, lost)', value: 'Closed Lost' },
      ]);
    });

    it('offers the stages of every sales process (the master record type), not only the default record type ones', async () => {
      const element = await render();
      const salesRecordType = '012AA0000000ABCAAA';
      graphqlAdapter.emit(settingsData(EXISTING), isSettingsQuery);
      graphqlAdapter.emit(healthData(new Date(Date.now() - HOUR).toISOString()), isHealthQuery);
      objectInfoAdapter.emit({ ...opportunityInfo(), defaultRecordTypeId: salesRecordType }, forObject('Opportunity'));
      objectInfoAdapter.emit(ACCOUNT_INFO, forObject('Account'));
      objectInfoAdapter.emit(settingsInfo(true), forObject('Partner_Center_Settings__c'));
      await flush();
      // UI API answers per record type: the admin's sales process has two stages, the master record type all five.
      const forRecordType = (id: string) => (config: Config) => config.recordTypeId === id;
      picklistAdapter.emit({ ...STAGES, values: STAGES.values.slice(0, 2) }, forRecordType(salesRecordType));
      picklistAdapter.emit(STAGES, forRecordType('012000000000000AAA'));
      await flush();
      expect(combobox(element, 'activeStage').options.map((option) => option.value)).toEqual([
        'Prospecting',
        'Waiting for Partner',
        'Qualification',
        'Closed Won',
        'Closed Lost',
      ]);
    });

    it('offers only compatible fields: text/picklist on Account, currency/number on Opportunity, currency codes', async () => {
      const element = await render();
      await emitAll();

      expect(combobox(element, 'countryField').options.map((option) => option.value)).toEqual([
        'Account.Name',
        'Account.BillingCountry',
        'Account.BillingCountryCode',
      ]);
      expect(combobox(element, 'countryField').options[1].label).toBe('Billing Country (BillingCountry)');
      expect(combobox(element, 'dealValueField').options.map((option) => option.value)).toEqual([
        'Opportunity.Amount',
        'Opportunity.Expected_Revenue__c',
      ]);
      expect(combobox(element, 'currencyField').options).toEqual([
        { label: ORG_CURRENCY, value: '' },
        { label: 'Deal Currency (Deal_Currency__c)', value: 'Opportunity.Deal_Currency__c' },
        { label: 'Opportunity Currency (CurrencyIsoCode)', value: 'Opportunity.CurrencyIsoCode' },
      ]);
    });

    it('saves the settings record and confirms', async () => {
      const element = await render();
      await emitAll();

      choose(element, 'activeStage', 'Prospecting');
      ($(element, '.toggle[data-field="displayCheckMark"]') as HTMLElement).dispatchEvent(new CustomEvent('change', { detail: { checked: false } }));
      await flush();
      await save(element);

      expect(updateRecord).toHaveBeenCalledWith({
        fields: {
          Id: SETTINGS_ID,
          Active_Stage_Name__c: 'Prospecting',
          On_Hold_Stage_Name__c: 'Waiting for Partner',
          Won_Stage_Name__c: 'Closed Won',
          Lost_Stage_Name__c: 'Closed Lost',
          Country_Code_Field__c: 'Account.BillingCountry',
          Deal_Value_Field__c: 'Opportunity.Amount',
          Currency_Field__c: 'Opportunity.CurrencyIsoCode',
          Display_Check_Mark__c: false,
          Sync_Co_Sell_Only__c: true,
        },
      });
      expect(toasts).toEqual([expect.objectContaining({ title: SAVED, variant: 'success' })]);
      expect(refreshSettings).toHaveBeenCalledTimes(1);
    });

    it('without a settings record: starts from the defaults and creates an active record', async () => {
      const element = await render();
      await emitAll({ settings: null, opportunity: opportunityInfo({ multiCurrency: false }) });

      expect(text(element, '.no-settings')).toBe(NO_SETTINGS);
      expect(combobox(element, 'wonStage').value).toBe('Closed Won');
      expect(combobox(element, 'lostStage').value).toBe('Closed Lost');
      expect(combobox(element, 'countryField').value).toBe('Account.BillingCountry');
      expect(combobox(element, 'currencyField').value).toBe('');

      choose(element, 'activeStage', 'Qualification');
      choose(element, 'onHoldStage', 'Prospecting');
      await flush();
      await save(element);

      expect(updateRecord).not.toHaveBeenCalled();
      expect(createRecord).toHaveBeenCalledWith({
        apiName: 'Partner_Center_Settings__c',
        fields: expect.objectContaining({
          Name: SETTINGS_NAME,
          Active__c: true,
          Active_Stage_Name__c: 'Qualification',
          On_Hold_Stage_Name__c: 'Prospecting',
          Currency_Field__c: null,
        }),
      });
    });

    it('shows why saving failed', async () => {
      const element = await render();
      await emitAll();
      mocked(updateRecord).mockRejectedValueOnce({ body: { message: 'insufficient access rights on object id' } });
      await save(element);
      expect(toasts).toEqual([expect.objectContaining({ title: SAVE_FAILED, message: 'insufficient access rights on object id', variant: 'error' })]);
    });

    it('cannot be saved by someone without edit access to the settings', async () => {
      const element = await render();
      await emitAll({ settingsEditable: false });
      expect($(element, '.save-button')?.disabled).toBe(true);
    });
  });

  describe('invalid choices are rejected', () => {
    it('a closed stage as the active stage: field error, summary, nothing saved', async () => {
      const element = await render();
      await emitAll();
      const box = combobox(element, 'activeStage');
      const setCustomValidity = jest.spyOn(box, 'setCustomValidity');

      choose(element, 'activeStage', 'Closed Won');
      await flush();

      expect(setCustomValidity).toHaveBeenCalledWith(ERR_STAGE_CLOSED);
      expect(summary(element).activeStage).toContain(ERR_STAGE_CLOSED);
      await save(element);
      expect(updateRecord).not.toHaveBeenCalled();
      await expect(element).toBeAccessible();
    });

    it('the same stage for on-hold and active', async () => {
      const element = await render();
      await emitAll();
      choose(element, 'onHoldStage', 'Qualification');
      await flush();
      await save(element);

      expect(summary(element).onHoldStage).toContain(ERR_STAGES_SAME);
      expect(updateRecord).not.toHaveBeenCalled();
    });

    it('a won stage that is not closed won', async () => {
      const element = await render();
      await emitAll();
      choose(element, 'wonStage', 'Closed Lost');
      await flush();
      expect(summary(element).wonStage).toContain(ERR_WON_STAGE);
    });

    it('a saved stage that no longer exists in the org, and a field that is not compatible', async () => {
      const element = await render();
      await emitAll({
        settings: { ...EXISTING, On_Hold_Stage_Name__c: { value: 'On Hold (retired)' }, Deal_Value_Field__c: { value: 'Opportunity.Probability' } },
      });
      await save(element);

      expect(summary(element).onHoldStage).toContain('"On Hold (retired)" is not one of this org\'s stages');
      expect(summary(element).dealValueField).toContain('"Opportunity.Probability" isn\'t a compatible field');
      expect(updateRecord).not.toHaveBeenCalled();
    });

    it('required stages left empty', async () => {
      const element = await render();
      await emitAll({ settings: null });
      await save(element);

      expect(summary(element).activeStage).toContain(ERR_REQUIRED);
      expect(summary(element).onHoldStage).toContain(ERR_REQUIRED);
      expect(createRecord).not.toHaveBeenCalled();
    });

    it('fixing the choice clears the error', async () => {
      const element = await render();
      await emitAll();
      choose(element, 'activeStage', 'Closed Won');
      await flush();
      expect($(element, '.error-summary')).not.toBeNull();

      const setCustomValidity = jest.spyOn(combobox(element, 'activeStage'), 'setCustomValidity');
      choose(element, 'activeStage', 'Prospecting');
      await flush();
      expect($(element, '.error-summary')).toBeNull();
      expect(setCustomValidity).toHaveBeenCalledWith('');
    });
  });

  describe('before you start', () => {
    const state = (element: HTMLElement, key: string) => $(element, `.check[data-key="${key}"]`)?.dataset.state;

    it('detects Notes and Opportunity Teams from the Opportunity child relationships', async () => {
      const element = await render();
      await emitAll();
      expect(state(element, 'notes')).toBe('ok');
      expect(state(element, 'teams')).toBe('ok');
    });

    it('points to Setup when Notes or Teams are not detected', async () => {
      const element = await render();
      await emitAll({ opportunity: opportunityInfo({ notes: false, teams: false }) });
      expect(state(element, 'notes')).toBe('missing');
      expect(state(element, 'teams')).toBe('missing');
      const links = $$(element, '.check-link').map((link) => link.value);
      expect(links).toEqual([
        '/lightning/setup/NotesSetupPage/home',
        '/lightning/setup/OpportunityTeamMemberSettings/home',
        '/lightning/setup/PermSets/home',
        '/lightning/setup/NamedCredential/home',
      ]);
    });

    it('lists the prerequisites first and in order, then the connection, then stages and fields, then Save', async () => {
      const element = await render();
      await emitAll();
      const keys = $$(element, '.prerequisites .check').map((item) => item.dataset.key);
      expect(keys).toEqual(['notes', 'teams', 'permissions', 'namedCredential']);
      const order = ['.prerequisites', 'c-partner-center-connection-check', '.settings-form', '.save-button', '.recent-errors'].map((selector) => $(element, selector));
      for (let i = 1; i < order.length; i++) {
        expect(order[i - 1]!.compareDocumentPosition(order[i]!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
      }
    });

    it('says Pass or Fail in words beside each check, with a matching icon and alternative text', async () => {
      const element = await render();
      await emitAll({ opportunity: opportunityInfo({ notes: false }) });
      const notes = $(element, '.check[data-key="notes"]')!;
      const teams = $(element, '.check[data-key="teams"]')!;
      expect(notes.querySelector('.check-status')?.textContent).toBe(STATUS_FAIL);
      expect(teams.querySelector('.check-status')?.textContent).toBe(STATUS_PASS);
      const icon = (item: HTMLElement) => item.querySelector('lightning-icon') as unknown as Record<string, unknown>;
      expect(icon(notes)).toMatchObject({ iconName: 'utility:error', variant: 'error', alternativeText: STATUS_FAIL });
      expect(icon(teams)).toMatchObject({ iconName: 'utility:success', variant: 'success', alternativeText: STATUS_PASS });
      await expect(element).toBeAccessible();
    });

    it('permission sets: passes when the admin may edit the settings, fails when not', async () => {
      const admin = await render();
      await emitAll();
      expect(state(admin, 'permissions')).toBe('ok');
      document.body.removeChild(admin);
      const other = await render();
      await emitAll({ settingsEditable: false });
      expect(state(other, 'permissions')).toBe('missing');
    });

    it('named credential URL: not checked until the connection check answers, then pass or fail', async () => {
      const element = await render();
      await emitAll();
      expect(state(element, 'namedCredential')).toBe('unknown');
      const connection = $(element, 'c-partner-center-connection-check')!;
      connection.dispatchEvent(new CustomEvent('connectionchange', { detail: { namedCredential: 'missing' } }));
      await flush();
      expect(state(element, 'namedCredential')).toBe('missing');
      connection.dispatchEvent(new CustomEvent('connectionchange', { detail: { namedCredential: 'ok' } }));
      await flush();
      expect(state(element, 'namedCredential')).toBe('ok');
    });

    it('connector reachable: a successful sync within the last day', async () => {
      const element = await render();
      const lastSuccess = new Date(Date.now() - 2 * HOUR).toISOString();
      await emitAll({ health: healthData(lastSuccess) });
      expect(state(element, 'connector')).toBe('ok');
      expect(text(element, '.check[data-key="connector"] .check-detail')).toContain(CONNECTOR_OK);
      expect($(element, '.check[data-key="connector"] .check-time')?.value).toBe(lastSuccess);
    });

    it('connector not reachable: last success too old, or none at all', async () => {
      const stale = await render();
      await emitAll({ health: healthData(new Date(Date.now() - 30 * HOUR).toISOString()) });
      expect(state(stale, 'connector')).toBe('missing');
      expect(text(stale, '.check[data-key="connector"] .check-detail')).toContain('No successful sync in the last 24 hours');

      document.body.removeChild(stale);
      const never = await render();
      await emitAll({ health: healthData(null) });
      expect(state(never, 'connector')).toBe('missing');
      expect(text(never, '.check[data-key="connector"] .check-detail')).toBe(CONNECTOR_NEVER);
    });

    it('connector unknown and errors unavailable when the sync log cannot be read', async () => {
      const element = await render();
      graphqlAdapter.emitErrors([{ message: 'Partner_Center_Sync_Log__c is not supported' }], isHealthQuery);
      graphqlAdapter.emit(settingsData(EXISTING), isSettingsQuery);
      objectInfoAdapter.emit(opportunityInfo(), forObject('Opportunity'));
      objectInfoAdapter.emit(ACCOUNT_INFO, forObject('Account'));
      await flush();
      picklistAdapter.emit(STAGES);
      await flush();

      expect(state(element, 'connector')).toBe('unknown');
      expect(text(element, '.check[data-key="connector"] .check-detail')).toBe(CONNECTOR_UNKNOWN);
      expect(text(element, '.errors-unavailable')).toBe(ERRORS_UNAVAILABLE);
      expect($(element, '.settings-form')).not.toBeNull();
    });
  });

  describe('recent sync errors', () => {
    it('lists the newest errors with time, outcome, opportunity link and message', async () => {
      const element = await render();
      await emitAll({
        health: healthData(new Date().toISOString(), [
          { id: 'a04AA0000000009AAA', at: '2025-03-05T09:00:00.000Z', message: 'Customer account country code is missing' },
          { id: 'a04AA0000000008AAA', at: '2025-03-05T08:00:00.000Z', outcome: 'Parked', opportunityId: null, opportunityName: null },
        ]),
      });

      const rows = $$(element, '.error-row');
      expect(rows).toHaveLength(2);
      expect(rows[0].querySelector('.error-outcome')?.textContent).toBe('Error');
      expect(rows[0].querySelector('.error-message')?.textContent).toContain('Customer account country code is missing');
      const opportunityLink = rows[0].querySelector('lightning-formatted-url') as unknown as Record<string, unknown>;
      expect(opportunityLink.value).toBe('/lightning/r/Opportunity/006AA000001abcdAAA/view');
      expect(opportunityLink.label).toBe('Contoso cloud migration');
      expect((rows[1].querySelector('.log-link') as unknown as Record<string, unknown>).value).toBe(
        orgApiName('/lightning/r/Partner_Center_Sync_Log__c/a04AA0000000008AAA/view')
      );
      expect(rows[1].textContent).toContain('e2f1c3a4');
      await expect(element).toBeAccessible();
    });

    it('says when there are none', async () => {
      const element = await render();
      await emitAll({ health: healthData(new Date().toISOString(), []) });
      expect(text(element, '.errors-empty')).toBe(ERRORS_EMPTY);
    });
  });

  it('reads in one order: prerequisites, connection, stages and fields, save, then failed syncs and the sync log', async () => {
    const element = await render();
    await emitAll();
    const order = [
      'section.prerequisites',
      'c-partner-center-connection-check',
      'section.activity',
      'lightning-combobox[data-field="activeStage"]',
      'lightning-combobox[data-field="countryField"]',
      'lightning-input[data-field="displayCheckMark"]',
      '.save-button',
      'c-partner-center-failed-syncs',
      'section.recent-errors',
    ].map((selector) => {
      const found = $(element, selector);
      expect({ selector, found: Boolean(found) }).toEqual({ selector, found: true });
      return found!;
    });
    for (let i = 1; i < order.length; i += 1) {
      // DOCUMENT_POSITION_FOLLOWING: each part comes after the one before it.
      expect(order[i - 1].compareDocumentPosition(order[i]) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    }
    // One list of checks: no second, numbered "connect" list repeating what the checks and buttons do.
    expect($$(element, 'ol')).toHaveLength(0);
    expect($$(element, 'h3').map((h) => h.textContent)).toEqual(['Before you start', 'Stages', 'Field mappings', 'Options', 'Recent sync errors']);
  });
});
