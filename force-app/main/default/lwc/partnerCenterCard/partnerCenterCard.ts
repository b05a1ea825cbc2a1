import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { getRecord, getFieldValue, updateRecord, notifyRecordUpdateAvailable, type FetchResponse, type RecordRepresentation, type WireResult } from 'lightning/uiRecordApi';
import { getObjectInfo, getPicklistValues, type ObjectInfo, type PicklistValues } from 'lightning/uiObjectInfoApi';
import { getRelatedListRecords, type RelatedListRecordCollection } from 'lightning/uiRelatedListApi';
import { graphql, type GraphQLResult } from 'lightning/graphql';
import { refreshApex } from '@salesforce/apex';
import { DEFAULT_COUNTRY_FIELD, SYNC_STATUS, cleanText, confirmAction, reduceErrors, showToast } from 'c/partnerCenterUtils';
import { LABELS } from './labels';
import { ACCOUNT_NAME_FIELD, ACCOUNT_OBJECT, CONTACT_ROLE_FIELDS, HELP_FIELD, NAME_FIELD, OPPORTUNITY_FIELDS, OPPORTUNITY_OBJECT } from './fields';
import { SYNC_FIELD, SYNC_STATUS_FIELD, VISIBLE_FIELD, apiName, type FieldChanges } from './fields';
import { OpportunityView } from './opportunityView';
import { accountCountryField, countryFieldLabel, evaluatePrerequisites, missingPrerequisites, type Prerequisite } from './prerequisites';
import { COUNTRY_SETTING_QUERY, countryFieldOf, type CountrySettingData } from './countrySetting';
import { helpOptions, type ComboboxOption } from './helpOptions';
import { LiveUpdates } from './liveUpdates';
import { SYNC_LOG_FIELDS, SYNC_LOG_LIST, SYNC_LOG_SORT, latestFailureReason, type CardReason } from './syncReason';
import { fixPage } from './fixActions';
import type { FixAction } from 'c/partnerCenterSyncStatus';

/**
 * "Microsoft Partner Center" card on the Opportunity record page: the seller switches sync on, says how Microsoft
 * can help, shares the deal with Microsoft sellers, manages solutions and sees the referral's status. The card holds
 * the data (all through Lightning Data Service) and the saves; its children show one concern each (sync status,
 * co-sell checklist, referral details, solutions, audit trail). It refreshes itself when the connector publishes
 * Partner_Center_Sync_Status__e for this opportunity.
 */
export default class PartnerCenterCard extends NavigationMixin(LightningElement) {
  @api recordId?: string;

  labels = LABELS;

  opportunity?: RecordRepresentation;
  opportunityError?: FetchResponse;
  objectInfo?: ObjectInfo;
  objectInfoError?: FetchResponse;
  helpPicklist?: PicklistValues;
  accountInfo?: ObjectInfo;
  account?: RecordRepresentation;
  contactRoleCount?: number;
  contactRolesResult?: WireResult<RelatedListRecordCollection>;
  syncLogsResult?: WireResult<RelatedListRecordCollection>;
  solutionCount?: number;

  /** Country field path on Account (from the active settings record, else the default). */
  countryField: string | undefined = accountCountryField(DEFAULT_COUNTRY_FIELD);
  /** Wire parameter for the account request; a stable array so the wire is not re-requested on every render. */
  accountOptionalFields: string[] = this.countryField ? [this.countryField] : [];

  /** Values shown while a change is being confirmed or saved; null = show the record's value. */
  syncDraft: boolean | null = null;
  helpDraft: string | null = null;
  visibleDraft: boolean | null = null;

  saving = false;
  coSellBlocked = false;
  liveUpdatesPaused = false;

  private liveUpdates = new LiveUpdates({
    recordId: () => this.recordId,
    onRecordChanged: () => this.refreshAll(),
    onPaused: (paused) => {
      this.liveUpdatesPaused = paused;
    },
  });

  // ---------------------------------------------------------------- data

  @wire(getRecord, { recordId: '$recordId', fields: [NAME_FIELD], optionalFields: OPPORTUNITY_FIELDS })
  wiredOpportunity({ data, error }: WireResult<RecordRepresentation>): void {
    if (data || error) [this.opportunity, this.opportunityError] = [data, error];
  }

  @wire(getObjectInfo, { objectApiName: OPPORTUNITY_OBJECT })
  wiredObjectInfo({ data, error }: WireResult<ObjectInfo>): void {
    if (data || error) [this.objectInfo, this.objectInfoError] = [data, error];
  }

  @wire(getPicklistValues, { recordTypeId: '$recordTypeId', fieldApiName: HELP_FIELD })
  wiredHelpValues({ data, error }: WireResult<PicklistValues>): void {
    if (data || error) this.helpPicklist = data;
  }

  @wire(graphql, { query: COUNTRY_SETTING_QUERY })
  wiredCountrySetting(result: GraphQLResult<CountrySettingData>): void {
    const field = countryFieldOf(result);
    if (field !== null && field !== this.countryField) {
      this.countryField = field;
      this.accountOptionalFields = field ? [field] : [];
    }
  }

  @wire(getObjectInfo, { objectApiName: ACCOUNT_OBJECT })
  wiredAccountInfo({ data }: WireResult<ObjectInfo>): void {
    if (data) this.accountInfo = data;
  }

  @wire(getRecord, { recordId: '$accountId', fields: [ACCOUNT_NAME_FIELD], optionalFields: '$accountOptionalFields' })
  wiredAccount({ data, error }: WireResult<RecordRepresentation>): void {
    if (data || error) this.account = data;
  }

  @wire(getRelatedListRecords, { parentRecordId: '$recordId', relatedListId: 'OpportunityContactRoles', fields: CONTACT_ROLE_FIELDS })
  wiredContactRoles(result: WireResult<RelatedListRecordCollection>): void {
    this.contactRolesResult = result;
    if (result.data) this.contactRoleCount = result.data.count ?? result.data.records.length;
    else if (result.error) this.contactRoleCount = undefined;
  }

  /** The newest sync log record: the reason of the last failure, as data (sellers can read the sync log). */
  @wire(getRelatedListRecords, { parentRecordId: '$recordId', relatedListId: SYNC_LOG_LIST, fields: SYNC_LOG_FIELDS, sortBy: SYNC_LOG_SORT, pageSize: 1 })
  wiredSyncLogs(result: WireResult<RelatedListRecordCollection>): void {
    this.syncLogsResult = result;
  }

  // ---------------------------------------------------------------- live updates

  connectedCallback(): void {
    this.liveUpdates.start();
  }

  disconnectedCallback(): void {
    this.liveUpdates.stop();
  }

  /** Re-reads everything the connector may have changed: the opportunity, its contact roles and solutions. */
  private async refreshAll(): Promise<void> {
    if (!this.recordId) return;
    const solutions = this.template?.querySelector('c-partner-center-solutions') as { refresh?: () => Promise<void> } | null;
    await Promise.all([
      notifyRecordUpdateAvailable([{ recordId: this.recordId }]),
      this.contactRolesResult ? refreshApex(this.contactRolesResult) : Promise.resolve(),
      this.syncLogsResult ? refreshApex(this.syncLogsResult) : Promise.resolve(),
      solutions?.refresh ? solutions.refresh() : Promise.resolve(),
    ]);
  }

  // ---------------------------------------------------------------- what the children and controls show

  /** The opportunity with the user's access to its fields. */
  get view(): OpportunityView {
    return new OpportunityView(this.opportunity, this.objectInfo);
  }

  get recordTypeId(): string | undefined {
    return this.opportunity?.recordTypeId ?? this.objectInfo?.defaultRecordTypeId ?? undefined;
  }

  get accountId(): string | undefined {
    return this.view.accountId;
  }

  get isLoading(): boolean {
    return (!this.opportunity && !this.opportunityError) || (!this.objectInfo && !this.objectInfoError);
  }

  get loadErrors(): FetchResponse[] | undefined {
    const errors = [this.opportunityError, this.objectInfoError].filter((e): e is FetchResponse => Boolean(e));
    return errors.length > 0 ? errors : undefined;
  }

  get failureReason(): CardReason | undefined {
    return latestFailureReason(this.syncLogsResult?.data, { Opportunity: this.objectInfo, Account: this.accountInfo });
  }

  get retryDisabled(): boolean {
    return this.saving || !this.view.canRetry;
  }

  get syncChecked(): boolean {
    return this.syncDraft ?? this.view.syncOn;
  }

  get helpValue(): string {
    return this.helpDraft ?? this.view.savedHelp;
  }

  get helpOptions(): ComboboxOption[] {
    return helpOptions(LABELS.helpNone, this.helpPicklist, this.view.savedHelp, this.view.savedHelpLabel);
  }

  get visibleChecked(): boolean {
    return this.visibleDraft ?? this.view.isVisible;
  }

  get prerequisites(): Prerequisite[] {
    const { contactRoleCount, solutionCount, account, countryField } = this;
    const countryValue = countryField && account ? (getFieldValue(account, countryField) as string | null | undefined) : undefined;
    const label = countryFieldLabel(countryField, this.accountInfo?.fields);
    return evaluatePrerequisites({ contactRoleCount, solutionCount, hasAccount: this.view.hasAccount, countryValue, countryFieldLabel: label }, LABELS);
  }

  /** The checklist is shown for co-sell deals and whenever a co-sell request was just held back. */
  get showChecklist(): boolean {
    return this.view.savedHelp !== '' || this.coSellBlocked;
  }

  // ---------------------------------------------------------------- saves

  handleSolutionsChange(event: CustomEvent<{ count: number }>): void {
    this.solutionCount = event.detail?.count;
  }

  async handleSyncChange(event: CustomEvent<{ checked: boolean }>): Promise<void> {
    const checked = Boolean(event.detail?.checked);
    this.syncDraft = checked;
    await this.save({ [apiName(SYNC_FIELD)]: checked }, checked ? LABELS.savedSyncOn : LABELS.savedSyncOff);
  }

  async handleHelpChange(event: CustomEvent<{ value: string }>): Promise<void> {
    const value = cleanText(event.detail?.value);
    if (value === this.view.savedHelp) return;
    this.helpDraft = value;
    if (value === '') {
      this.coSellBlocked = false;
      await this.save({ [apiName(HELP_FIELD)]: null }, LABELS.savedHelpRemoved);
      return;
    }
    // A co-sell request: say what is missing instead of sending a request Microsoft would reject.
    this.coSellBlocked = missingPrerequisites(this.prerequisites).length > 0;
    if (this.coSellBlocked) {
      this.resetDrafts();
      return;
    }
    const changes: FieldChanges = { [apiName(HELP_FIELD)]: value };
    if (!this.view.isVisible) {
      // The validation rule requires visibility with help, and visibility can't be undone: ask first.
      if (!(await this.confirmed(LABELS.confirmHelpTitle, LABELS.confirmHelpMessage))) return;
      changes[apiName(VISIBLE_FIELD)] = true;
      this.visibleDraft = true;
    }
    await this.save(changes, LABELS.savedHelp);
  }

  async handleVisibleChange(event: CustomEvent<{ checked: boolean }>): Promise<void> {
    if (!event.detail?.checked || this.view.isVisible) {
      this.resetDrafts();
      return;
    }
    this.visibleDraft = true;
    if (!(await this.confirmed(LABELS.confirmVisibleTitle, LABELS.confirmVisibleMessage))) return;
    await this.save({ [apiName(VISIBLE_FIELD)]: true }, LABELS.savedVisible);
  }

  /** A sync failure's fix: open the account or contact roles, edit the opportunity, or go to the solutions. */
  handleFix(event: CustomEvent<{ action: FixAction }>): void {
    const action = event.detail?.action;
    if (action === 'addSolution') {
      (this.template?.querySelector('c-partner-center-solutions') as { openCatalog?: () => void } | null)?.openCatalog?.();
      return;
    }
    const page = fixPage(action, this.recordId, this.accountId);
    if (page) (this as unknown as Record<symbol, (page: object) => void>)[NavigationMixin.Navigate](page);
  }

  async handleRetry(): Promise<void> {
    await this.save({ [apiName(SYNC_STATUS_FIELD)]: SYNC_STATUS.PENDING }, LABELS.retryRequestedMessage, LABELS.retryRequested);
  }

  /** Asks before a change that cannot be undone; a "no" puts the controls back. */
  private async confirmed(label: string, message: string): Promise<boolean> {
    const ok = await confirmAction({ label, message, theme: 'warning' });
    if (!ok) this.resetDrafts();
    return ok;
  }

  private async save(changes: FieldChanges, successMessage: string, successTitle: string = LABELS.saved): Promise<void> {
    if (!this.recordId) return;
    this.saving = true;
    try {
      await updateRecord({ fields: { Id: this.recordId, ...changes } });
      showToast(this, successTitle, successMessage, 'success');
    } catch (error) {
      showToast(this, LABELS.saveFailed, reduceErrors(error).join(' '), 'error');
    } finally {
      this.saving = false;
      this.resetDrafts();
    }
  }

  /** Shows the saved values again, in the choices' controls too (they keep what the user picked otherwise). */
  private resetDrafts(): void {
    this.syncDraft = this.helpDraft = this.visibleDraft = null;
    const choices = this.template?.querySelector('c-partner-center-co-sell-choices') as { restore?: (values: object) => void } | null;
    choices?.restore?.({ sync: this.syncChecked, help: this.helpValue, visible: this.visibleChecked });
  }
}
