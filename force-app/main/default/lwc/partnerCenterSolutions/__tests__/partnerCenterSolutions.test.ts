import { createElement } from 'lwc';
import PartnerCenterSolutions from 'c/partnerCenterSolutions';
import { createRecord, deleteRecord, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import { graphql } from 'lightning/graphql';
import LightningConfirm from 'lightning/confirm';
import { refreshApex } from '@salesforce/apex';
import type { createLdsTestWireAdapter } from '@salesforce/wire-service-jest-util';
import EMPTY from '@salesforce/label/c.PC_Sol_Empty';
import CATALOG_EMPTY from '@salesforce/label/c.PC_Sol_Catalog_Empty';
import CATALOG_ERROR from '@salesforce/label/c.PC_Sol_Catalog_Error';
import READ_ONLY from '@salesforce/label/c.PC_Sol_Read_Only';
import LOAD_ERROR from '@salesforce/label/c.PC_Sol_Load_Error';
import MANUAL_ID_REQUIRED from '@salesforce/label/c.PC_Sol_Manual_Id_Required';
import MANUAL_ID_INVALID from '@salesforce/label/c.PC_Sol_Manual_Id_Invalid';
import DUPLICATE from '@salesforce/label/c.PC_Sol_Duplicate';
import ADDED from '@salesforce/label/c.PC_Sol_Added';
import REMOVED from '@salesforce/label/c.PC_Sol_Removed';
import REMOVE_FAILED from '@salesforce/label/c.PC_Sol_Remove_Failed';
import ALREADY_ADDED from '@salesforce/label/c.PC_Sol_Already_Added';

jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

type LdsAdapter = ReturnType<typeof createLdsTestWireAdapter>;
interface GraphQLAdapter {
  emit(value: unknown, filterFn?: (config: Record<string, unknown>) => boolean): void;
  emitErrors(errors: unknown[], filterFn?: (config: Record<string, unknown>) => boolean): void;
  getLastConfig(): Record<string, unknown> | null;
}
interface Toast {
  title: string;
  message: string;
  variant: string;
}
type SolutionsElement = HTMLElement & { recordId?: string; embedded?: boolean; refresh(): Promise<void> };

const relatedListAdapter = getRelatedListRecords as unknown as LdsAdapter;
const objectInfoAdapter = getObjectInfo as unknown as LdsAdapter;
const graphqlAdapter = graphql as unknown as GraphQLAdapter;
const confirmOpen = jest.fn<Promise<boolean>, [Record<string, unknown>]>();
(LightningConfirm as unknown as { open: typeof confirmOpen }).open = confirmOpen;
const mocked = (fn: unknown) => fn as jest.Mock;

const OPPORTUNITY_ID = '006AA000001abcdAAA';

async function flush(): Promise<void> {
  // Ten microtask turns: enough for wire emissions, re-renders and awaited handler steps to settle.
  await Array.from({ length: 10 }).reduce<Promise<void>>((turn) => turn.then(() => undefined), Promise.resolve());
}

function solution(id: string, solutionId: string, name: string | null, publisher: string | null) {
  return {
    apiName: 'Microsoft_Solution__c',
    id,
    recordTypeId: null,
    fields: {
      Solution_Id__c: { value: solutionId, displayValue: null },
      Solution_Name__c: { value: name, displayValue: null },
      Publisher_Name__c: { value: publisher, displayValue: null },
    },
  };
}

const ATTACHED = [
  solution('a0B000000000001AAA', 'SOL-34104-EBB', 'Contoso Data Platform', 'Contoso'),
  solution('a0B000000000002AAA', '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', null, null),
];

function solutionInfo(createable = true, deletable = true) {
  return { apiName: 'Microsoft_Solution__c', label: 'Microsoft Solution', createable, deletable, updateable: createable, fields: {}, childRelationships: [], defaultRecordTypeId: '012000000000000AAA' };
}

function catalogNode(id: string, name: string, solutionId: string, publisher: string, type = 'Partner co-sell ready solution') {
  return {
    node: {
      Id: id,
      Name: { value: name },
      Solution_Id__c: { value: solutionId },
      Publisher_Name__c: { value: publisher },
      Solution_Type__c: { value: 'CoSellReady', displayValue: type },
    },
  };
}

function catalog(edges: unknown[], total = edges.length, catalogTotal = Math.max(total, edges.length)) {
  return { uiapi: { query: { matches: { edges, totalCount: total }, catalog: { totalCount: catalogTotal } } } };
}

const CATALOG = catalog([
  catalogNode('a0C000000000001AAA', 'Contoso Data Platform', 'SOL-34104-EBB', 'Contoso'),
  catalogNode('a0C000000000002AAA', 'Fabrikam Analytics', 'SOL-55555-FAB', 'Fabrikam'),
]);

let toasts: Toast[];
let counts: number[];

async function render(options: { embedded?: boolean } = {}): Promise<SolutionsElement> {
  const element = createElement('c-partner-center-solutions', { is: PartnerCenterSolutions }) as SolutionsElement;
  element.recordId = OPPORTUNITY_ID;
  if (options.embedded) element.embedded = true;
  element.addEventListener('lightning__showtoast', (event) => toasts.push((event as CustomEvent<Toast>).detail));
  element.addEventListener('solutionschange', (event) => counts.push((event as CustomEvent<{ count: number }>).detail.count));
  document.body.appendChild(element);
  await flush();
  return element;
}

async function emit(data: { records?: unknown[]; info?: unknown; catalogData?: unknown } = {}): Promise<void> {
  objectInfoAdapter.emit(data.info ?? solutionInfo());
  relatedListAdapter.emit({ records: data.records ?? ATTACHED, count: (data.records ?? ATTACHED).length });
  graphqlAdapter.emit(data.catalogData ?? CATALOG);
  await flush();
}

const $ = (element: HTMLElement, selector: string) => element.shadowRoot?.querySelector(selector) as (HTMLElement & Record<string, unknown>) | null;
const $$ = (element: HTMLElement, selector: string) => Array.from(element.shadowRoot?.querySelectorAll(selector) ?? []) as Array<HTMLElement & Record<string, unknown>>;
const text = (element: HTMLElement, selector: string) => $(element, selector)?.textContent?.trim();

function change(target: Element | null, detail: Record<string, unknown>): void {
  if (!target) throw new Error('element to change not found');
  target.dispatchEvent(new CustomEvent('change', { detail }));
}

describe('c-partner-center-solutions', () => {
  beforeEach(() => {
    toasts = [];
    counts = [];
    confirmOpen.mockResolvedValue(true);
    mocked(createRecord).mockResolvedValue({ id: 'a0B000000000009AAA' });
    mocked(deleteRecord).mockResolvedValue(undefined);
  });

  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.useRealTimers();
  });

  describe('the list', () => {
    it('shows a spinner while loading', async () => {
      const element = await render();
      expect($(element, 'lightning-spinner')).not.toBeNull();
      expect($(element, '.solution-list')).toBeNull();
    });

    it('asks for the related list Microsoft_Solutions__r of the opportunity', async () => {
      await render();
      const config = (getRelatedListRecords as unknown as LdsAdapter).getLastConfig();
      expect(config).toEqual(
        expect.objectContaining({
          parentRecordId: OPPORTUNITY_ID,
          relatedListId: 'Microsoft_Solutions__r',
          fields: expect.arrayContaining(['Microsoft_Solution__c.Solution_Id__c', 'Microsoft_Solution__c.Solution_Name__c']),
        })
      );
    });

    it('lists the solutions with id and publisher, falls back to the id without a name, and reports the count', async () => {
      const element = await render();
      await emit();

      const rows = $$(element, '.solution');
      expect(rows).toHaveLength(2);
      expect(rows[0].querySelector('.solution-name')?.textContent).toBe('Contoso Data Platform');
      expect(rows[0].textContent).toContain('SOL-34104-EBB');
      expect(rows[0].textContent).toContain('Contoso');
      expect(rows[1].querySelector('.solution-name')?.textContent).toBe('0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d');
      expect(($(element, '.remove-button') as Record<string, unknown>).alternativeText).toBe('Remove Contoso Data Platform');
      expect(counts).toEqual([2]);
      await expect(element).toBeAccessible();
    });

    it('says when there are no solutions yet', async () => {
      const element = await render();
      await emit({ records: [] });
      expect(text(element, '.empty')).toBe(EMPTY);
      expect(counts).toEqual([0]);
    });

    it('explains a failed load', async () => {
      const element = await render();
      relatedListAdapter.error([{ message: 'Related list not available' }], 400);
      await flush();
      const panel = $(element, 'c-partner-center-error-panel');
      expect(panel?.friendlyMessage).toBe(LOAD_ERROR);
      expect(panel?.shadowRoot?.textContent).toContain('Related list not available');
    });

    it('is a section of its own card when placed alone, and a sub-section inside the Partner Center card', async () => {
      const alone = await render();
      expect($(alone, 'section')?.className).toContain('slds-card');
      expect($(alone, '[role="heading"]')?.getAttribute('aria-level')).toBe('2');

      const embedded = await render({ embedded: true });
      expect($(embedded, 'section')?.className).not.toContain('slds-card');
      expect($(embedded, '[role="heading"]')?.getAttribute('aria-level')).toBe('3');
    });
  });

  describe('removing', () => {
    it('asks first, deletes, confirms with a toast and refreshes the list and the opportunity', async () => {
      const element = await render();
      await emit();

      $(element, '.remove-button')?.click();
      await flush();

      expect(confirmOpen).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('Contoso Data Platform') }));
      expect(deleteRecord).toHaveBeenCalledWith('a0B000000000001AAA');
      expect(toasts).toEqual([expect.objectContaining({ title: REMOVED, variant: 'success' })]);
      expect(refreshApex).toHaveBeenCalledTimes(1);
      expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: OPPORTUNITY_ID }]);
    });

    it('keeps the solution when the seller cancels', async () => {
      const element = await render();
      await emit();
      confirmOpen.mockResolvedValueOnce(false);

      $(element, '.remove-button')?.click();
      await flush();

      expect(deleteRecord).not.toHaveBeenCalled();
      expect(toasts).toEqual([]);
    });

    it('shows why a delete failed', async () => {
      const element = await render();
      await emit();
      mocked(deleteRecord).mockRejectedValueOnce({ body: { message: 'insufficient access rights on object id' } });

      $(element, '.remove-button')?.click();
      await flush();

      expect(toasts).toEqual([expect.objectContaining({ title: REMOVE_FAILED, message: 'insufficient access rights on object id', variant: 'error' })]);
    });
  });

  describe('adding from the catalog', () => {
    it('lists active catalog solutions and marks those already on the opportunity', async () => {
      const element = await render();
      await emit();

      const entries = $$(element, '.catalog-entry');
      expect(entries.map((entry) => entry.querySelector('.catalog-name')?.textContent)).toEqual(['Contoso Data Platform', 'Fabrikam Analytics']);
      expect((entries[0].querySelector('.added-badge') as unknown as Record<string, unknown>)?.label).toBe(ALREADY_ADDED);
      expect(entries[0].querySelector('.add-button')).toBeNull();
      expect(entries[1].querySelector('.add-button')).not.toBeNull();
      expect($(element, '.manual')).toBeNull();
      await expect(element).toBeAccessible();
    });

    it('creates the solution row with the catalog entry as its detail', async () => {
      const element = await render();
      await emit();

      (element.shadowRoot?.querySelector('.catalog-entry[data-id="a0C000000000002AAA"] .add-button') as HTMLElement).click();
      await flush();

      expect(createRecord).toHaveBeenCalledWith({
        apiName: 'Microsoft_Solution__c',
        fields: {
          Opportunity__c: OPPORTUNITY_ID,
          Solution_Id__c: 'SOL-55555-FAB',
          Solution_Name__c: 'Fabrikam Analytics',
          Publisher_Name__c: 'Fabrikam',
          Solution_Detail__c: 'a0C000000000002AAA',
        },
      });
      expect(toasts).toEqual([expect.objectContaining({ title: ADDED, variant: 'success' })]);
      expect(refreshApex).toHaveBeenCalledTimes(1);
    });

    it('searches the catalog by name or id once the seller stops typing', async () => {
      jest.useFakeTimers();
      const element = await render();
      await emit();

      change($(element, '.search'), { value: 'fab' });
      change($(element, '.search'), { value: 'fabri_' });
      expect(graphqlAdapter.getLastConfig()?.variables).toEqual({ term: '%%', first: 20 });

      jest.advanceTimersByTime(300);
      await flush();
      expect(graphqlAdapter.getLastConfig()?.variables).toEqual({ term: '%fabri\\_%', first: 20 });
    });

    it('says how many matches there are when not all are listed', async () => {
      const element = await render();
      await emit({ catalogData: catalog([catalogNode('a0C000000000002AAA', 'Fabrikam Analytics', 'SOL-55555-FAB', 'Fabrikam')], 35) });
      expect(text(element, '.more-results')).toBe('Showing 1 of 35 solutions. Type more of the name to narrow the list.');
    });
  });

  describe('adding by solution id', () => {
    it('empty catalog: explains it and offers to type the id', async () => {
      const element = await render();
      await emit({ catalogData: catalog([], 0, 0) });

      expect(text(element, '.catalog-empty')).toBe(CATALOG_EMPTY);
      expect($(element, '.manual')).not.toBeNull();
      await expect(element).toBeAccessible();
    });

    it('no match: names the search term and offers to type the id', async () => {
      jest.useFakeTimers();
      const element = await render();
      await emit();
      change($(element, '.search'), { value: 'Northwind' });
      jest.advanceTimersByTime(300);
      graphqlAdapter.emit(catalog([], 0, 12));
      await flush();

      expect(text(element, '.no-matches')).toContain('"Northwind"');
      expect($(element, '.manual')).not.toBeNull();
    });

    it('catalog unreadable: says so and still offers to type the id', async () => {
      const element = await render();
      objectInfoAdapter.emit(solutionInfo());
      relatedListAdapter.emit({ records: [], count: 0 });
      graphqlAdapter.emitErrors([{ message: 'Microsoft_Solution_Detail__c is not supported' }]);
      await flush();

      expect(text(element, '.catalog-error')).toBe(CATALOG_ERROR);
      expect($(element, '.manual')).not.toBeNull();
    });

    /** What the id field was told to show (lightning-input renders the message under itself). */
    function idFieldMessages(element: HTMLElement): jest.SpyInstance {
      const input = $(element, '.manual-id') as unknown as { setCustomValidity(message: string): void };
      return jest.spyOn(input, 'setCustomValidity');
    }

    /** Every element of the component (outside the base components) whose own text is exactly `message`. */
    function copiesOf(element: HTMLElement, message: string): number {
      return $$(element, '*').filter((node) => node.childElementCount === 0 && node.textContent?.trim() === message).length;
    }

    it('requires an id and checks its format before saving, with the message on the id field only', async () => {
      const element = await render();
      await emit({ catalogData: catalog([], 0, 0) });
      const messages = idFieldMessages(element);

      $(element, '.manual-add')?.click();
      await flush();
      expect(messages).toHaveBeenLastCalledWith(MANUAL_ID_REQUIRED);

      change($(element, '.manual-id'), { value: 'my solution' });
      await flush();
      expect(messages).toHaveBeenLastCalledWith('');
      $(element, '.manual-add')?.click();
      await flush();
      expect(messages).toHaveBeenLastCalledWith(MANUAL_ID_INVALID);
      expect(copiesOf(element, MANUAL_ID_INVALID)).toBe(0);
      expect(createRecord).not.toHaveBeenCalled();
    });

    it('takes the message off the id field once the id is corrected', async () => {
      const element = await render();
      await emit({ records: [], catalogData: catalog([], 0, 0) });
      const messages = idFieldMessages(element);

      change($(element, '.manual-id'), { value: 'not an id' });
      $(element, '.manual-add')?.click();
      await flush();
      expect(messages).toHaveBeenLastCalledWith(MANUAL_ID_INVALID);

      change($(element, '.manual-id'), { value: 'SOL-77777-NEW' });
      await flush();
      expect(messages).toHaveBeenLastCalledWith('');
      $(element, '.manual-add')?.click();
      await flush();
      expect(createRecord).toHaveBeenCalledTimes(1);
    });

    it('saves a typed co-sell solution id (trimmed, in capitals) with its optional name', async () => {
      const element = await render();
      await emit({ records: [], catalogData: catalog([], 0, 0) });

      change($(element, '.manual-id'), { value: ' sol-77777-new ' });
      change($(element, '.manual-name'), { value: 'Northwind Migration' });
      await flush();
      $(element, '.manual-add')?.click();
      await flush();

      expect(createRecord).toHaveBeenCalledWith({
        apiName: 'Microsoft_Solution__c',
        fields: { Opportunity__c: OPPORTUNITY_ID, Solution_Id__c: 'SOL-77777-NEW', Solution_Name__c: 'Northwind Migration' },
      });
      expect($(element, '.manual-id')?.value).toBe('');
    });

    it('accepts a Microsoft solution GUID', async () => {
      const element = await render();
      await emit({ records: [], catalogData: catalog([], 0, 0) });

      change($(element, '.manual-id'), { value: '7d2a4c1e-9b3f-4e21-a8c5-0f6e2d9b1a37' });
      await flush();
      $(element, '.manual-add')?.click();
      await flush();

      expect(createRecord).toHaveBeenCalledTimes(1);
    });

    it('refuses a solution that is already on the opportunity', async () => {
      const element = await render();
      await emit({ catalogData: catalog([], 0, 0) });

      change($(element, '.manual-id'), { value: 'sol-34104-ebb' });
      await flush();
      $(element, '.manual-add')?.click();
      await flush();

      expect(createRecord).not.toHaveBeenCalled();
      expect(toasts).toEqual([expect.objectContaining({ message: DUPLICATE, variant: 'warning' })]);
    });
  });

  describe('read-only user', () => {
    it('explains that solutions cannot be changed and offers no add or remove', async () => {
      const element = await render();
      await emit({ info: solutionInfo(false, false) });

      expect(text(element, '.read-only-notice')).toBe(READ_ONLY);
      expect($(element, '.remove-button')).toBeNull();
      expect($(element, '.search')).toBeNull();
      expect($(element, '.manual')).toBeNull();
      await expect(element).toBeAccessible();
    });
  });

  it('refresh() re-reads the list (used by the Partner Center card on sync events)', async () => {
    const element = await render();
    await emit();
    await element.refresh();
    expect(refreshApex).toHaveBeenCalledWith(expect.objectContaining({ data: expect.objectContaining({ count: 2 }) }));
  });
});
