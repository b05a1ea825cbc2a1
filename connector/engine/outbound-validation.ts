/**
 * Checks that run before anything is sent to Partner Center. Each names the opportunity (or account), the field
 * a seller sees and what to do, in the words the audit trail and the card show.
 */
import { ASSISTANCE_REQUEST_CODES } from '../model/referral.js';
import { toCountryCode } from './country-code.js';
import { toCurrencyCode } from './currency-code.js';
import { opportunityCurrency, type DealFields } from './deal-fields.js';
import { describeRecord, fieldLabel, type FieldError } from './field-errors.js';
import { fieldOf, readField } from './field-paths.js';
import { currencyFieldUnavailable, subRecords, text, type OpportunityRecord, type OrgContext } from './salesforce-records.js';
import type { Settings } from './org-settings.js';

const COUNTRY_EXPECTED = 'ISO 3166-1 alpha-2';
const CURRENCY_EXPECTED = 'ISO 4217';

export type OutboundCheck = 'name' | 'account' | 'country' | 'closeDate' | 'dealValue' | 'currency' | 'help' | 'contacts' | 'solutions';

export const ALL_CHECKS: readonly OutboundCheck[] = ['name', 'account', 'country', 'closeDate', 'dealValue', 'currency', 'help', 'contacts', 'solutions'];

/** Help options a seller can pick: the API's codes except `Unknown` (the picklist's values). */
export const HELP_OPTIONS = ASSISTANCE_REQUEST_CODES.filter((c) => c !== 'Unknown');

export function validateOutbound(
  opportunity: OpportunityRecord,
  settings: Settings,
  fields: DealFields,
  checks: Iterable<OutboundCheck>,
  org?: OrgContext,
): FieldError[] {
  const who = describeRecord('Opportunity', fields.name, opportunity.Id);
  const account = opportunity.Account ?? null;
  const errors: FieldError[] = [];
  const wanted = new Set(checks);

  if (wanted.has('name') && fields.name === null) {
    errors.push({ field: 'Opportunity.Name', message: `${who} has no name — enter an Opportunity Name.`, reason: { code: 'NAME_MISSING', field: 'Opportunity.Name' } });
  }

  if (wanted.has('account') && (!text(opportunity.AccountId) || !account)) {
    errors.push({ field: 'Opportunity.AccountId', message: `${who} has no customer account — choose the customer in Account Name.`, reason: { code: 'ACCOUNT_MISSING', field: 'Opportunity.AccountId' } });
  }

  if (wanted.has('country') && account) {
    const countryField = fieldOf(settings.countryCodeField, 'Account');
    const label = fieldLabel(countryField);
    const raw = text(readField(account, countryField));
    const where = describeRecord('Account', account.Name, account.Id ?? opportunity.AccountId);
    const accountName = text(account.Name) ?? undefined;
    if (raw === null) {
      errors.push({
        field: `Account.${countryField}`,
        message: `${who}: customer account country code is missing on ${where} — set ${label} to a two-letter code such as DE.`,
        reason: { code: 'COUNTRY_MISSING', field: `Account.${countryField}`, record: accountName, expected: COUNTRY_EXPECTED },
      });
    } else if (!toCountryCode(raw)) {
      errors.push({
        field: `Account.${countryField}`,
        message: `${who}: "${raw}" in ${label} on ${where} is not a country Partner Center recognises — set ${label} to a two-letter code such as DE.`,
        reason: { code: 'COUNTRY_UNKNOWN', field: `Account.${countryField}`, record: accountName, expected: COUNTRY_EXPECTED, value: raw },
      });
    }
  }

  if (wanted.has('closeDate') && fields.closeDate === null) {
    errors.push({ field: 'Opportunity.CloseDate', message: `${who} has no valid close date — set Close Date.`, reason: { code: 'CLOSE_DATE_MISSING', field: 'Opportunity.CloseDate' } });
  }

  if (wanted.has('dealValue')) {
    const dealField = fieldOf(settings.dealValueField, 'Opportunity');
    const label = fieldLabel(dealField);
    if (fields.dealValue === null) {
      errors.push({ field: `Opportunity.${dealField}`, message: `${who}: deal value is missing — enter ${label}.`, reason: { code: 'DEAL_VALUE_MISSING', field: `Opportunity.${dealField}` } });
    } else if (fields.dealValue < 0) {
      errors.push({
        field: `Opportunity.${dealField}`,
        message: `${who}: deal value ${fields.dealValue} in ${label} is negative — enter 0 or more.`,
        reason: { code: 'DEAL_VALUE_NEGATIVE', field: `Opportunity.${dealField}`, expected: '0', value: String(fields.dealValue) },
      });
    }
  }

  if (wanted.has('currency')) {
    const unavailable = currencyFieldUnavailable(settings.currencyField, org);
    const currencyField = fieldOf(settings.currencyField, 'Opportunity');
    const label = fieldLabel(currencyField);
    const raw = text(opportunityCurrency(opportunity, settings, org));
    if (raw === null) {
      errors.push({
        field: `Opportunity.${currencyField}`,
        message: unavailable
          ? `${who}: the org has no multi-currency and no corporate currency was given — tell the connector the org currency.`
          : `${who}: deal currency is missing — set ${label} to an ISO 4217 code such as EUR.`,
        reason: unavailable ? { code: 'SETUP_REQUIRED', field: 'CurrencyIsoCode' } : { code: 'CURRENCY_MISSING', field: `Opportunity.${currencyField}`, expected: CURRENCY_EXPECTED },
      });
    } else if (!toCurrencyCode(raw)) {
      errors.push({
        field: `Opportunity.${currencyField}`,
        message: `${who}: "${raw}" in ${label} is not an ISO 4217 currency code — set ${label} to a code such as EUR.`,
        reason: { code: 'CURRENCY_UNKNOWN', field: `Opportunity.${currencyField}`, expected: CURRENCY_EXPECTED, value: raw },
      });
    }
  }

  if (wanted.has('help') && fields.help !== null && !(HELP_OPTIONS as readonly string[]).includes(fields.help)) {
    errors.push({
      field: 'Opportunity.Microsoft_Help__c',
      message: `${who}: "${fields.help}" is not a way Microsoft can help — choose one of ${HELP_OPTIONS.join(', ')} in How can Microsoft help?, or leave it blank.`,
      reason: { code: 'HELP_UNKNOWN', field: 'Opportunity.Microsoft_Help__c', value: fields.help },
    });
  }

  // A co-sell request (help chosen) needs a customer contact Microsoft can reach.
  if (wanted.has('contacts') && fields.help !== null && !fields.customerContacts.some((c) => text(c.email))) {
    const roles = subRecords(opportunity.OpportunityContactRoles).length;
    errors.push({
      field: 'OpportunityContactRoles',
      message: roles === 0
        ? `${who} asks Microsoft for help, and a co-sell request needs a customer contact — add the customer's contact to Contact Roles.`
        : `${who} asks Microsoft for help, and a co-sell request needs a customer contact with an email — add an email to a contact in Contact Roles.`,
      reason: { code: roles === 0 ? 'CONTACT_MISSING' : 'CONTACT_EMAIL_MISSING', field: 'OpportunityContactRoles' },
    });
  }

  // Anything shared with Microsoft sellers needs at least one solution.
  if (wanted.has('solutions') && fields.visibility && fields.solutions.length === 0) {
    errors.push({
      field: 'Microsoft_Solutions__r',
      message: `${who} is shared with Microsoft, which needs at least one Microsoft solution — add a solution on the Microsoft Partner Center card.`,
      reason: { code: 'SOLUTION_MISSING', field: 'Microsoft_Solutions__r' },
    });
  }

  return errors;
}
