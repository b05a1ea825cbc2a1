import { createElement } from 'lwc';
import PartnerCenterCard from 'c/partnerCenterCard';
import { updateRecord, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { subscribe, unsubscribe, onError, isEmpEnabled } from 'lightning/empApi';
import LightningConfirm from 'lightning/confirm';
import { refreshApex } from '@salesforce/apex';
import STATUS_OFF from '@salesforce/label/c.PC_Card_Status_Off';
import STATUS_NOT_SYNCED from '@salesforce/label/c.PC_Card_Status_Not_Synced';
import STATUS_PENDING from '@salesforce/label/c.PC_Card_Status_Pending';
import STATUS_SYNCED from '@salesforce/label/c.PC_Card_Status_Synced';
import STATUS_ERROR from '@salesforce/label/c.PC_Card_Status_Error';
import STATUS_PAUSED from '@salesforce/label/c.PC_Card_Status_Paused';
import ICON_PENDING from '@salesforce/label/c.PC_Card_Icon_Pending';
import ICON_SYNCED from '@salesforce/label/c.PC_Card_Icon_Synced';
import ICON_ERROR from '@salesforce/label/c.PC_Card_Icon_Error';
import ICON_NOT_SYNCED from '@salesforce/label/c.PC_Card_Icon_Not_Synced';
import ERROR_NO_DETAILS from '@salesforce/label/c.PC_Card_Error_No_Details';
import LOAD_ERROR from '@salesforce/label/c.PC_Card_Load_Error';
import READ_ONLY from '@salesforce/label/c.PC_Card_Read_Only';
import LIVE_UPDATES_OFF from '@salesforce/label/c.PC_Card_Live_Updates_Off';
import CHECKLIST_BLOCKED from '@salesforce/label/c.PC_Card_Checklist_Blocked';
import PREREQ_NO_ACCOUNT from '@salesforce/label/c.PC_Card_Prereq_No_Account';
import PREREQ_UNKNOWN_HINT from '@salesforce/label/c.PC_Card_Prereq_Unknown_Hint';
import HELP_NONE from '@salesforce/label/c.PC_Card_Help_None';
import VALUE_EMPTY from '@salesforce/label/c.PC_Card_Value_Empty';
import AUDIT_EMPTY from '@salesforce/label/c.PC_Card_Audit_Empty';
import OPEN_IN_PARTNER_CENTER from '@salesforce/label/c.PC_Card_Open_In_Partner_Center';
import SAVED_SYNC_ON from '@salesforce/label/c.PC_Card_Saved_Sync_On';
import RETRY_REQUESTED from '@salesforce/label/c.PC_Card_Retry_Requested';
import {
  ACCOUNT_ID,
  OPPORTUNITY_ID,
  SYNCED_OPPORTUNITY,
  accountRecord,
  deepQueryAll,
  emitCardData,
  flush,
  forObject,
  forRecord,
  forRelatedList,
  forSettingsQuery,
  getObjectInfoAdapter,
  getRecordAdapter,
  getRelatedListRecordsAdapter,
  graphqlAdapter,
  opportunityInfo,
  opportunityRecord,
  relatedList,
  settingsData,
} from './fixtures';

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

type EmpCallback = (message: unknown) => void;
interface Toast {
  title: string;
  message: string;
  variant: string;
}

const confirmOpen = jest.fn<Promise<boolean>, [Record<string, unknown>]>();
(LightningConfirm as unknown as { open: typeof confirmOpen }).open = confirmOpen;

const mocked = <T extends (...args: never[]) => unknown>(fn: T) => fn as unknown as jest.Mock;

let toasts: Toast[];
let statusEventHandler: EmpCallback | undefined;
let empErrorHandler: ((error: unknown) => void) | undefined;

function createCard(): HTMLElement {
  const element = createElement('c-partner-center-card', { is: PartnerCenterCard }) as HTMLElement & { recordId?: string };
  element.recordId = OPPORTUNITY_ID;
  element.addEventListener('lightning__showtoast', (event) => toasts.push((event as CustomEvent<Toast>).detail));
  document.body.appendChild(element);
  return element;
}

// The card renders its concerns as child components; queries look through their shadow trees too.
const $$ = (element: HTMLElement, selector: string) => deepQueryAll(element, selector) as Array<HTMLElement & Record<string, unknown>>;
const $ = (element: HTMLElement, selector: string) => $$(element, selector)[0] ?? null;
const text = (element: HTMLElement, selector: string) => $(element, selector)?.textContent?.trim();

function change(target: Element | null, detail: Record<string, unknown>): void {
  if (!target) throw new Error('element to change not found');
  target.dispatchEvent(new CustomEvent('change', { detail }));
}

/** What lightning-combobox does when the user picks an option: shows it at once, then tells the card. */
function pickHelp(element: HTMLElement, value: string): void {
  const box = $(element, '.help-combobox');
  if (!box) throw new Error('help combobox not found');
  box.value = value;
  change(box, { value });
}

function prerequisiteState(element: HTMLElement, key: string): string | undefined {
  return $(element, `.prerequisite[data-key="${key}"]`)?.dataset.state;
}

describe('c-partner-center-card', () => {
  beforeEach(() => {
    toasts = [];
    statusEventHandler = undefined;
    empErrorHandler = undefined;
    confirmOpen.mockResolvedValue(true);
    mocked(updateRecord).mockResolvedValue({});
    mocked(isEmpEnabled).mockResolvedValue(true);
    mocked(subscribe).mockImplementation((channel: string, _replay: number, callback: EmpCallback) => {
      statusEventHandler = callback;
      return Promise.resolve({ id: 'sub-1', channel });
    });
    mocked(onError).mockImplementation((callback: (error: unknown) => void) => {
      empErrorHandler = callback;
    });
  });

  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  describe('loading and errors', () => {
    it('shows a spinner until the opportunity and its field access are known', async () => {
      const element = createCard();
      await flush();
      expect($(element, 'lightning-spinner')).not.toBeNull();
      expect($(element, '.sync-toggle')).toBeNull();

      await emitCardData();
      expect($(element, '.loading')).toBeNull();
      expect($(element, '.sync-toggle')).not.toBeNull();
    });

    it('explains a failed load with the message Salesforce returned', async () => {
      const element = createCard();
      await flush();
      getObjectInfoAdapter.emit(opportunityInfo(), forObject('Opportunity'));
      getRecordAdapter.emitError({ body: [{ message: 'Insufficient access to this opportunity' }], status: 403 }, forRecord(OPPORTUNITY_ID));
      await flush();

      const panel = $(element, 'c-partner-center-error-panel');
      expect(panel).not.toBeNull();
      expect(panel?.friendlyMessage).toBe(LOAD_ERROR);
      const shown = panel?.shadowRoot?.querySelector('.messages')?.textContent;
      expect(shown).toContain('Insufficient access to this opportunity');
      expect($(element, '.sync-toggle')).toBeNull();
      await expect(element).toBeAccessible();
    });
  });

  describe('sync status', () => {
    it('not synced yet: sync off, explains how to start, no referral details', async () => {
      const element = createCard();
      await emitCardData();

      expect(text(element, '.status-text')).toBe(STATUS_OFF);
      expect($(element, '.status-icon')?.alternativeText).toBe(ICON_NOT_SYNCED);
      expect($(element, '.details')).toBeNull();
      expect($(element, '.retry-button')).toBeNull();
      expect($(element, '.sync-toggle')?.checked).toBe(false);
      expect($(element, '.sync-toggle')?.disabled).toBe(false);
      await expect(element).toBeAccessible();
    });

    it('sync on but not sent yet: says the referral is created on the next sync', async () => {
      const element = createCard();
      await emitCardData({ opportunity: opportunityRecord({ Sync_With_Partner_Center__c: true }) });

      expect(text(element, '.status-text')).toBe(STATUS_NOT_SYNCED);
      expect($(element, '.sync-toggle')?.checked).toBe(true);
    });

    it('pending: shows a spinner with alternative text', async () => {
      const element = createCard();
      await emitCardData({ opportunity: opportunityRecord({ Sync_With_Partner_Center__c: true, Partner_Center_Sync_Status__c: 'Pending' }) });

      expect(text(element, '.status-text')).toBe(STATUS_PENDING);
      const spinner = $(element, '.pending-spinner lightning-spinner');
      expect(spinner?.alternativeText).toBe(ICON_PENDING);
      expect($(element, '.status-icon')).toBeNull();
    });

    it('synced: check mark, Partner Center status, referral link in a new tab, ids and last sync time', async () => {
      const element = createCard();
      await emitCardData({ opportunity: opportunityRecord(SYNCED_OPPORTUNITY) });

      expect(text(element, '.status-text')).toBe(STATUS_SYNCED);
      const icon = $(element, '.status-icon');
      expect(icon?.iconName).toBe('utility:success');
      expect(icon?.alternativeText).toBe(ICON_SYNCED);
      expect(text(element, '.pc-status')).toBe('Active - Accepted');
      expect(text(element, '.referral-id')).toBe(SYNCED_OPPORTUNITY.Referral_Id__c);
      expect(text(element, '.crm-id')).toBe('7-ABCDEF1234');
      const link = $(element, '.referral-link lightning-formatted-url');
      expect(link?.value).toBe(SYNCED_OPPORTUNITY.Referral_Link__c);
      expect(link?.target).toBe('_blank');
      expect(link?.label).toBe(OPEN_IN_PARTNER_CENTER);
      expect($(element, '.last-sync lightning-formatted-date-time')?.value).toBe('2025-03-04T10:15:00.000Z');
      expect($(element, '.retry-button')).toBeNull();
      await expect(element).toBeAccessible();
    });

    it('shows "not yet" for details Partner Center has not sent', async () => {
      const element = createCard();
      await emitCardData({
        opportunity: opportunityRecord({ ...SYNCED_OPPORTUNITY, Microsoft_CRM_Id__c: null, Partner_Center_Last_Sync__c: null }),
      });
      expect(text(element, '.crm-id')).toBe(VALUE_EMPTY);
      expect(text(element, '.last-sync')).toBe(VALUE_EMPTY);
    });

    it('error: cross mark and the newest audit line as the message', async () => {
      const element = createCard();
      await emitCardData({
        opportunity: opportunityRecord({
          ...SYNCED_OPPORTUNITY,
          Partner_Center_Sync_Status__c: 'Error',
          Partner_Center_Audit__c:
            '2025-03-05 09:00 ✖ Customer account country code is missing — set Billing Country to a two-letter code such as DE\n2025-03-04 10:15 ✔ Referral updated',
        }),
      });

      expect(text(element, '.status-text')).toBe(STATUS_ERROR);
      expect($(element, '.status-icon')?.iconName).toBe('utility:error');
      expect($(element, '.status-icon')?.alternativeText).toBe(ICON_ERROR);
      expect(text(element, '.error-message')).toBe(
        '2025-03-05 09:00 ✖ Customer account country code is missing — set Billing Country to a two-letter code such as DE'
      );
      expect($(element, '.retry-button')).not.toBeNull();
      await expect(element).toBeAccessible();
    });

    it('error without audit details: says so instead of showing nothing', async () => {
      const element = createCard();
      await emitCardData({ opportunity: opportunityRecord({ Sync_With_Partner_Center__c: true, Partner_Center_Sync_Status__c: 'Error' }) });
      expect(text(element, '.error-message')).toBe(ERROR_NO_DETAILS);
    });

    it('retry sets the sync status to Pending so the flow sends the opportunity again', async () => {
      const element = createCard();
      await emitCardData({ opportunity: opportunityRecord({ ...SYNCED_OPPORTUNITY, Partner_Center_Sync_Status__c: 'Error' }) });

      $(element, '.retry-button')?.click();
      await flush();

      expect(updateRecord).toHaveBeenCalledTimes(1);
      expect(updateRecord).toHaveBeenCalledWith({ fields: { Id: OPPORTUNITY_ID, Partner_Center_Sync_Status__c: 'Pending' } });
      expect(toasts).toEqual([expect.objectContaining({ title: RETRY_REQUESTED, variant: 'success' })]);
    });

    it('sync switched off after syncing: notes that Partner Center keeps the last values', async () => {
      const element = createCard();
      await emitCardData({ opportunity: opportunityRecord({ ...SYNCED_OPPORTUNITY, Sync_With_Partner_Center__c: false }) });
      expect(text(element, '.sync-paused')).toBe(STATUS_PAUSED);
    });

    it('follows record changes: the getRecord wire re-emits and the status line updates', async () => {
      const element = createCard();
      await emitCardData({ opportunity: opportunityRecord({ Sync_With_Partner_Center__c: true, Partner_Center_Sync_Status__c: 'Pending' }) });
      expect(text(element, '.status-text')).toBe(STATUS_PENDING);

      getRecordAdapter.emit(opportunityRecord(SYNCED_OPPORTUNITY), forRecord(OPPORTUNITY_ID));
      await flush();
      expect(text(element, '.status-text')).toBe(STATUS_SYNCED);
    });
  });

  it('embeds the Microsoft solutions list for this opportunity as a section of the card', async () => {
    const element = createCard();
    await emitCardData();
    const solutions = $(element, 'c-partner-center-solutions');
    expect(solutions?.recordId).toBe(OPPORTUNITY_ID);
    expect(solutions?.embedded).toBe(true);
  });

  describe('audit trail', () => {
    it('lists the audit lines newest first in a collapsible section', async () => {
      const element = createCard();
      await emitCardData({ opportunity: opportunityRecord(SYNCED_OPPORTUNITY) });

      expect($(element, 'lightning-accordion-section')).not.toBeNull();
      expect($$(element, '.audit-line').map((line) => line.textContent)).toEqual([
        '2025-03-04 10:15 ✔ Referral updated in Partner Center',
        '2025-03-04 10:01 ✔ Referral created',
      ]);
      expect($(element, '.audit')?.activeSectionName).toEqual([]);
    });

    it('says when there has been no sync attempt yet', async () => {
      const element = createCard();
      await emitCardData();
      expect(text(element, '.audit-empty')).toBe(AUDIT_EMPTY);
    });
  });

  describe('sync switch', () => {
    it('saves the switch and confirms with a toast', async () => {
      const element = createCard();
      await emitCardData();

      change($(element, '.sync-toggle'), { checked: true });
      await flush();

      expect(updateRecord).toHaveBeenCalledWith({ fields: { Id: OPPORTUNITY_ID, Sync_With_Partner_Center__c: true } });
      expect(toasts).toEqual([expect.objectContaining({ message: SAVED_SYNC_ON, variant: 'success' })]);
    });

    it('shows why a save failed and puts the switch back', async () => {
      const element = createCard();
      await emitCardData();
      mocked(updateRecord).mockRejectedValueOnce({
        body: { message: 'An error occurred', output: { errors: [{ message: 'Record is locked for approval' }], fieldErrors: {} } },
      });

      change($(element, '.sync-toggle'), { checked: true });
      await flush();

      expect(toasts).toEqual([expect.objectContaining({ message: 'Record is locked for approval', variant: 'error' })]);
      expect($(element, '.sync-toggle')?.checked).toBe(false);
    });
  });

  describe('how can Microsoft help', () => {
    it('offers the org picklist values with "no help" first', async () => {
      const element = createCard();
      await emitCardData();

      const options = $(element, '.help-combobox')?.options as Array<{ label: string; value: string }>;
      expect(options.map((option) => option.value)).toEqual(['', 'GeneralOrOther', 'CustomerTechnicalArchitecture', 'ProofOfConceptOrDemo']);
      expect(options[0].label).toBe(HELP_NONE);
      expect($(element, '.help-combobox')?.value).toBe('');
    });

    it('asks to share the deal with Microsoft sellers, then saves help and visibility together', async () => {
      const element = createCard();
      await emitCardData({ contactRoles: 1, solutions: 1 });

      change($(element, '.help-combobox'), { value: 'ProofOfConceptOrDemo' });
      await flush();

      expect(confirmOpen).toHaveBeenCalledTimes(1);
      expect(updateRecord).toHaveBeenCalledWith({
        fields: { Id: OPPORTUNITY_ID, Microsoft_Help__c: 'ProofOfConceptOrDemo', Visible_To_Microsoft_Sellers__c: true },
      });
    });

    it('saves nothing when the seller does not confirm sharing', async () => {
      const element = createCard();
      await emitCardData({ contactRoles: 1, solutions: 1 });
      confirmOpen.mockResolvedValueOnce(false);

      change($(element, '.help-combobox'), { value: 'GeneralOrOther' });
      await flush();

      expect(confirmOpen).toHaveBeenCalledTimes(1);
      expect(updateRecord).not.toHaveBeenCalled();
      expect($(element, '.help-combobox')?.value).toBe('');
    });

    it('does not ask again when the deal is already visible', async () => {
      const element = createCard();
      await emitCardData({ opportunity: opportunityRecord({ Visible_To_Microsoft_Sellers__c: true }) });

      change($(element, '.help-combobox'), { value: 'GeneralOrOther' });
      await flush();

      expect(confirmOpen).not.toHaveBeenCalled();
      expect(updateRecord).toHaveBeenCalledWith({ fields: { Id: OPPORTUNITY_ID, Microsoft_Help__c: 'GeneralOrOther' } });
    });

    it('a save the org refuses puts the picker back to the saved value', async () => {
      const element = createCard();
      await emitCardData({ opportunity: opportunityRecord({ Visible_To_Microsoft_Sellers__c: true }), contactRoles: 1, solutions: 1 });
      mocked(updateRecord).mockRejectedValueOnce({
        body: { message: 'An error occurred', output: { errors: [{ errorCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record' }], fieldErrors: {} } },
      });

      pickHelp(element, 'GeneralOrOther');
      await flush();

      expect(toasts).toEqual([expect.objectContaining({ message: 'unable to obtain exclusive access to this record', variant: 'error' })]);
      expect($(element, '.help-combobox')?.value).toBe('');
    });

    it('removing help clears the field without a dialog', async () => {
      const element = createCard();
      await emitCardData({ opportunity: opportunityRecord({ Visible_To_Microsoft_Sellers__c: true, Microsoft_Help__c: 'GeneralOrOther' }) });

      change($(element, '.help-combobox'), { value: '' });
      await flush();

      expect(confirmOpen).not.toHaveBeenCalled();
      expect(updateRecord).toHaveBeenCalledWith({ fields: { Id: OPPORTUNITY_ID, Microsoft_Help__c: null } });
    });
  });

  describe('co-sell prerequisites', () => {
    async function requestHelp(element: HTMLElement): Promise<void> {
      change($(element, '.help-combobox'), { value: 'GeneralOrOther' });
      await flush();
    }

    /** What Lightning Data Service does after a successful save: the record wire re-emits the saved values. */
    async function emitSavedHelp(): Promise<void> {
      getRecordAdapter.emit(
        opportunityRecord({ Microsoft_Help__c: 'GeneralOrOther', Visible_To_Microsoft_Sellers__c: true }),
        forRecord(OPPORTUNITY_ID)
      );
      await flush();
    }

    it('missing customer contact role: holds the request back and says what is missing', async () => {
      const element = createCard();
      await emitCardData({ contactRoles: 0, solutions: 1 });
      await requestHelp(element);

      expect(updateRecord).not.toHaveBeenCalled();
      expect(confirmOpen).not.toHaveBeenCalled();
      expect(text(element, '.blocked-message')).toBe(CHECKLIST_BLOCKED);
      expect(prerequisiteState(element, 'contactRole')).toBe('missing');
      expect(prerequisiteState(element, 'solution')).toBe('met');
      expect(prerequisiteState(element, 'countryCode')).toBe('met');
      expect($(element, '.help-combobox')?.value).toBe('');
      await expect(element).toBeAccessible();
    });

    it('a held-back request does not stay selected in the picker', async () => {
      const element = createCard();
      await emitCardData({ contactRoles: 0, solutions: 0 });

      pickHelp(element, 'ProofOfConceptOrDemo');
      await flush();

      expect(updateRecord).not.toHaveBeenCalled();
      expect(text(element, '.blocked-message')).toBe(CHECKLIST_BLOCKED);
      expect($(element, '.help-combobox')?.value).toBe('');
    });

    it('missing Microsoft solution: holds the request back', async () => {
      const element = createCard();
      await emitCardData({ contactRoles: 2, solutions: 0 });
      await requestHelp(element);

      expect(updateRecord).not.toHaveBeenCalled();
      expect(prerequisiteState(element, 'solution')).toBe('missing');
      expect(prerequisiteState(element, 'contactRole')).toBe('met');
    });

    it('blank account country: holds the request back and explains the two-letter code rule', async () => {
      const element = createCard();
      await emitCardData({ contactRoles: 1, solutions: 1, account: accountRecord({ BillingCountry: null }) });
      await requestHelp(element);

      expect(updateRecord).not.toHaveBeenCalled();
      expect(prerequisiteState(element, 'countryCode')).toBe('missing');
      const item = $(element, '.prerequisite[data-key="countryCode"]');
      expect(item?.querySelector('.prerequisite-label')?.textContent).toContain('Billing Country');
      expect(item?.querySelector('.prerequisite-hint')?.textContent).toContain('two-letter ISO country code');
    });

    it('a country name is accepted: the connector normalises it', async () => {
      const element = createCard();
      await emitCardData({ contactRoles: 1, solutions: 1, account: accountRecord({ BillingCountry: 'Germany' }) });
      await requestHelp(element);
      expect(updateRecord).toHaveBeenCalled();

      await emitSavedHelp();
      expect(prerequisiteState(element, 'countryCode')).toBe('met');
      expect($(element, '.blocked-message')).toBeNull();
    });

    it('no account on the opportunity counts as a missing country', async () => {
      const element = createCard();
      await emitCardData({ opportunity: opportunityRecord({ AccountId: null }), account: null, contactRoles: 1, solutions: 1 });
      await requestHelp(element);

      expect(updateRecord).not.toHaveBeenCalled();
      expect(prerequisiteState(element, 'countryCode')).toBe('missing');
      expect(text(element, '.prerequisite[data-key="countryCode"] .prerequisite-hint')).toBe(PREREQ_NO_ACCOUNT);
    });

    it('reads the country from the field the settings name', async () => {
      const element = createCard();
      graphqlAdapter.emit(settingsData('Account.Country_Code__c'), forSettingsQuery);
      await emitCardData({ countryField: 'Account.Country_Code__c', contactRoles: 1, solutions: 1, account: null });
      const withConfiguredField = (config: Record<string, unknown>) =>
        config.recordId === ACCOUNT_ID && (config.optionalFields as string[]).includes('Account.Country_Code__c');
      getRecordAdapter.emit(accountRecord({ BillingCountry: 'DE', Country_Code__c: '' }), withConfiguredField);
      await flush();
      await requestHelp(element);

      expect(prerequisiteState(element, 'countryCode')).toBe('missing');
      expect(text(element, '.prerequisite[data-key="countryCode"] .prerequisite-label')).toContain('Country Code');
      expect(updateRecord).not.toHaveBeenCalled();
    });

    it('a check that could not be read does not block the request', async () => {
      const element = createCard();
      await emitCardData({ contactRoles: null, solutions: 1 });
      getRelatedListRecordsAdapter.emitError({ body: [{ message: 'No access' }], status: 403 }, forRelatedList('OpportunityContactRoles'));
      await flush();
      await requestHelp(element);
      expect(updateRecord).toHaveBeenCalled();

      await emitSavedHelp();
      expect(prerequisiteState(element, 'contactRole')).toBe('unknown');
      expect(text(element, '.prerequisite[data-key="contactRole"] .prerequisite-hint')).toBe(PREREQ_UNKNOWN_HINT);
    });

    it('the checklist stays visible on a co-sell deal and updates when a solution is added', async () => {
      const element = createCard();
      await emitCardData({
        opportunity: opportunityRecord({ Visible_To_Microsoft_Sellers__c: true, Microsoft_Help__c: 'GeneralOrOther' }),
        contactRoles: 1,
        solutions: 0,
      });
      expect(prerequisiteState(element, 'solution')).toBe('missing');

      getRelatedListRecordsAdapter.emit(relatedList('Microsoft_Solutions__r', 1), forRelatedList('Microsoft_Solutions__r'));
      await flush();
      expect(prerequisiteState(element, 'solution')).toBe('met');
    });
  });

  describe('visible to Microsoft sellers', () => {
    it('asks before sharing, then saves', async () => {
      const element = createCard();
      await emitCardData();

      change($(element, '.visible-toggle'), { checked: true });
      await flush();

      expect(confirmOpen).toHaveBeenCalledWith(expect.objectContaining({ variant: 'header' }));
      expect(updateRecord).toHaveBeenCalledWith({ fields: { Id: OPPORTUNITY_ID, Visible_To_Microsoft_Sellers__c: true } });
    });

    it('cancelling keeps the deal private and the switch off', async () => {
      const element = createCard();
      await emitCardData();
      confirmOpen.mockResolvedValueOnce(false);

      change($(element, '.visible-toggle'), { checked: true });
      await flush();

      expect(updateRecord).not.toHaveBeenCalled();
      expect($(element, '.visible-toggle')?.checked).toBe(false);
    });

    it('is locked once on, with an explanation', async () => {
      const element = createCard();
      await emitCardData({ opportunity: opportunityRecord({ Visible_To_Microsoft_Sellers__c: true }) });

      expect($(element, '.visible-toggle')?.checked).toBe(true);
      expect($(element, '.visible-toggle')?.disabled).toBe(true);
      expect($(element, '.visible-locked')).not.toBeNull();
    });
  });

  describe('read-only user', () => {
    it('explains why nothing can be changed and disables the controls', async () => {
      const element = createCard();
      await emitCardData({ info: opportunityInfo({ editable: false }), opportunity: opportunityRecord({ ...SYNCED_OPPORTUNITY, Partner_Center_Sync_Status__c: 'Error' }) });

      expect(text(element, '.read-only-notice')).toBe(READ_ONLY);
      expect($(element, '.sync-toggle')?.disabled).toBe(true);
      expect($(element, '.help-combobox')?.disabled).toBe(true);
      expect($(element, '.visible-toggle')?.disabled).toBe(true);
      expect($(element, '.retry-button')?.disabled).toBe(true);
      await expect(element).toBeAccessible();
    });

    it('treats fields the user cannot read as not editable', async () => {
      const element = createCard();
      await emitCardData({ opportunity: opportunityRecord({ Sync_With_Partner_Center__c: undefined }) });

      expect($(element, '.sync-toggle')?.disabled).toBe(true);
      expect($(element, '.read-only-notice')).not.toBeNull();
    });

    it('shows no notice to a seller who can edit everything', async () => {
      const element = createCard();
      await emitCardData();
      expect($(element, '.read-only-notice')).toBeNull();
    });
  });

  describe('live updates (Partner_Center_Sync_Status__e)', () => {
    it('subscribes on connect and unsubscribes on disconnect', async () => {
      const element = createCard();
      await emitCardData();

      expect(subscribe).toHaveBeenCalledWith('/event/Partner_Center_Sync_Status__e', -1, expect.any(Function));
      document.body.removeChild(element);
      expect(unsubscribe).toHaveBeenCalledWith({ id: 'sub-1', channel: '/event/Partner_Center_Sync_Status__e' });
    });

    it('refreshes the opportunity, contact roles and solutions when the event is for this record', async () => {
      createCard();
      await emitCardData();

      statusEventHandler?.({ data: { payload: { Opportunity_Id__c: OPPORTUNITY_ID.slice(0, 15), Sync_Status__c: 'Synced' } } });
      await flush();

      expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: OPPORTUNITY_ID }]);
      // contact roles and the newest sync log record (card) and the solution list (child) are re-read
      expect(refreshApex).toHaveBeenCalledTimes(3);
    });

    it('ignores events for other opportunities', async () => {
      createCard();
      await emitCardData();

      statusEventHandler?.({ data: { payload: { Opportunity_Id__c: '006AA000009zzzzAAA', Sync_Status__c: 'Synced' } } });
      await flush();

      expect(notifyRecordUpdateAvailable).not.toHaveBeenCalled();
      expect(refreshApex).not.toHaveBeenCalled();
    });

    it('says live updates are paused when streaming reports an error', async () => {
      const element = createCard();
      await emitCardData();
      expect($(element, '.live-updates-paused')).toBeNull();

      empErrorHandler?.({ error: '403::Unknown client' });
      await flush();
      expect(text(element, '.live-updates-paused')).toBe(LIVE_UPDATES_OFF);
    });

    it('says live updates are paused when streaming is not available', async () => {
      mocked(isEmpEnabled).mockResolvedValue(false);
      const element = createCard();
      await emitCardData();

      expect(subscribe).not.toHaveBeenCalled();
      expect(text(element, '.live-updates-paused')).toBe(LIVE_UPDATES_OFF);
    });
  });
});
