import { createElement } from 'lwc';
import PartnerCenterFailedSyncs from 'c/partnerCenterFailedSyncs';
import { NAMESPACE_PREFIX } from 'c/partnerCenterUtils';
import { updateRecord } from 'lightning/uiRecordApi';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import { graphql } from 'lightning/graphql';
import type { createLdsTestWireAdapter } from '@salesforce/wire-service-jest-util';
import EMPTY from '@salesforce/label/c.PC_Failed_Empty';
import UNAVAILABLE from '@salesforce/label/c.PC_Failed_Unavailable';
import NO_REASON from '@salesforce/label/c.PC_Failed_No_Reason';
import RETRY from '@salesforce/label/c.PC_Card_Retry';
import RETRY_REQUESTED from '@salesforce/label/c.PC_Card_Retry_Requested';
import SAVE_FAILED from '@salesforce/label/c.PC_Common_Save_Failed';

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

const graphqlAdapter = graphql as unknown as GraphQLAdapter;
const objectInfoAdapter = getObjectInfo as unknown as LdsAdapter;
const mocked = (fn: unknown) => fn as jest.Mock;
const forObject = (name: string) => (config: Config) => (config.objectApiName as { objectApiName?: string })?.objectApiName === name;

const TAILWIND = '006AA000000T001AAA';
const LAMNA = '006AA000000L002AAA';
const RELECLOUD = '006AA000000R003AAA';

const ACCOUNT_INFO = {
  apiName: 'Account',
  label: 'Account',
  childRelationships: [],
  fields: { Name: { apiName: 'Name', label: 'Account Name' }, BillingCountry: { apiName: 'BillingCountry', label: 'Billing Country' } },
};
const OPPORTUNITY_INFO = { apiName: 'Opportunity', label: 'Opportunity', childRelationships: [], fields: { Name: { apiName: 'Name', label: 'Opportunity Name' } } };

const opportunity = (id: string, name: string, account: string | null) => ({ node: { Id: id, Name: { value: name }, Account: account ? { Name: { value: account } } : null } });
const parkedLog = (id: string, opportunityId: string, at: string, reason: string | null, parameters: object = {}, code = 'FIELD_VALIDATION') => ({
  node: {
    Id: id,
    Name: { value: `SL-${id.slice(-4)}` },
    Opportunity__c: { value: opportunityId },
    Occurred_At__c: { value: at },
    Failure_Reason__c: { value: reason },
    Failure_Parameters__c: { value: JSON.stringify(parameters) },
    Reason_Code__c: { value: code },
  },
});

function failedData(options: { totalCount?: number } = {}) {
  const failed = [opportunity(TAILWIND, 'Tailwind Traders - Azure VMware', 'Tailwind Traders'), opportunity(LAMNA, 'Lamna Healthcare - Epic on Azure', 'Lamna Healthcare'), opportunity(RELECLOUD, 'Relecloud - Zero Trust', null)];
  return {
    uiapi: {
      query: {
        failed: { totalCount: options.totalCount ?? failed.length, edges: failed },
        parked: {
          edges: [
            // Newest first: Tailwind's latest parked attempt says the country is missing; the older one is history.
            parkedLog('a04AA0000000009AAA', TAILWIND, '2026-12-07T10:05:00.000Z', 'COUNTRY_MISSING', { field: 'Account.BillingCountry', record: 'Tailwind Traders', expected: 'ISO 3166-1 alpha-2' }),
            parkedLog('a04AA0000000008AAA', LAMNA, '2026-12-07T10:04:00.000Z', 'CONTACT_MISSING', { field: 'OpportunityContactRoles' }),
            parkedLog('a04AA0000000007AAA', TAILWIND, '2026-12-07T09:00:00.000Z', 'REFERRAL_NOT_FOUND', {}, 'PC_404'),
          ],
        },
      },
    },
  };
}

let toasts: Toast[];
let refresh: jest.Mock;

async function flush(): Promise<void> {
  await Array.from({ length: 10 }).reduce<Promise<void>>((turn) => turn.then(() => undefined), Promise.resolve());
}

async function render(data: object | null = failedData()): Promise<HTMLElement> {
  const element = createElement('c-partner-center-failed-syncs', { is: PartnerCenterFailedSyncs });
  element.addEventListener('lightning__showtoast', (event) => toasts.push((event as CustomEvent<Toast>).detail));
  document.body.appendChild(element);
  await flush();
  objectInfoAdapter.emit(ACCOUNT_INFO, forObject('Account'));
  objectInfoAdapter.emit(OPPORTUNITY_INFO, forObject('Opportunity'));
  if (data) graphqlAdapter.emit(data, undefined, refresh);
  await flush();
  return element;
}

const $ = (element: HTMLElement, selector: string) => element.shadowRoot?.querySelector(selector) as (HTMLElement & Record<string, unknown>) | null;
const $$ = (element: HTMLElement, selector: string) => Array.from(element.shadowRoot?.querySelectorAll(selector) ?? []) as Array<HTMLElement & Record<string, unknown>>;
const row = (element: HTMLElement, id: string) => $(element, `.failed-row[data-id="${id}"]`)!;
const cell = (element: HTMLElement, id: string, selector: string) => row(element, id).querySelector(selector) as (HTMLElement & Record<string, unknown>) | null;
const retryButton = (element: HTMLElement, id: string) => cell(element, id, '.retry-button')!;

describe('c-partner-center-failed-syncs', () => {
  beforeEach(() => {
    toasts = [];
    refresh = jest.fn(() => Promise.resolve());
    mocked(updateRecord).mockResolvedValue({});
  });

  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('lists each parked opportunity with the reason of its latest parked attempt, in the labels the card uses', async () => {
    const element = await render();
    expect($$(element, '.failed-row').map((r) => r.dataset.id)).toEqual([TAILWIND, LAMNA, RELECLOUD]);

    const link = cell(element, TAILWIND, '.failed-opportunity lightning-formatted-url')!;
    expect(link.value).toBe(`/lightning/r/Opportunity/${TAILWIND}/view`);
    expect(link.label).toBe('Tailwind Traders - Azure VMware');
    expect(cell(element, TAILWIND, '.failed-account')?.textContent).toBe('Tailwind Traders');
    // The field is named with its label from the object info, the record by name; no ids, no English server text.
    expect(cell(element, TAILWIND, '.failed-reason')?.textContent).toBe(
      "Microsoft needs the customer's country. Open Tailwind Traders and set Billing Country to a two-letter country code such as DE, then retry."
    );
    expect((cell(element, TAILWIND, '.failed-when lightning-formatted-date-time') as unknown as { value: string }).value).toBe('2026-12-07T10:05:00.000Z');
    expect(cell(element, TAILWIND, '.failed-code')?.textContent).toBe('FIELD_VALIDATION');
    const log = cell(element, TAILWIND, '.failed-log')!;
    expect(log.value).toBe(orgApiName('/lightning/r/Partner_Center_Sync_Log__c/a04AA0000000009AAA/view'));
    expect(log.label).toBe('View sync log SL-9AAA');

    expect(cell(element, LAMNA, '.failed-reason')?.textContent).toContain('Add the customer\'s contact as a contact role');
    // No parked log in the window: says so instead of inventing a reason.
    expect(cell(element, RELECLOUD, '.failed-reason')?.textContent).toBe(NO_REASON);
    expect(cell(element, RELECLOUD, '.failed-log')).toBeNull();
    expect(retryButton(element, RELECLOUD).label).toBe(RETRY);
    expect($(element, '.failed-more')).toBeNull();
    expect($(element, '.failed-list-link')?.value).toBe(`/lightning/o/Opportunity/list?filterName=${NAMESPACE_PREFIX}Co_Sell_Errors`);
    await expect(element).toBeAccessible();
  });

  it('Retry does what the card does: the sync status back to Pending, which the package flow sends to the connector', async () => {
    const element = await render();
    let answer!: () => void;
    mocked(updateRecord).mockImplementationOnce(() => new Promise<void>((resolve) => (answer = resolve)));
    retryButton(element, LAMNA).click();
    await flush();
    expect(updateRecord).toHaveBeenCalledTimes(1);
    expect(updateRecord).toHaveBeenCalledWith({ fields: { Id: LAMNA, Partner_Center_Sync_Status__c: 'Pending' } });
    expect(retryButton(element, LAMNA).disabled).toBe(true);
    expect(retryButton(element, TAILWIND).disabled).toBe(false);
    expect($(element, '.retry-all-button')?.disabled).toBe(true);

    answer();
    await flush();
    expect(toasts).toEqual([{ title: RETRY_REQUESTED, message: expect.stringMatching(/^1 opportunities were sent to the connector again\./), variant: 'success' }]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(retryButton(element, LAMNA).disabled).toBe(false);
  });

  it('Retry all retries every listed opportunity and names the one Salesforce refused, with its message', async () => {
    const element = await render();
    mocked(updateRecord).mockImplementation(({ fields }: { fields: { Id: string } }) => {
      if (fields.Id === TAILWIND) return Promise.reject({ body: { message: 'Amount: value must be positive' } });
      return Promise.resolve({});
    });
    $(element, '.retry-all-button')!.click();
    await flush();
    expect(mocked(updateRecord).mock.calls.map(([input]) => input)).toEqual(
      [TAILWIND, LAMNA, RELECLOUD].map((Id) => ({ fields: { Id, Partner_Center_Sync_Status__c: 'Pending' } }))
    );
    expect(toasts).toEqual([
      { title: RETRY_REQUESTED, message: expect.stringMatching(/^2 opportunities were sent/), variant: 'success' },
      { title: SAVE_FAILED, message: 'Could not retry Tailwind Traders - Azure VMware: Amount: value must be positive', variant: 'error' },
    ]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('says when more opportunities failed than it lists, and points at the list view', async () => {
    const element = await render(failedData({ totalCount: 73 }));
    expect($(element, '.failed-more')?.textContent).toBe('The 3 most recent of 73 failed syncs are shown.');
  });

  it('Refresh reads the list again', async () => {
    const element = await render();
    $(element, '.refresh-button')!.click();
    await flush();
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('says when nothing failed', async () => {
    const element = await render({ uiapi: { query: { failed: { totalCount: 0, edges: [] }, parked: { edges: [] } } } });
    expect($(element, '.failed-empty')?.textContent).toBe(EMPTY);
    expect($(element, '.failed-table')).toBeNull();
    expect($(element, '.retry-all-button')?.disabled).toBe(true);
    await expect(element).toBeAccessible();
  });

  it('says when the list cannot be read (no access to the sync log)', async () => {
    const element = await render(null);
    expect($(element, '.loading lightning-spinner')).not.toBeNull();
    graphqlAdapter.emitErrors([{ message: 'No access to Partner_Center_Sync_Log__c' }]);
    await flush();
    expect($(element, '.failed-unavailable')?.textContent).toBe(UNAVAILABLE);
    expect($(element, '.failed-row')).toBeNull();
  });
});
