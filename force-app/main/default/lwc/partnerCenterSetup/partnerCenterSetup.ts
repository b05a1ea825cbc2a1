import { LightningElement, wire } from 'lwc';
import { createRecord, updateRecord } from 'lightning/uiRecordApi';
import type { WireResult } from 'lightning/uiRecordApi';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import type { ObjectInfo, PicklistValues } from 'lightning/uiObjectInfoApi';
import { gql, graphql } from 'lightning/graphql';
import type { GraphQLResult } from 'lightning/graphql';
import OPPORTUNITY_OBJECT from '@salesforce/schema/Opportunity';
import ACCOUNT_OBJECT from '@salesforce/schema/Account';
import SETTINGS_OBJECT from '@salesforce/schema/Partner_Center_Settings__c';
import SETTINGS_ACTIVE_FIELD from '@salesforce/schema/Partner_Center_Settings__c.Active__c';
import STAGE_FIELD from '@salesforce/schema/Opportunity.StageName';
import { cleanText, formatLabel, reduceErrors, showToast } from 'c/partnerCenterUtils';
import { LABELS } from './labels';
import {
  countryFieldOptions,
  currencyFieldOptions,
  dealValueFieldOptions,
  SETTINGS_FIELDS,
  defaultDraft,
  settingsFields,
  stageOptions,
  stagesOf,
  validateSettings,
  STAGE_PICKERS,
} from './settingsForm';
import type { ChoiceKey, Option, SettingsDraft, SettingsErrors, StageInfo } from './settingsForm';
import { SYNC_HEALTH_QUERY, connectorCheck, prerequisiteChecks, recentErrors } from './health';
import type { Check, CheckState, HealthFacts, SyncErrorRow, SyncHealthData } from './health';

const SETTINGS_QUERY = gql`
  query partnerCenterActiveSettings {
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
              Active_Stage_Name__c {
                value
              }
              On_Hold_Stage_Name__c {
                value
              }
              Won_Stage_Name__c {
                value
              }
              Lost_Stage_Name__c {
                value
              }
              Country_Code_Field__c {
                value
              }
              Deal_Value_Field__c {
                value
              }
              Currency_Field__c {
                value
              }
              Display_Check_Mark__c {
                value
              }
              Sync_Co_Sell_Only__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;

interface Value<T> {
  value?: T | null;
}

/** A settings record as GraphQL returns it, keyed by the (namespaced) field names of SETTINGS_FIELDS. */
interface SettingsNode {
  Id: string;
  [settingsField: string]: Value<string | boolean> | string | undefined;
}

/** `uiapi.query[settings object name]`: the platform namespaces the object name in the query and the response. */
interface SettingsData {
  uiapi?: { query?: Record<string, { edges?: Array<{ node?: SettingsNode }> } | undefined> };
}

/**
 * Stages of every sales process: the master record type's picklist values hold all of them, where the default
 * record type of the admin holds only the stages of that record type's sales process ("Get Values for a Picklist
 * Field", User Interface API Developer Guide: use 012000000000000AAA for the master record type).
 */
export const MASTER_RECORD_TYPE_ID = '012000000000000AAA';

interface ValidityTarget {
  setCustomValidity?: (message: string) => void;
  reportValidity?: () => boolean;
}

const CHOICE_KEYS: ChoiceKey[] = [
  'activeStage',
  'onHoldStage',
  'wonStage',
  'lostStage',
  'countryField',
  'dealValueField',
  'currencyField',
];

function draftFromNode(node: SettingsNode): SettingsDraft {
  const valueOf = (key: keyof SettingsDraft): unknown => (node[SETTINGS_FIELDS[key]] as Value<unknown> | undefined)?.value;
  return {
    activeStage: cleanText(valueOf('activeStage')),
    onHoldStage: cleanText(valueOf('onHoldStage')),
    wonStage: cleanText(valueOf('wonStage')),
    lostStage: cleanText(valueOf('lostStage')),
    countryField: cleanText(valueOf('countryField')),
    dealValueField: cleanText(valueOf('dealValueField')),
    currencyField: cleanText(valueOf('currencyField')),
    displayCheckMark: valueOf('displayCheckMark') !== false,
    syncCoSellOnly: valueOf('syncCoSellOnly') !== false,
  };
}

const settingsNodeOf = (data: SettingsData | undefined): SettingsNode | undefined =>
  data?.uiapi?.query?.[SETTINGS_OBJECT.objectApiName]?.edges?.[0]?.node ?? undefined;

/**
 * Partner Center setup page (Lightning App Page): edits the active Partner_Center_Settings__c record (creating it
 * when there is none) with choices taken from the org's real stages and fields, checks the org prerequisites and
 * the connector's health from the sync log, and lists the failed syncs (c-partner-center-failed-syncs, with Retry)
 * and the recent sync errors.
 */
export default class PartnerCenterSetup extends LightningElement {
  labels = LABELS;

  settingsResult?: GraphQLResult<SettingsData>;
  settingsLoaded = false;
  settingsErrors?: unknown[];
  settingsId?: string;

  opportunityInfo?: ObjectInfo;
  accountInfo?: ObjectInfo;
  settingsInfo?: ObjectInfo;
  stagePicklist?: PicklistValues;
  metadataErrors: Record<string, unknown> = {};

  health?: SyncHealthData;
  healthErrors?: unknown[];

  /** The form values being edited; undefined until the settings and the org's choices are known. */
  draft?: SettingsDraft;
  errors: SettingsErrors = {};
  showErrors = false;
  saving = false;

  /** The named credential prerequisite, from the connection section's check. */
  namedCredential: CheckState = 'unknown';

  /** Fixed when the page opens; the connector check compares the last success against it. */
  now = Date.now();

  // ---------------------------------------------------------------- data

  @wire(graphql, { query: SETTINGS_QUERY })
  wiredSettings(result: GraphQLResult<SettingsData>): void {
    this.settingsResult = result;
    if (result.errors && result.errors.length > 0) {
      this.settingsErrors = result.errors;
      return;
    }
    if (!result.data) return;
    this.settingsErrors = undefined;
    const node = settingsNodeOf(result.data);
    const changedRecord = (node?.Id ?? undefined) !== this.settingsId || !this.settingsLoaded;
    this.settingsId = node?.Id ?? undefined;
    this.settingsLoaded = true;
    if (changedRecord) this.draft = undefined;
    this.initDraft(node);
  }

  @wire(getObjectInfo, { objectApiName: OPPORTUNITY_OBJECT })
  wiredOpportunityInfo({ data, error }: WireResult<ObjectInfo>): void {
    if (data) {
      this.opportunityInfo = data;
      this.initDraft();
    } else if (error) {
      this.metadataErrors = { ...this.metadataErrors, opportunity: error };
    }
  }

  @wire(getObjectInfo, { objectApiName: ACCOUNT_OBJECT })
  wiredAccountInfo({ data, error }: WireResult<ObjectInfo>): void {
    if (data) this.accountInfo = data;
    else if (error) this.metadataErrors = { ...this.metadataErrors, account: error };
  }

  @wire(getObjectInfo, { objectApiName: SETTINGS_OBJECT })
  wiredSettingsInfo({ data }: WireResult<ObjectInfo>): void {
    if (data) this.settingsInfo = data;
  }

  @wire(getPicklistValues, { recordTypeId: '$stageRecordTypeId', fieldApiName: STAGE_FIELD })
  wiredStages({ data, error }: WireResult<PicklistValues>): void {
    if (data) {
      this.stagePicklist = data;
      this.initDraft();
    } else if (error) {
      this.metadataErrors = { ...this.metadataErrors, stages: error };
    }
  }

  @wire(graphql, { query: SYNC_HEALTH_QUERY })
  wiredHealth(result: GraphQLResult<SyncHealthData>): void {
    if (result.errors && result.errors.length > 0) {
      this.healthErrors = result.errors;
      this.health = undefined;
    } else if (result.data) {
      this.healthErrors = undefined;
      this.health = result.data;
    }
  }

  /** Every sales process's stages (the master record type), not only those of the admin's default record type. */
  get stageRecordTypeId(): string {
    return MASTER_RECORD_TYPE_ID;
  }

  /** Fills the form once the settings and the org's stages are known (it never overwrites the admin's edits). */
  private initDraft(node?: SettingsNode): void {
    if (this.draft || !this.settingsLoaded || !this.stagePicklist || !this.opportunityInfo) return;
    const current =
      node ?? settingsNodeOf(this.settingsResult?.data);
    this.draft = current ? draftFromNode(current) : defaultDraft(this.stages, this.opportunityInfo);
    this.errors = {};
    this.showErrors = false;
  }

  // ---------------------------------------------------------------- page state

  get isLoading(): boolean {
    return !this.draft && !this.loadErrors;
  }

  get loadErrors(): unknown[] | undefined {
    const errors = [...(this.settingsErrors ?? []), ...Object.values(this.metadataErrors)];
    return errors.length > 0 ? errors : undefined;
  }

  get isNew(): boolean {
    return this.settingsLoaded && !this.settingsId;
  }

  get canSave(): boolean {
    const info = this.settingsInfo;
    if (!info) return true; // unknown: let the server decide and show its message
    return this.settingsId ? info.updateable : info.createable;
  }

  get saveDisabled(): boolean {
    return this.saving || !this.canSave;
  }

  get stages(): StageInfo[] {
    return stagesOf(this.stagePicklist);
  }

  get stageChoices(): Option[] {
    return stageOptions(this.stages, LABELS);
  }

  /** One combobox per entry of STAGE_PICKERS, with the same choices. */
  get stagePickers(): Array<{ key: string; label: string; help: string; value: string; options: Option[] }> {
    const options = this.stageChoices;
    return STAGE_PICKERS.map((picker) => ({
      key: picker.key,
      label: LABELS[picker.label],
      help: LABELS[picker.help],
      value: this.draft?.[picker.key] ?? '',
      options,
    }));
  }

  get countryChoices(): Option[] {
    return countryFieldOptions(this.accountInfo, LABELS);
  }

  get dealValueChoices(): Option[] {
    return dealValueFieldOptions(this.opportunityInfo, LABELS);
  }

  get currencyChoices(): Option[] {
    return currencyFieldOptions(this.opportunityInfo, LABELS);
  }

  private validate(): SettingsErrors {
    if (!this.draft) return {};
    return validateSettings(
      this.draft,
      {
        stages: this.stages,
        countryOptions: this.countryChoices,
        dealValueOptions: this.dealValueChoices,
        currencyOptions: this.currencyChoices,
      },
      LABELS
    );
  }

  get hasErrors(): boolean {
    return this.showErrors && Object.keys(this.errors).length > 0;
  }

  /** Names each rejected choice in a summary above the Save button (the fields show the same text). */
  get errorSummary(): Array<{ key: string; text: string }> {
    const labelOf: Record<ChoiceKey, string> = {
      activeStage: LABELS.activeStage,
      onHoldStage: LABELS.onHoldStage,
      wonStage: LABELS.wonStage,
      lostStage: LABELS.lostStage,
      countryField: LABELS.countryField,
      dealValueField: LABELS.dealValueField,
      currencyField: LABELS.currencyField,
    };
    return CHOICE_KEYS.filter((key) => this.errors[key]).map((key) => ({
      key,
      text: formatLabel(LABELS.errorItem, labelOf[key], this.errors[key] ?? ''),
    }));
  }

  // ---------------------------------------------------------------- checklist and sync log

  private get healthFacts(): HealthFacts {
    const info = this.settingsInfo;
    return {
      opportunityInfo: this.opportunityInfo,
      health: this.health,
      healthFailed: Boolean(this.healthErrors),
      now: this.now,
      canEditSettings: info ? info.createable || info.updateable : undefined,
      namedCredential: this.namedCredential,
    };
  }

  get checks(): Check[] {
    return prerequisiteChecks(this.healthFacts, LABELS);
  }

  /** Whether syncs are arriving, shown with the connection. */
  get activityChecks(): Check[] {
    return [connectorCheck(this.healthFacts, LABELS)];
  }

  get errorRows(): SyncErrorRow[] {
    return recentErrors(this.health, LABELS);
  }

  get hasErrorRows(): boolean {
    return this.errorRows.length > 0;
  }

  get syncLogUnavailable(): boolean {
    return Boolean(this.healthErrors);
  }

  // ---------------------------------------------------------------- handlers

  handleConnectionChange(event: CustomEvent<{ namedCredential?: CheckState }>): void {
    this.namedCredential = event.detail?.namedCredential ?? 'unknown';
  }

  handleChoiceChange(event: CustomEvent<{ value: string }>): void {
    const key = (event.currentTarget as HTMLElement | null)?.dataset?.field as ChoiceKey | undefined;
    if (!this.draft || !key || !CHOICE_KEYS.includes(key)) return;
    this.draft = { ...this.draft, [key]: cleanText(event.detail?.value) };
    // Check as the admin chooses, so a rejected choice is explained right away.
    this.showErrors = true;
    this.errors = this.validate();
    this.reportFieldValidity();
  }

  handleToggleChange(event: CustomEvent<{ checked: boolean }>): void {
    const key = (event.currentTarget as HTMLElement | null)?.dataset?.field;
    if (!this.draft || (key !== 'displayCheckMark' && key !== 'syncCoSellOnly')) return;
    this.draft = { ...this.draft, [key]: Boolean(event.detail?.checked) };
  }

  async handleSave(): Promise<void> {
    if (!this.draft) return;
    this.showErrors = true;
    this.errors = this.validate();
    this.reportFieldValidity();
    if (Object.keys(this.errors).length > 0) return;

    this.saving = true;
    try {
      const fields = settingsFields(this.draft);
      if (this.settingsId) {
        await updateRecord({ fields: { Id: this.settingsId, ...fields } });
      } else {
        const created = await createRecord({
          apiName: SETTINGS_OBJECT.objectApiName,
          fields: { Name: LABELS.settingsName, [SETTINGS_ACTIVE_FIELD.fieldApiName ?? '']: true, ...fields },
        });
        this.settingsId = created?.id ?? this.settingsId;
      }
      showToast(this, LABELS.saved, LABELS.savedMessage, 'success');
      this.showErrors = false;
      await this.settingsResult?.refresh?.();
    } catch (error) {
      showToast(this, LABELS.saveFailed, reduceErrors(error).join(' '), 'error');
    } finally {
      this.saving = false;
    }
  }

  /** Puts each rule's message on its combobox (or clears it). */
  private reportFieldValidity(): void {
    const boxes = this.template?.querySelectorAll('lightning-combobox[data-field]') ?? [];
    for (const box of Array.from(boxes)) {
      const key = (box as HTMLElement).dataset.field as ChoiceKey;
      const target = box as unknown as ValidityTarget;
      target.setCustomValidity?.(this.errors[key] ?? '');
      target.reportValidity?.();
    }
  }
}
