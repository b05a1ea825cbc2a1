import { LightningElement, wire } from 'lwc';
import { updateRecord } from 'lightning/uiRecordApi';
import type { WireResult } from 'lightning/uiRecordApi';
import { getObjectInfo } from 'lightning/uiObjectInfoApi';
import type { ObjectInfo } from 'lightning/uiObjectInfoApi';
import { graphql } from 'lightning/graphql';
import type { GraphQLResult } from 'lightning/graphql';
import OPPORTUNITY_OBJECT from '@salesforce/schema/Opportunity';
import ACCOUNT_OBJECT from '@salesforce/schema/Account';
import SYNC_STATUS_FIELD from '@salesforce/schema/Opportunity.Partner_Center_Sync_Status__c';
import { SYNC_STATUS, apiName, formatLabel, packageApiName, reduceErrors, showToast } from 'c/partnerCenterUtils';
import { LABELS } from './labels';
import { FAILED_SYNCS_QUERY, PAGE_SIZE, failedCount, failedSyncRows } from './failedSyncs';
import type { FailedSyncRow, FailedSyncsData } from './failedSyncs';

/** The packaged Opportunity list view with the same filter (Partner Center Sync Status = Error). */
export const CO_SELL_ERRORS_LIST_URL = `/lightning/o/Opportunity/list?filterName=${packageApiName('Co_Sell_Errors')}`;

/**
 * Failed syncs: the opportunities the connector parked (final failures, waiting for a person), each with the
 * reason in the user's language — the labels the card uses — and a Retry that re-queues it exactly as the card's
 * Retry does: the opportunity's sync status goes back to Pending through Lightning Data Service, and the package's
 * record-triggered flow publishes the sync request the connector picks up. No shell, no Apex.
 */
export default class PartnerCenterFailedSyncs extends LightningElement {
  labels = LABELS;
  listUrl = CO_SELL_ERRORS_LIST_URL;

  result?: GraphQLResult<FailedSyncsData>;
  opportunityInfo?: ObjectInfo;
  accountInfo?: ObjectInfo;
  /** Ids being retried; their buttons are disabled until the save answers. */
  retrying: string[] = [];

  @wire(graphql, { query: FAILED_SYNCS_QUERY })
  wiredFailed(result: GraphQLResult<FailedSyncsData>): void {
    this.result = result;
  }

  @wire(getObjectInfo, { objectApiName: OPPORTUNITY_OBJECT })
  wiredOpportunityInfo({ data }: WireResult<ObjectInfo>): void {
    if (data) this.opportunityInfo = data;
  }

  @wire(getObjectInfo, { objectApiName: ACCOUNT_OBJECT })
  wiredAccountInfo({ data }: WireResult<ObjectInfo>): void {
    if (data) this.accountInfo = data;
  }

  get unavailable(): boolean {
    return Boolean(this.result?.errors && this.result.errors.length > 0);
  }

  get isLoading(): boolean {
    return !this.result?.data && !this.unavailable;
  }

  get rows(): Array<FailedSyncRow & { retryDisabled: boolean }> {
    if (this.unavailable) return [];
    const infos = { Opportunity: this.opportunityInfo, Account: this.accountInfo };
    return failedSyncRows(this.result?.data, infos, LABELS).map((row) => ({ ...row, retryDisabled: this.retrying.includes(row.id) }));
  }

  get hasRows(): boolean {
    return this.rows.length > 0;
  }

  get isEmpty(): boolean {
    return !this.isLoading && !this.unavailable && !this.hasRows;
  }

  /** Says when more opportunities failed than the page lists (the list view has them all). */
  get moreText(): string | undefined {
    const total = failedCount(this.result?.data);
    return total > this.rows.length ? formatLabel(LABELS.more, Math.min(this.rows.length, PAGE_SIZE), total) : undefined;
  }

  get retryAllDisabled(): boolean {
    return !this.hasRows || this.retrying.length > 0;
  }

  async handleRetry(event: Event): Promise<void> {
    const id = (event.currentTarget as HTMLElement | null)?.dataset?.id;
    const row = this.rows.find((r) => r.id === id);
    if (row) await this.retry([row]);
  }

  async handleRetryAll(): Promise<void> {
    await this.retry(this.rows);
  }

  async handleRefresh(): Promise<void> {
    await this.result?.refresh?.();
  }

  /** The card's Retry for each opportunity: Partner_Center_Sync_Status__c back to Pending, one save each. */
  private async retry(rows: FailedSyncRow[]): Promise<void> {
    if (rows.length === 0) return;
    this.retrying = [...this.retrying, ...rows.map((r) => r.id)];
    const statusField = apiName(SYNC_STATUS_FIELD);
    const outcomes = await Promise.allSettled(rows.map((row) => updateRecord({ fields: { Id: row.id, [statusField]: SYNC_STATUS.PENDING } })));
    const failures = outcomes
      .map((outcome, i) => (outcome.status === 'rejected' ? formatLabel(LABELS.retryFailed, rows[i].name, reduceErrors(outcome.reason).join(' ')) : ''))
      .filter(Boolean);
    const sent = outcomes.length - failures.length;
    if (sent > 0) showToast(this, LABELS.retryRequested, formatLabel(LABELS.retriedMessage, sent), 'success');
    if (failures.length > 0) showToast(this, LABELS.saveFailed, failures.join(' '), 'error');
    try {
      await this.result?.refresh?.();
    } finally {
      this.retrying = this.retrying.filter((id) => !rows.some((r) => r.id === id));
    }
  }
}
