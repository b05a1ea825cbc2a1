import { LightningElement, api, wire } from 'lwc';
import { createRecord, deleteRecord, getFieldValue, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import type { RecordRepresentation, WireResult } from 'lightning/uiRecordApi';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import type { ObjectInfo } from 'lightning/uiObjectInfoApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import type { RelatedListRecordCollection } from 'lightning/uiRelatedListApi';
import { graphql } from 'lightning/graphql';
import type { GraphQLResult } from 'lightning/graphql';
import { refreshApex } from '@salesforce/apex';
import SOLUTION_OBJECT from '@salesforce/schema/Microsoft_Solution__c';
import OPPORTUNITY_FIELD from '@salesforce/schema/Microsoft_Solution__c.Opportunity__c';
import SOLUTION_ID_FIELD from '@salesforce/schema/Microsoft_Solution__c.Solution_Id__c';
import SOLUTION_NAME_FIELD from '@salesforce/schema/Microsoft_Solution__c.Solution_Name__c';
import PUBLISHER_FIELD from '@salesforce/schema/Microsoft_Solution__c.Publisher_Name__c';
import DETAIL_FIELD from '@salesforce/schema/Microsoft_Solution__c.Solution_Detail__c';
import { apiName, cleanText, confirmAction, formatLabel, packageApiName, reduceErrors, showToast } from 'c/partnerCenterUtils';
import { LABELS } from './labels';
import {
  CATALOG_QUERY,
  catalogEntries,
  catalogSize,
  buildCatalogVariables,
  isValidSolutionId,
  matchCount,
  normalizeSolutionId,
  sameSolutionId,
} from './catalog';
import type { CatalogData, CatalogEntry } from './catalog';

/** Waits this long after the last keystroke before searching the catalog. */
const SEARCH_DELAY_MS = 300;

/** Opportunity's child relationship to Microsoft_Solution__c; no schema import names it, so it gets the prefix here. */
const RELATED_LIST_ID = packageApiName('Microsoft_Solutions__r');
const qualified = (ref: { objectApiName: string; fieldApiName?: string }): string =>
  `${ref.objectApiName}.${apiName(ref)}`;

interface SolutionRow {
  id: string;
  solutionId: string;
  name: string;
  publisherText: string;
  solutionIdText: string;
  removeLabel: string;
}

interface CatalogRow extends CatalogEntry {
  title: string;
  details: string;
  added: boolean;
  addLabel: string;
}

interface NewSolution {
  solutionId: string;
  name: string;
  publisher: string;
  detailId?: string;
}

/**
 * The opportunity's Microsoft solutions (Microsoft_Solution__c): list, add from the admin-maintained catalog or by
 * solution id, and remove. Used inside the Partner Center card (`embedded`) or on its own on an Opportunity page.
 * Dispatches `solutionschange` ({ count }) whenever the list is (re)loaded.
 */
export default class PartnerCenterSolutions extends LightningElement {
  @api recordId?: string;
  /** Set by the Partner Center card: renders as a section of the card instead of a card of its own. */
  @api embedded = false;

  labels = LABELS;

  solutionsResult?: WireResult<RelatedListRecordCollection>;
  solutionRecords?: RecordRepresentation[];
  solutionsError?: unknown;
  objectInfo?: ObjectInfo;

  searchTerm = '';
  catalogQueryVariables = buildCatalogVariables('');
  catalogData?: CatalogData;
  catalogErrors?: unknown[];

  manualId = '';
  manualName = '';
  manualError = '';
  busy = false;

  private searchTimer?: ReturnType<typeof setTimeout>;

  // ---------------------------------------------------------------- data

  @wire(getRelatedListRecords, {
    parentRecordId: '$recordId',
    relatedListId: RELATED_LIST_ID,
    fields: [qualified(SOLUTION_ID_FIELD), qualified(SOLUTION_NAME_FIELD), qualified(PUBLISHER_FIELD)],
    sortBy: [qualified(SOLUTION_NAME_FIELD)],
  })
  wiredSolutions(result: WireResult<RelatedListRecordCollection>): void {
    this.solutionsResult = result;
    if (result.data) {
      this.solutionRecords = result.data.records;
      this.solutionsError = undefined;
      this.dispatchEvent(new CustomEvent('solutionschange', { detail: { count: this.solutionRecords.length } }));
    } else if (result.error) {
      this.solutionRecords = undefined;
      this.solutionsError = result.error;
    }
  }

  @wire(getObjectInfo, { objectApiName: SOLUTION_OBJECT })
  wiredObjectInfo({ data }: WireResult<ObjectInfo>): void {
    if (data) this.objectInfo = data;
  }

  @wire(graphql, { query: CATALOG_QUERY, variables: '$catalogQueryVariables' })
  wiredCatalog(result: GraphQLResult<CatalogData>): void {
    if (result.errors && result.errors.length > 0) {
      this.catalogErrors = result.errors;
      this.catalogData = undefined;
    } else if (result.data) {
      this.catalogErrors = undefined;
      this.catalogData = result.data;
    }
  }

  /** Re-reads the solution list (the card calls this when the connector reports a change). */
  @api
  async refresh(): Promise<void> {
    if (this.solutionsResult) await refreshApex(this.solutionsResult);
  }

  /** Takes the seller to the catalog search (the card's "Add solution" fix for a deal that needs one). */
  @api
  openCatalog(): void {
    const search = this.template?.querySelector('.search') as (HTMLElement & { focus(): void }) | null;
    search?.scrollIntoView?.({ block: 'nearest' });
    search?.focus();
  }

  disconnectedCallback(): void {
    if (this.searchTimer) clearTimeout(this.searchTimer);
  }

  // ---------------------------------------------------------------- view state

  get containerClass(): string {
    return this.embedded ? 'solutions solutions_embedded' : 'solutions slds-card slds-card_boundary slds-var-p-around_medium';
  }

  get headingLevel(): string {
    return this.embedded ? '3' : '2';
  }

  get isLoading(): boolean {
    return !this.solutionRecords && !this.solutionsError;
  }

  get canAdd(): boolean {
    return Boolean(this.objectInfo?.createable);
  }

  get canRemove(): boolean {
    return Boolean(this.objectInfo?.deletable);
  }

  /** Explains missing create/delete access once the object info is known. */
  get showReadOnlyNotice(): boolean {
    return Boolean(this.objectInfo) && (!this.canAdd || !this.canRemove);
  }

  get rows(): SolutionRow[] {
    return (this.solutionRecords ?? []).map((record) => {
      const solutionId = cleanText(getFieldValue(record, SOLUTION_ID_FIELD));
      const name = cleanText(getFieldValue(record, SOLUTION_NAME_FIELD)) || solutionId;
      const publisher = cleanText(getFieldValue(record, PUBLISHER_FIELD));
      return {
        id: record.id,
        solutionId,
        name,
        solutionIdText: formatLabel(LABELS.solutionId, solutionId),
        publisherText: publisher ? formatLabel(LABELS.publisher, publisher) : '',
        removeLabel: formatLabel(LABELS.removeAlt, name),
      };
    });
  }

  get hasRows(): boolean {
    return this.rows.length > 0;
  }

  get catalogLoading(): boolean {
    return !this.catalogData && !this.catalogErrors;
  }

  get catalogRows(): CatalogRow[] {
    const attached = this.rows;
    return catalogEntries(this.catalogData).map((entry) => {
      const title = entry.name || entry.solutionId;
      return {
        ...entry,
        title,
        details: [entry.solutionId, entry.publisher ? formatLabel(LABELS.publisher, entry.publisher) : '', entry.type]
          .filter((part) => part !== '')
          .join(' · '),
        added: attached.some((row) => sameSolutionId(row.solutionId, entry.solutionId)),
        addLabel: formatLabel(LABELS.addAlt, title),
      };
    });
  }

  get hasCatalogRows(): boolean {
    return this.catalogRows.length > 0;
  }

  get catalogIsEmpty(): boolean {
    return catalogSize(this.catalogData) === 0;
  }

  get noMatchesMessage(): string {
    return formatLabel(LABELS.noMatches, cleanText(this.searchTerm));
  }

  get showNoMatches(): boolean {
    return Boolean(this.catalogData) && !this.catalogIsEmpty && !this.hasCatalogRows;
  }

  get moreResultsMessage(): string {
    const total = matchCount(this.catalogData) ?? 0;
    return formatLabel(LABELS.moreResults, this.catalogRows.length, total);
  }

  get showMoreResults(): boolean {
    return (matchCount(this.catalogData) ?? 0) > this.catalogRows.length && this.hasCatalogRows;
  }

  /** Typing an id is offered when the catalog can't help: empty, no match, or unreadable. */
  get showManualEntry(): boolean {
    return Boolean(this.catalogErrors) || this.catalogIsEmpty || this.showNoMatches;
  }

  get manualAddDisabled(): boolean {
    return this.busy;
  }

  // ---------------------------------------------------------------- handlers

  handleSearchChange(event: CustomEvent<{ value: string }>): void {
    this.searchTerm = event.detail?.value ?? '';
    if (this.searchTimer) clearTimeout(this.searchTimer);
    // Debounce: one catalog query after the seller pauses typing, not one per keystroke.
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.searchTimer = setTimeout(() => {
      this.catalogQueryVariables = buildCatalogVariables(this.searchTerm);
    }, SEARCH_DELAY_MS);
  }

  async handleAddFromCatalog(event: Event): Promise<void> {
    const id = (event.currentTarget as HTMLElement | null)?.dataset?.id;
    const entry = catalogEntries(this.catalogData).find((candidate) => candidate.id === id);
    if (!entry) return;
    await this.addSolution({
      solutionId: entry.solutionId,
      name: entry.name,
      publisher: entry.publisher,
      detailId: entry.id,
    });
  }

  handleManualIdChange(event: CustomEvent<{ value: string }>): void {
    this.manualId = event.detail?.value ?? '';
    if (this.manualError) {
      // The id is being corrected: take the old message off the field.
      this.manualError = '';
      this.reportManualIdError();
    }
  }

  handleManualNameChange(event: CustomEvent<{ value: string }>): void {
    this.manualName = event.detail?.value ?? '';
  }

  async handleManualAdd(): Promise<void> {
    const solutionId = normalizeSolutionId(this.manualId);
    if (solutionId === '') this.manualError = LABELS.manualIdRequired;
    else if (!isValidSolutionId(solutionId)) this.manualError = LABELS.manualIdInvalid;
    else this.manualError = '';

    this.reportManualIdError();
    if (this.manualError) return;

    const added = await this.addSolution({ solutionId, name: cleanText(this.manualName), publisher: '' });
    if (added) {
      this.manualId = '';
      this.manualName = '';
    }
  }

  /**
   * The id field shows the message itself, under the field, and is marked invalid for assistive technology; the
   * component shows no second copy of it.
   */
  private reportManualIdError(): void {
    const input = this.template?.querySelector('.manual-id') as { setCustomValidity?: (m: string) => void; reportValidity?: () => boolean } | null;
    input?.setCustomValidity?.(this.manualError);
    input?.reportValidity?.();
  }

  async handleRemove(event: Event): Promise<void> {
    const id = (event.currentTarget as HTMLElement | null)?.dataset?.id;
    const row = this.rows.find((candidate) => candidate.id === id);
    if (!row) return;
    const confirmed = await confirmAction({
      label: LABELS.confirmRemoveTitle,
      message: formatLabel(LABELS.confirmRemoveMessage, row.name),
      theme: 'warning',
    });
    if (!confirmed) return;

    this.busy = true;
    try {
      await deleteRecord(row.id);
      showToast(this, LABELS.removed, formatLabel(LABELS.removedMessage, row.name), 'success');
      await this.afterChange();
    } catch (error) {
      showToast(this, LABELS.removeFailed, reduceErrors(error).join(' '), 'error');
    } finally {
      this.busy = false;
    }
  }

  // ---------------------------------------------------------------- saving

  private async addSolution(solution: NewSolution): Promise<boolean> {
    if (!this.recordId) return false;
    if (this.rows.some((row) => sameSolutionId(row.solutionId, solution.solutionId))) {
      showToast(this, LABELS.addFailed, LABELS.duplicate, 'warning');
      return false;
    }
    const fields: Record<string, unknown> = {
      [apiName(OPPORTUNITY_FIELD)]: this.recordId,
      [apiName(SOLUTION_ID_FIELD)]: solution.solutionId,
    };
    if (solution.name) fields[apiName(SOLUTION_NAME_FIELD)] = solution.name;
    if (solution.publisher) fields[apiName(PUBLISHER_FIELD)] = solution.publisher;
    if (solution.detailId) fields[apiName(DETAIL_FIELD)] = solution.detailId;

    this.busy = true;
    try {
      await createRecord({ apiName: SOLUTION_OBJECT.objectApiName, fields });
      showToast(this, LABELS.added, formatLabel(LABELS.addedMessage, solution.name || solution.solutionId), 'success');
      await this.afterChange();
      return true;
    } catch (error) {
      showToast(this, LABELS.addFailed, reduceErrors(error).join(' '), 'error');
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** The list changed: reload it, and let the opportunity (sync status set by the flows) refresh too. */
  private async afterChange(): Promise<void> {
    await Promise.all([
      this.refresh(),
      this.recordId ? notifyRecordUpdateAvailable([{ recordId: this.recordId }]) : Promise.resolve(),
    ]);
  }
}
