/**
 * The settings form: choices offered from the org's real stages and fields, and the rules a choice must follow.
 * Pure functions, so the rules are tested without rendering.
 */
import type { ObjectInfo, PicklistValues } from 'lightning/uiObjectInfoApi';
import {
  DEFAULT_COUNTRY_FIELD,
  DEFAULT_CURRENCY_FIELD,
  DEFAULT_DEAL_VALUE_FIELD,
  apiName,
  cleanText,
  formatLabel,
} from 'c/partnerCenterUtils';
import ACTIVE_STAGE_FIELD from '@salesforce/schema/Partner_Center_Settings__c.Active_Stage_Name__c';
import ON_HOLD_STAGE_FIELD from '@salesforce/schema/Partner_Center_Settings__c.On_Hold_Stage_Name__c';
import WON_STAGE_FIELD from '@salesforce/schema/Partner_Center_Settings__c.Won_Stage_Name__c';
import LOST_STAGE_FIELD from '@salesforce/schema/Partner_Center_Settings__c.Lost_Stage_Name__c';
import COUNTRY_CODE_FIELD from '@salesforce/schema/Partner_Center_Settings__c.Country_Code_Field__c';
import DEAL_VALUE_FIELD from '@salesforce/schema/Partner_Center_Settings__c.Deal_Value_Field__c';
import CURRENCY_FIELD from '@salesforce/schema/Partner_Center_Settings__c.Currency_Field__c';
import DISPLAY_CHECK_MARK_FIELD from '@salesforce/schema/Partner_Center_Settings__c.Display_Check_Mark__c';
import SYNC_CO_SELL_ONLY_FIELD from '@salesforce/schema/Partner_Center_Settings__c.Sync_Co_Sell_Only__c';
import type { SetupLabels } from './labels';

export interface SettingsDraft {
  activeStage: string;
  onHoldStage: string;
  wonStage: string;
  lostStage: string;
  countryField: string;
  dealValueField: string;
  currencyField: string;
  displayCheckMark: boolean;
  syncCoSellOnly: boolean;
}

export type StageKey = 'activeStage' | 'onHoldStage' | 'wonStage' | 'lostStage';
export type ChoiceKey = StageKey | 'countryField' | 'dealValueField' | 'currencyField';

/** The four stage pickers, in the order the page shows them: one list, so the template renders one combobox per entry. */
export const STAGE_PICKERS: ReadonlyArray<{ key: StageKey; label: keyof SetupLabels; help: keyof SetupLabels }> = [
  { key: 'activeStage', label: 'activeStage', help: 'activeStageHelp' },
  { key: 'onHoldStage', label: 'onHoldStage', help: 'onHoldStageHelp' },
  { key: 'wonStage', label: 'wonStage', help: 'wonStageHelp' },
  { key: 'lostStage', label: 'lostStage', help: 'lostStageHelp' },
];
export type SettingsErrors = Partial<Record<ChoiceKey, string>>;

/**
 * Settings field API name for each form value (Partner_Center_Settings__c), from schema imports: the platform
 * gives them the package's namespace prefix, which the record and query keys carry in a subscriber org.
 */
export const SETTINGS_FIELDS: Record<keyof SettingsDraft, string> = {
  activeStage: apiName(ACTIVE_STAGE_FIELD),
  onHoldStage: apiName(ON_HOLD_STAGE_FIELD),
  wonStage: apiName(WON_STAGE_FIELD),
  lostStage: apiName(LOST_STAGE_FIELD),
  countryField: apiName(COUNTRY_CODE_FIELD),
  dealValueField: apiName(DEAL_VALUE_FIELD),
  currencyField: apiName(CURRENCY_FIELD),
  displayCheckMark: apiName(DISPLAY_CHECK_MARK_FIELD),
  syncCoSellOnly: apiName(SYNC_CO_SELL_ONLY_FIELD),
};

export interface Option {
  label: string;
  value: string;
}

export interface StageInfo {
  value: string;
  label: string;
  closed: boolean;
  won: boolean;
}

/** Opportunity stages with their closed/won flags (UI API returns them as picklist value attributes). */
export function stagesOf(picklist: PicklistValues | undefined): StageInfo[] {
  return (picklist?.values ?? []).map((entry) => ({
    value: entry.value,
    label: entry.label,
    closed: entry.attributes?.closed === true,
    won: entry.attributes?.won === true,
  }));
}

/** Every stage is offered; closed stages say so, and the rules below reject a wrong kind of stage. */
export function stageOptions(stages: StageInfo[], labels: SetupLabels): Option[] {
  return stages.map((stage) => {
    let label = stage.label;
    if (stage.closed) label = formatLabel(stage.won ? labels.stageClosedWon : labels.stageClosedLost, stage.label);
    return { label, value: stage.value };
  });
}

function fieldOptions(
  info: ObjectInfo | undefined,
  accept: (apiName: string, dataType: string) => boolean,
  labels: SetupLabels
): Option[] {
  if (!info?.fields) return [];
  return Object.values(info.fields)
    .filter((field) => accept(field.apiName, field.dataType))
    .map((field) => ({
      label: formatLabel(labels.fieldOption, field.label, field.apiName),
      value: `${info.apiName}.${field.apiName}`,
    }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/**
 * Country code: text or picklist fields on Account (Billing Country is text; with State and Country Picklists,
 * Billing Country Code is a picklist holding the ISO code).
 */
export function countryFieldOptions(account: ObjectInfo | undefined, labels: SetupLabels): Option[] {
  return fieldOptions(account, (_name, type) => type === 'String' || type === 'Picklist', labels);
}

/** Deal value: currency and number fields on Opportunity. */
export function dealValueFieldOptions(opportunity: ObjectInfo | undefined, labels: SetupLabels): Option[] {
  const numeric = new Set(['Currency', 'Double', 'Int', 'Long']);
  return fieldOptions(opportunity, (_name, type) => numeric.has(type), labels);
}

/**
 * Currency: Opportunity Currency (CurrencyIsoCode, only in multi-currency orgs), or a picklist or text field whose
 * name says it holds a currency or ISO code. The first option means "no field: use the org currency".
 */
export function currencyFieldOptions(opportunity: ObjectInfo | undefined, labels: SetupLabels): Option[] {
  const named = /currency|iso/i;
  const fields = fieldOptions(
    opportunity,
    (name, type) => name === 'CurrencyIsoCode' || ((type === 'Picklist' || type === 'String') && named.test(name)),
    labels
  );
  return [{ label: labels.orgCurrency, value: '' }, ...fields];
}

/** What the form starts with when no settings record exists yet (the documented defaults). */
export function defaultDraft(stages: StageInfo[], opportunity: ObjectInfo | undefined): SettingsDraft {
  const multiCurrency = Boolean(opportunity?.fields?.CurrencyIsoCode);
  return {
    activeStage: '',
    onHoldStage: '',
    wonStage: stages.find((stage) => stage.closed && stage.won)?.value ?? '',
    lostStage: stages.find((stage) => stage.closed && !stage.won)?.value ?? '',
    countryField: DEFAULT_COUNTRY_FIELD,
    dealValueField: DEFAULT_DEAL_VALUE_FIELD,
    currencyField: multiCurrency ? DEFAULT_CURRENCY_FIELD : '',
    displayCheckMark: true,
    syncCoSellOnly: true,
  };
}

export interface ValidationContext {
  stages: StageInfo[];
  countryOptions: Option[];
  dealValueOptions: Option[];
  currencyOptions: Option[];
}

/**
 * The rules:
 * - every stage is required and must be one of the org's current stages;
 * - active and on-hold stages must be open stages, and different from each other;
 * - the won stage must be a closed won stage, the lost stage a closed stage that is not won;
 * - the country and deal value fields are required, the currency field may be blank (org currency);
 *   every field must be one of the compatible fields offered.
 */
export function validateSettings(draft: SettingsDraft, context: ValidationContext, labels: SetupLabels): SettingsErrors {
  const errors: SettingsErrors = {};
  const stageByValue = new Map(context.stages.map((stage) => [stage.value, stage]));

  const checkStage = (key: 'activeStage' | 'onHoldStage' | 'wonStage' | 'lostStage', rule: (stage: StageInfo) => string | undefined): void => {
    const value = cleanText(draft[key]);
    if (value === '') {
      errors[key] = labels.errRequired;
      return;
    }
    const stage = stageByValue.get(value);
    if (!stage) {
      errors[key] = formatLabel(labels.errNotAStage, value);
      return;
    }
    const problem = rule(stage);
    if (problem) errors[key] = problem;
  };

  const mustBeOpen = (stage: StageInfo): string | undefined => (stage.closed ? labels.errStageClosed : undefined);
  checkStage('activeStage', mustBeOpen);
  checkStage('onHoldStage', mustBeOpen);
  checkStage('wonStage', (stage) => (stage.closed && stage.won ? undefined : labels.errWonStage));
  checkStage('lostStage', (stage) => (stage.closed && !stage.won ? undefined : labels.errLostStage));
  if (!errors.activeStage && !errors.onHoldStage && cleanText(draft.activeStage) === cleanText(draft.onHoldStage)) {
    errors.onHoldStage = labels.errStagesSame;
  }

  const checkField = (key: 'countryField' | 'dealValueField' | 'currencyField', options: Option[], required: boolean): void => {
    const value = cleanText(draft[key]);
    if (value === '') {
      if (required) errors[key] = labels.errRequired;
      return;
    }
    if (!options.some((option) => option.value === value)) errors[key] = formatLabel(labels.errFieldInvalid, value);
  };
  checkField('countryField', context.countryOptions, true);
  checkField('dealValueField', context.dealValueOptions, true);
  checkField('currencyField', context.currencyOptions, false);

  return errors;
}

/** The record fields to save for a draft (blank currency is stored as blank: the connector uses the org currency). */
export function settingsFields(draft: SettingsDraft): Record<string, unknown> {
  return {
    [SETTINGS_FIELDS.activeStage]: cleanText(draft.activeStage),
    [SETTINGS_FIELDS.onHoldStage]: cleanText(draft.onHoldStage),
    [SETTINGS_FIELDS.wonStage]: cleanText(draft.wonStage),
    [SETTINGS_FIELDS.lostStage]: cleanText(draft.lostStage),
    [SETTINGS_FIELDS.countryField]: cleanText(draft.countryField),
    [SETTINGS_FIELDS.dealValueField]: cleanText(draft.dealValueField),
    [SETTINGS_FIELDS.currencyField]: cleanText(draft.currencyField) || null,
    [SETTINGS_FIELDS.displayCheckMark]: draft.displayCheckMark,
    [SETTINGS_FIELDS.syncCoSellOnly]: draft.syncCoSellOnly,
  };
}
