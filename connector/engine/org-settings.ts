/**
 * The org's settings record (the spec's "environment variables"; not the connector process's own settings, which
 * are config/connector-settings.ts). Admins edit them in the setup page, which stores one
 * active Partner_Center_Settings__c record; the CLI reads the same settings as camelCase JSON. Both paths go
 * through one JSON Schema so a typo or a field path outside the expected object is caught before any sync.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { fieldPathPattern } from './field-paths.js';

export interface Settings {
  /** The stage meaning "accepted in Partner Center"; inbound Active referrals land here. */
  activeStageName: string | null;
  /** New referrals shared by Microsoft wait here; edits made in this stage do not sync. */
  onHoldStageName: string | null;
  /** Stage inbound Closed/Won referrals move to. Outbound wins are read from IsClosed/IsWon. */
  wonStageName: string | null;
  /** Stage inbound Closed/Lost, Declined and Expired referrals move to. */
  lostStageName: string | null;
  displayCheckMark: boolean;
  /** `Account.<Field>` holding the customer's ISO 3166 two-letter country code. */
  countryCodeField: string;
  /** `Opportunity.<Field>` synced with details.dealValue. */
  dealValueField: string;
  /** `Opportunity.<Field>` synced with details.currency. */
  currencyField: string;
  /** Only co-sell referrals come from Partner Center; off: marketplace leads come too, as Leads. */
  syncCoSellOnly: boolean;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  activeStageName: null,
  onHoldStageName: null,
  wonStageName: null,
  lostStageName: null,
  displayCheckMark: true,
  countryCodeField: 'Account.BillingCountry',
  dealValueField: 'Opportunity.Amount',
  currencyField: 'Opportunity.CurrencyIsoCode',
  syncCoSellOnly: true,
});

export type SettingKey = keyof Settings;

/** Partner_Center_Settings__c field for each setting. */
export const SETTINGS_RECORD_FIELDS: Readonly<Record<SettingKey, string>> = {
  activeStageName: 'Active_Stage_Name__c',
  onHoldStageName: 'On_Hold_Stage_Name__c',
  wonStageName: 'Won_Stage_Name__c',
  lostStageName: 'Lost_Stage_Name__c',
  displayCheckMark: 'Display_Check_Mark__c',
  countryCodeField: 'Country_Code_Field__c',
  dealValueField: 'Deal_Value_Field__c',
  currencyField: 'Currency_Field__c',
  syncCoSellOnly: 'Sync_Co_Sell_Only__c',
};

const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as SettingKey[];
const STAGE_KEYS = ['activeStageName', 'onHoldStageName', 'wonStageName', 'lostStageName'] as const;

const stageName = { type: ['string', 'null'], minLength: 1, maxLength: 255 };
const FIELD_EXAMPLES: Readonly<Partial<Record<SettingKey, string>>> = {
  countryCodeField: 'an Account field such as "Account.BillingCountry"',
  dealValueField: 'an Opportunity field such as "Opportunity.Amount"',
  currencyField: 'an Opportunity field such as "Opportunity.CurrencyIsoCode"',
};

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    activeStageName: stageName,
    onHoldStageName: stageName,
    wonStageName: stageName,
    lostStageName: stageName,
    displayCheckMark: { type: 'boolean' },
    countryCodeField: { type: 'string', pattern: fieldPathPattern('Account') },
    dealValueField: { type: 'string', pattern: fieldPathPattern('Opportunity') },
    currencyField: { type: 'string', pattern: fieldPathPattern('Opportunity') },
    syncCoSellOnly: { type: 'boolean' },
  },
};

const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);

export class SettingsError extends Error {
  override name = 'SettingsError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

function describeValue(value: unknown): string {
  return value === null ? 'null' : `${typeof value} ${JSON.stringify(value)}`;
}

function problemText(error: ErrorObject, input: Record<string, unknown>, nameOf: (key: string) => string): string {
  const key = error.instancePath.replace(/^\//, '');
  const value = input[key];
  switch (error.keyword) {
    case 'additionalProperties': {
      const unknown = String(error.params.additionalProperty);
      return `Unknown setting "${unknown}" — remove it; the settings are ${SETTING_KEYS.join(', ')}.`;
    }
    case 'type':
      return `Setting "${nameOf(key)}" must be ${key in FIELD_EXAMPLES || STAGE_KEYS.includes(key as never) ? 'text' : 'true or false'} (got ${describeValue(value)}).`;
    case 'pattern':
      return `Setting "${nameOf(key)}" must name ${FIELD_EXAMPLES[key as SettingKey] ?? 'a field'} (got ${JSON.stringify(value)}).`;
    case 'minLength':
      return `Setting "${nameOf(key)}" is empty — choose a stage or leave it unset.`;
    case 'maxLength':
      return `Setting "${nameOf(key)}" is longer than a Salesforce stage name can be (255 characters).`;
    default:
      return `Setting "${nameOf(key)}" ${error.message ?? 'is invalid'}.`;
  }
}

function check(input: unknown, nameOf: (key: string) => string): Settings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SettingsError([`Settings must be a JSON object with the keys ${SETTING_KEYS.join(', ')} (got ${describeValue(input)}).`]);
  }
  const record = input as Record<string, unknown>;
  if (!validate(record)) {
    throw new SettingsError((validate.errors ?? []).map((e) => problemText(e, record, nameOf)));
  }
  const settings: Settings = { ...DEFAULT_SETTINGS, ...(record as Partial<Settings>) };
  // One stage cannot mean two things: the state machine would not know whether a move accepts or closes.
  const problems: string[] = [];
  STAGE_KEYS.forEach((a, i) => {
    for (const b of STAGE_KEYS.slice(i + 1)) {
      if (settings[a] !== null && settings[a] === settings[b]) {
        problems.push(`Settings "${nameOf(a)}" and "${nameOf(b)}" both name the stage "${settings[a]}" — choose a different stage for one of them.`);
      }
    }
  });
  if (problems.length > 0) throw new SettingsError(problems);
  return settings;
}

/** Validates camelCase settings JSON; missing keys take their defaults. Throws SettingsError naming each bad key. */
export function parseSettings(json: unknown): Settings {
  return check(json, (key) => key);
}

/**
 * Settings from the active Partner_Center_Settings__c record. Blank text fields mean "not set" (stage names) or
 * "use the default" (field paths); fields the object has beyond the settings (Id, Name, ...) are ignored.
 * Errors name the Salesforce field the admin edits.
 */
export function settingsFromRecord(record: Record<string, unknown>): Settings {
  const input: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const value = record[SETTINGS_RECORD_FIELDS[key]];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && value.trim() === '') {
      if (STAGE_KEYS.includes(key as never)) input[key] = null;
      continue;
    }
    input[key] = typeof value === 'string' ? value.trim() : value;
  }
  return check(input, (key) => SETTINGS_RECORD_FIELDS[key as SettingKey] ?? key);
}
