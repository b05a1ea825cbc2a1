/**
 * The validation Partner Center applies to a referral body, reduced to the rules the connector depends on
 * (shared/reference/partner-center-api.md, "Errors and limits"): customer country as ISO 3166 alpha-2, a co-sell
 * (Shared) referral needs a customer contact and a solution, enum values, ISO 4217 currency, and the
 * status/substatus transition table. Each failure is a 400 with the documented error body.
 */
import countries from 'i18n-iso-countries';
import {
  ASSISTANCE_REQUEST_CODES,
  DIRECTIONS,
  QUALIFICATIONS,
  REFERRAL_STATUSES,
  REFERRAL_SUBSTATUSES,
  REFERRAL_TYPES,
  SALES_STAGES,
  STATUS_RULES,
  type Referral,
  type ReferralStatus,
} from '../../connector/partner-center/types.js';
import { invalidRequest } from './errors.js';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

function checkEnum(value: unknown, allowed: readonly string[], target: string): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw invalidRequest(
      `The value '${String(value)}' is not valid for ${target}. Allowed values: ${allowed.join(', ')}.`,
      target,
    );
  }
}

function checkDate(value: unknown, target: string): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw invalidRequest(`The value '${String(value)}' for ${target} is not a valid UTC date-time.`, target);
  }
}

export function isIsoCountryCode(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z]{2}$/.test(value) && countries.isValid(value);
}

/** Coerces `details.dealValue` the way the API does (its own PATCH sample sends "10000" as a string). */
export function normalizeDealValue(referral: Referral): void {
  const details = referral.details;
  if (!details || details.dealValue === undefined || details.dealValue === null) return;
  const raw: unknown = details.dealValue;
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidRequest(`The deal value '${String(raw)}' must be a non-negative decimal number.`, 'details.dealValue');
  }
  details.dealValue = value;
}

/** Validates the whole resource as it would be stored. */
export function validateReferral(referral: Referral): void {
  if (typeof referral !== 'object' || referral === null || Array.isArray(referral)) {
    throw invalidRequest('The request body must be a referral object.');
  }
  if (typeof referral.name !== 'string' || referral.name.trim() === '') {
    throw invalidRequest('The referral name is required.', 'name');
  }
  checkEnum(referral.status, REFERRAL_STATUSES, 'status');
  checkEnum(referral.substatus, REFERRAL_SUBSTATUSES, 'substatus');
  checkEnum(referral.type, REFERRAL_TYPES, 'type');
  checkEnum(referral.qualification, QUALIFICATIONS, 'qualification');
  checkEnum(referral.salesStage, SALES_STAGES, 'salesStage');
  checkEnum(referral.direction, DIRECTIONS, 'direction');
  checkEnum(referral.inviteContext?.assistanceRequestCode, ASSISTANCE_REQUEST_CODES, 'inviteContext.assistanceRequestCode');
  for (const [index, id] of (referral.customerProfile?.ids ?? []).entries()) {
    checkEnum(id?.profileType, ['Duns', 'External'], `customerProfile.ids[${index}].profileType`);
  }

  if (referral.status && referral.substatus) {
    const allowed = STATUS_RULES[referral.status].substatuses;
    if (!allowed.includes(referral.substatus)) {
      throw invalidRequest(
        `The substatus '${referral.substatus}' is not allowed for status '${referral.status}'. Allowed substatus: ${allowed.join(', ')}.`,
        'substatus',
      );
    }
  }

  const customer = referral.customerProfile;
  if (!customer || typeof customer.name !== 'string' || customer.name.trim() === '') {
    throw invalidRequest('The customer name is required.', 'customerProfile.name');
  }
  const country = customer.address?.country;
  if (country === undefined || country === null || country === '') {
    throw invalidRequest(
      'The customer country is required. Provide customerProfile.address.country as an ISO 3166-1 alpha-2 code, for example US.',
      'customerProfile.address.country',
    );
  }
  if (!isIsoCountryCode(country)) {
    throw invalidRequest(
      `The customer country '${String(country)}' is not a valid ISO 3166-1 alpha-2 code (for example US or DE).`,
      'customerProfile.address.country',
    );
  }

  normalizeDealValue(referral);
  const currency = referral.details?.currency;
  if (currency !== undefined && currency !== null && (typeof currency !== 'string' || !CURRENCIES.has(currency))) {
    throw invalidRequest(`The currency '${String(currency)}' is not a valid ISO 4217 currency code.`, 'details.currency');
  }
  checkDate(referral.details?.closingDateTime, 'details.closingDateTime');

  if (referral.type === 'Shared') {
    const contacts = (customer.team ?? []).filter((c) => typeof c?.email === 'string' && c.email.includes('@'));
    if (contacts.length === 0) {
      throw invalidRequest(
        'A co-sell referral shared with Microsoft requires at least one customer contact with an email address.',
        'customerProfile.team',
      );
    }
    const solutions = referral.details?.requirements?.solutions ?? [];
    if (!solutions.some((s) => typeof s?.id === 'string' && s.id !== '')) {
      throw invalidRequest(
        'A co-sell referral shared with Microsoft requires at least one solution in details.requirements.solutions.',
        'details.requirements.solutions',
      );
    }
  }
}

/** Enforces the documented status transition table between two stored versions. */
export function validateTransition(from: ReferralStatus | undefined, to: ReferralStatus | undefined): void {
  if (!from || !to || from === to) return;
  const allowed = STATUS_RULES[from].next;
  if (!allowed.includes(to)) {
    throw invalidRequest(
      `The status cannot change from '${from}' to '${to}'. Allowed transitions from '${from}': ${allowed.join(', ')}.`,
      'status',
    );
  }
}
