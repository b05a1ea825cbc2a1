import { LightningElement, api, wire } from 'lwc';
import {
  getRecord,
  getFieldValue,
  updateRecord,
  notifyRecordUpdateAvailable,
} from 'lightning/uiRecordApi';
import type { FetchResponse, RecordRepresentation, WireResult } from 'lightning/uiRecordApi';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import type { ObjectInfo, PicklistValues } from 'lightning/uiObjectInfoApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import type { RelatedListRecordCollection } from 'lightning/uiRelatedListApi';
import { gql, graphql } from 'lightning/graphql';
import type { GraphQLResult } from 'lightning/graphql';
import { subscribe, unsubscribe, onError, isEmpEnabled } from 'lightning/empApi';
import type { EmpMessage, EmpSubscription } from 'lightning/empApi';
import { refreshApex } from '@salesforce/apex';
import {
  DEFAULT_COUNTRY_FIELD,
  SYNC_STATUS,
  SYNC_STATUS_CHANNEL,
  cleanText,
  confirmAction,
  nonEmptyLines,
  reduceErrors,
  sameRecordId,
  showToast,
} from 'c/partnerCenterUtils';
import { LABELS } from './labels';
import {
  ACCOUNT_ID_FIELD,
  ACCOUNT_NAME_FIELD,
  ACCOUNT_OBJECT,
  AUDIT_FIELD,
  CRM_ID_FIELD,
  EVENT_OPPORTUNITY_ID_FIELD,
  HELP_FIELD,
  LAST_SYNC_FIELD,
  NAME_FIELD,
  OPPORTUNITY_FIELDS,
  OPPORTUNITY_OBJECT,
  PC_STATUS_FIELD,
  REFERRAL_ID_FIELD,
  REFERRAL_LINK_FIELD,
  SYNC_FIELD,
  SETTINGS_COUNTRY_FIELD,
  SYNC_STATUS_FIELD,
  VISIBLE_FIELD,
  apiName,
} from './fields';
import { accountCountryField, evaluatePrerequisites, missingPrerequisites } from './prerequisites';
import type { Prerequisite } from './prerequisites';
import { latestAuditLine, syncStateOf } from './syncStatus';
import type { SyncState } from './syncStatus';

/**
 * The active settings record's country field (the newest active record wins, as for the connector). The platform
 * namespaces the names in a gql query, so the response is read with the names of the schema imports, which carry
 * the same prefix.
 */
const COUNTRY_SETTING_QUERY = gql`
  query partnerCenterCountrySetting {
    uiapi {
      query {
        Partner_Center_Settings__c(
          where: { Active__c: { eq: true } }
          orderBy: { CreatedDate: { order: DESC } }
          first: 1
        ) {
          edges {
            node {
              Id
              Country_Code_Field__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;

/** Keyed by the package's (namespaced) API names: `uiapi.query[settings object].edges[].node[country field]`. */
interface CountrySettingData {
  uiapi?: {
    query?: Record<string, { edges?: Array<{ node?: Record<string, { value?: string | null } | undefined> }> } | undefined>;
  };
}

/** A Partner_Center_Sync_Status__e payload, keyed by the event's (namespaced) field API names. */
type StatusEventPayload = Record<string, unknown>;

interface ComboboxOption {
  label: string;
  value: string;
}

type FieldChanges = Record<string, unknown>;

const CONTACT_ROLE_FIELDS = ['OpportunityContactRole.Id', 'OpportunityContactRole.ContactId'];

/**
 * "Microsoft Partner Center" card on the Opportunity record page: the seller switches sync on, says how Microsoft
 * can help, shares the deal with Microsoft sellers, manages solutions and sees the referral's status. All data goes
 * through Lightning Data Service; the card refreshes itself when the connector publishes
 * Partner_Center_Sync_Status__e for this opportunity.
 */
export default class PartnerCenterCard extends LightningElement {
  @api recordId?: string;

  labels = LABELS;

  opportunity?: RecordRepresentation;
  opportunityError?: FetchResponse;
  objectInfo?: ObjectInfo;
  objectInfoError?: FetchResponse;
  helpPicklist?: PicklistValues;
  accountInfo?: ObjectInfo;
  account?: RecordRepresentation;
  accountError?: FetchResponse;
  contactRoleCount?: number;
  contactRolesResult?: WireResult<RelatedListRecordCollection>;
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
  auditSections: string[] = [];

  private subscription?: EmpSubscription;
  private connected = false;

  // ---------------------------------------------------------------- data

  @wire(getRecord, { recordId: '$recordId', fields: [NAME_FIELD], optionalFields: OPPORTUNITY_FIELDS })
  wiredOpportunity({ data, error }: WireResult<RecordRepresentation>): void {
    if (data) {
      this.opportunity = data;
      this.opportunityError = undefined;
    } else if (error) {
      this.opportunity = undefined;
      this.opportunityError = error;
    }
  }

  @wire(getObjectInfo, { objectApiName: OPPORTUNITY_OBJECT })
  wiredObjectInfo({ data, error }: WireResult<ObjectInfo>): void {
    if (data) {
      this.objectInfo = data;
      this.objectInfoError = undefined;
    } else if (error) {
      this.objectInfo = undefined;
      this.objectInfoError = error;
    }
  }

  @wire(getPicklistValues, { recordTypeId: '$recordTypeId', fieldApiName: HELP_FIELD })
  wiredHelpValues({ data, error }: WireResult<PicklistValues>): void {
    if (data) this.helpPicklist = data;
    else if (error) this.helpPicklist = undefined;
  }

  @wire(graphql, { query: COUNTRY_SETTING_QUERY })
  wiredCountrySetting({ data, errors }: GraphQLResult<CountrySettingData>): void {
    if (errors && errors.length > 0) {
      // Settings unreadable: keep the default field, as the connector does without settings.
      return;
    }
    const edges = data?.uiapi?.query?.[SETTINGS_COUNTRY_FIELD.objectApiName]?.edges;
    if (!edges) return;
    const setting = edges[0]?.node?.[apiName(SETTINGS_COUNTRY_FIELD)]?.value;
    const field = accountCountryField(setting ?? DEFAULT_COUNTRY_FIELD);
    if (field !== this.countryField) {
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
    if (data) {
      this.account = data;
      this.accountError = undefined;
    } else if (error) {
      this.account = undefined;
      this.accountError = error;
    }
  }

  @wire(getRelatedListRecords, {
    parentRecordId: '$recordId',
    relatedListId: 'OpportunityContactRoles',
    fields: CONTACT_ROLE_FIELDS,
  })
  wiredContactRoles(result: WireResult<RelatedListRecordCollection>): void {
    this.contactRolesResult = result;
    if (result.data) this.contactRoleCount = result.data.count ?? result.data.records.length;
    else if (result.error) this.contactRoleCount = undefined;
  }

  // ---------------------------------------------------------------- live updates

  connectedCallback(): void {
    this.connected = true;
    this.startLiveUpdates();
  }

  disconnectedCallback(): void {
    this.connected = false;
    this.stopLiveUpdates();
  }

  private async startLiveUpdates(): Promise<void> {
    try {
      if (!(await isEmpEnabled())) {
        this.liveUpdatesPaused = true;
        return;
      }
      onError(() => {
        this.liveUpdatesPaused = true;
      });
      const subscription = await subscribe<StatusEventPayload>(SYNC_STATUS_CHANNEL, -1, (message) =>
        this.handleStatusEvent(message)
      );
      if (this.connected) {
        this.subscription = subscription;
        this.liveUpdatesPaused = false;
      } else {
        this.release(subscription);
      }
    } catch {
      this.liveUpdatesPaused = true;
    }
  }

  private stopLiveUpdates(): void {
    if (this.subscription) {
      this.release(this.subscription);
      this.subscription = undefined;
    }
  }

  private release(subscription: EmpSubscription): void {
    unsubscribe(subscription).catch(() => {
      // Already gone (for example the streaming connection closed): nothing to release.
    });
  }

  private handleStatusEvent(message: EmpMessage<StatusEventPayload>): void {
    const opportunityId = message?.data?.payload?.[apiName(EVENT_OPPORTUNITY_ID_FIELD)] as string | undefined;
    if (!this.recordId || !sameRecordId(opportunityId, this.recordId)) return;
    this.refreshAll().catch(() => {
      // A failed refresh leaves the last values on screen; the next event or page load refreshes again.
    });
  }

  /** Re-reads everything the connector may have changed: the opportunity, its contact roles and solutions. */
  private async refreshAll(): Promise<void> {
    if (!this.recordId) return;
    const solutions = this.template?.querySelector('c-partner-center-solutions') as { refresh?: () => Promise<void> } | null;
    await Promise.all([
      notifyRecordUpdateAvailable([{ recordId: this.recordId }]),
      this.contactRolesResult ? refreshApex(this.contactRolesResult) : Promise.resolve(),
      solutions?.refresh ? solutions.refresh() : Promise.resolve(),
    ]);
  }

  // ---------------------------------------------------------------- record values

  private value(field: { objectApiName: string; fieldApiName?: string }): unknown {
    return this.opportunity ? getFieldValue(this.opportunity, field) : undefined;
  }

  private canRead(field: { fieldApiName?: string }): boolean {
    return Boolean(this.opportunity?.fields && apiName(field) in this.opportunity.fields);
  }

  private canUpdate(field: { fieldApiName?: string }): boolean {
    const info = this.objectInfo;
    return Boolean(info?.updateable && info.fields?.[apiName(field)]?.updateable && this.canRead(field));
  }

  get recordTypeId(): string | undefined {
    return this.opportunity?.recordTypeId ?? this.objectInfo?.defaultRecordTypeId ?? undefined;
  }

  get accountId(): string | undefined {
    const id = this.value(ACCOUNT_ID_FIELD);
    return typeof id === 'string' && id !== '' ? id : undefined;
  }

  get syncOn(): boolean {
    return this.value(SYNC_FIELD) === true;
  }

  get isVisible(): boolean {
    return this.value(VISIBLE_FIELD) === true;
  }

  get savedHelpValue(): string {
    return cleanText(this.value(HELP_FIELD));
  }

  get syncState(): SyncState {
    return syncStateOf({ syncOn: this.syncOn, status: this.value(SYNC_STATUS_FIELD) as string | null });
  }

  // ---------------------------------------------------------------- page states

  get isLoading(): boolean {
    const opportunityPending = !this.opportunity && !this.opportunityError;
    const infoPending = !this.objectInfo && !this.objectInfoError;
    return opportunityPending || infoPending;
  }

  get loadErrors(): FetchResponse[] | undefined {
    const errors = [this.opportunityError, this.objectInfoError].filter((e): e is FetchResponse => Boolean(e));
    return errors.length > 0 ? errors : undefined;
  }

  get canEditSync(): boolean {
    return this.canUpdate(SYNC_FIELD);
  }

  get canEditVisible(): boolean {
    return this.canUpdate(VISIBLE_FIELD);
  }

  get canEditHelp(): boolean {
    return this.canUpdate(HELP_FIELD) && (this.isVisible || this.canEditVisible);
  }

  get canRetry(): boolean {
    return this.canUpdate(SYNC_STATUS_FIELD);
  }

  /** Shown instead of unexplained disabled controls when the user lacks edit access to any of them. */
  get showReadOnlyNotice(): boolean {
    return !this.canEditSync || !this.canEditHelp || (!this.isVisible && !this.canEditVisible);
  }

  // ---------------------------------------------------------------- status line

  get isPending(): boolean {
    return this.syncState === 'pending';
  }

  get isSynced(): boolean {
    return this.syncState === 'synced';
  }

  get isError(): boolean {
    return this.syncState === 'error';
  }

  get statusText(): string {
    const texts: Record<SyncState, string> = {
      off: LABELS.statusOff,
      notSynced: LABELS.statusNotSynced,
      pending: LABELS.statusPending,
      synced: LABELS.statusSynced,
      error: LABELS.statusError,
    };
    return texts[this.syncState];
  }

  get errorMessage(): string {
    return latestAuditLine(this.value(AUDIT_FIELD)) ?? LABELS.errorNoDetails;
  }

  get retryDisabled(): boolean {
    return this.saving || !this.canRetry;
  }

  /** Sync switched off on a deal Partner Center already knows about. */
  get showSyncPausedNote(): boolean {
    return !this.syncOn && this.syncState !== 'off' && this.syncState !== 'notSynced';
  }

  // ---------------------------------------------------------------- controls

  get syncChecked(): boolean {
    return this.syncDraft ?? this.syncOn;
  }

  get syncDisabled(): boolean {
    return this.saving || !this.canEditSync;
  }

  get helpValue(): string {
    return this.helpDraft ?? this.savedHelpValue;
  }

  get helpOptions(): ComboboxOption[] {
    const options: ComboboxOption[] = [{ label: LABELS.helpNone, value: '' }];
    const values = this.helpPicklist?.values ?? [];
    for (const entry of values) options.push({ label: entry.label, value: entry.value });
    const saved = this.savedHelpValue;
    if (saved && !values.some((entry) => entry.value === saved)) {
      // A value no longer offered for this record type: still show what is saved.
      const display = this.opportunity?.fields?.[apiName(HELP_FIELD)]?.displayValue ?? saved;
      options.push({ label: display, value: saved });
    }
    return options;
  }

  get helpDisabled(): boolean {
    return this.saving || !this.canEditHelp;
  }

  get visibleChecked(): boolean {
    return this.visibleDraft ?? this.isVisible;
  }

  /** Sharing can never be undone, so the switch is locked once on. */
  get visibleDisabled(): boolean {
    return this.saving || this.isVisible || !this.canEditVisible;
  }

  // ---------------------------------------------------------------- co-sell checklist

  get countryFieldLabel(): string {
    const field = this.countryField ?? '';
    const name = field.startsWith('Account.') ? field.slice('Account.'.length) : field;
    return this.accountInfo?.fields?.[name]?.label ?? name;
  }

  /** The account's country value; undefined when it can't be read (no account access, field not readable). */
  get countryValue(): string | null | undefined {
    if (!this.countryField || !this.account) return undefined;
    const value = getFieldValue(this.account, this.countryField);
    return value === undefined ? undefined : (value as string | null);
  }

  get prerequisites(): Prerequisite[] {
    const accountKnown = this.opportunity !== undefined && this.canRead(ACCOUNT_ID_FIELD);
    return evaluatePrerequisites(
      {
        contactRoleCount: this.contactRoleCount,
        solutionCount: this.solutionCount,
        hasAccount: accountKnown ? this.accountId !== undefined : undefined,
        countryValue: this.countryValue,
        countryFieldLabel: this.countryFieldLabel,
      },
      LABELS
    );
  }

  get missing(): Prerequisite[] {
    return missingPrerequisites(this.prerequisites);
  }

  /** The checklist is shown for co-sell deals and whenever a co-sell request was just held back. */
  get showChecklist(): boolean {
    return this.savedHelpValue !== '' || this.coSellBlocked;
  }

  get showBlockedMessage(): boolean {
    return this.coSellBlocked && this.missing.length > 0;
  }

  // ---------------------------------------------------------------- referral details

  get referralId(): string {
    return cleanText(this.value(REFERRAL_ID_FIELD));
  }

  get referralLink(): string {
    return cleanText(this.value(REFERRAL_LINK_FIELD));
  }

  get partnerCenterStatus(): string {
    return cleanText(this.value(PC_STATUS_FIELD));
  }

  get crmId(): string {
    return cleanText(this.value(CRM_ID_FIELD));
  }

  get lastSync(): string {
    return cleanText(this.value(LAST_SYNC_FIELD));
  }

  get hasReferralDetails(): boolean {
    return Boolean(this.referralId || this.referralLink || this.partnerCenterStatus || this.crmId || this.lastSync);
  }

  get auditLines(): Array<{ key: string; text: string }> {
    return nonEmptyLines(this.value(AUDIT_FIELD)).map((text, index) => ({ key: `${index}`, text }));
  }

  get hasAudit(): boolean {
    return this.auditLines.length > 0;
  }

  get auditAvailable(): boolean {
    return this.canRead(AUDIT_FIELD);
  }

  // ---------------------------------------------------------------- handlers

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
    if (value === this.savedHelpValue) return;
    this.helpDraft = value;

    if (value === '') {
      this.coSellBlocked = false;
      await this.save({ [apiName(HELP_FIELD)]: null }, LABELS.savedHelpRemoved);
      return;
    }

    // A co-sell request: say what is missing instead of sending a request Microsoft would reject.
    if (this.missing.length > 0) {
      this.coSellBlocked = true;
      this.resetDrafts();
      return;
    }
    this.coSellBlocked = false;

    const changes: FieldChanges = { [apiName(HELP_FIELD)]: value };
    if (!this.isVisible) {
      // The validation rule requires visibility with help, and visibility can't be undone: ask first.
      const confirmed = await confirmAction({
        label: LABELS.confirmHelpTitle,
        message: LABELS.confirmHelpMessage,
        theme: 'warning',
      });
      if (!confirmed) {
        this.resetDrafts();
        return;
      }
      changes[apiName(VISIBLE_FIELD)] = true;
      this.visibleDraft = true;
    }
    await this.save(changes, LABELS.savedHelp);
  }

  async handleVisibleChange(event: CustomEvent<{ checked: boolean }>): Promise<void> {
    if (!event.detail?.checked || this.isVisible) {
      this.resetDrafts();
      return;
    }
    this.visibleDraft = true;
    const confirmed = await confirmAction({
      label: LABELS.confirmVisibleTitle,
      message: LABELS.confirmVisibleMessage,
      theme: 'warning',
    });
    if (!confirmed) {
      this.resetDrafts();
      return;
    }
    await this.save({ [apiName(VISIBLE_FIELD)]: true }, LABELS.savedVisible);
  }

  async handleRetry(): Promise<void> {
    await this.save(
      { [apiName(SYNC_STATUS_FIELD)]: SYNC_STATUS.PENDING },
      LABELS.retryRequestedMessage,
      LABELS.retryRequested
    );
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

  private resetDrafts(): void {
    this.syncDraft = null;
    this.helpDraft = null;
    this.visibleDraft = null;
    this.restoreControls();
  }

  /**
   * Puts the controls back to what is saved. A base component keeps what the user picked; when the value bound to
   * it does not change (a co-sell request held back before it rendered, a refused save of a value it already showed),
   * the engine does not write it again, and the control would keep showing a choice that was not saved.
   */
  private restoreControls(): void {
    const root = this.template;
    if (!root) return;
    const help = root.querySelector('.help-combobox') as (HTMLElement & { value?: string }) | null;
    if (help && help.value !== this.helpValue) help.value = this.helpValue;
    const sync = root.querySelector('.sync-toggle') as (HTMLElement & { checked?: boolean }) | null;
    if (sync && sync.checked !== this.syncChecked) sync.checked = this.syncChecked;
    const visible = root.querySelector('.visible-toggle') as (HTMLElement & { checked?: boolean }) | null;
    if (visible && visible.checked !== this.visibleChecked) visible.checked = this.visibleChecked;
  }
}
