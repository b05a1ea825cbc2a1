/**
 * The validation the emulator applies to a referral body, from Microsoft's pages (see referral-model.ts for the
 * page list): enum values ([resources]), the required create properties ([create]: type, customerProfile, consent,
 * details are "Required"), the customer country as a two-letter code ([resources] Address.Country; the co-sell
 * connector guide: "It is mandatory to provide a two-letter country code (ISO 3166)"), ISO 4217 currency
 * ([resources] ReferralDetails.Currency), a customer contact and a solution for a co-sell request (co-sell connector
 * guide: "A customer contact must be associated … to create a co-sell referral", "It's mandatory to add at least one
 * co-sell ready or Microsoft solution … before you share it with Microsoft"), and the status/substatus transition
 * table ([create], [update]). Each failure is a 400 with the documented error body ("Partner API REST error codes").
 */
import countries from 'i18n-iso-countries';
import {
  ASSISTANCE_REQUEST_CODES,
  CUSTOMER_ID_TYPES,
  DIRECTIONS,
  QUALIFICATIONS,
  SALES_STAGES,
  STATUSES,
  SUBSTATUSES,
  TARGET_TYPES,
  TRANSITIONS,
  TYPES,
  type Referral,
  type Status,
} from './referral-model.js';
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

/**
 * [create] request body: ReferralType, CustomerProfile, Consent and Details are marked **Required**, and a referral
 * needs its Name.
 */
export function validateCreate(referral: Referral): void {
  if (typeof referral !== 'object' || referral === null || Array.isArray(referral)) {
    throw invalidRequest('The request body must be a referral object.');
  }
  for (const property of ['type', 'customerProfile', 'consent', 'details'] as const) {
    if (referral[property] === undefined || referral[property] === null) {
      throw invalidRequest(`The property '${property}' is required to create a referral.`, property);
    }
  }
  // Not marked Required, but every create sample names the referral and the docs show none without: strict.
  if (typeof referral.name !== 'string' || referral.name.trim() === '') {
    throw invalidRequest('The referral name is required.', 'name');
  }
}

/** The enum values alone ([resources]). */
export function validateEnums(referral: Referral): void {
  checkEnum(referral.status, STATUSES, 'status');
  checkEnum(referral.substatus, SUBSTATUSES, 'substatus');
}

/** Validates the whole resource as it would be stored. */
export function validateReferral(referral: Referral): void {
  if (typeof referral !== 'object' || referral === null || Array.isArray(referral)) {
    throw invalidRequest('The request body must be a referral object.');
  }
  checkEnum(referral.status, STATUSES, 'status');
  checkEnum(referral.substatus, SUBSTATUSES, 'substatus');
  checkEnum(referral.type, TYPES, 'type');
  checkEnum(referral.qualification, QUALIFICATIONS, 'qualification');
  checkEnum(referral.salesStage, SALES_STAGES, 'salesStage');
  checkEnum(referral.direction, DIRECTIONS, 'direction');
  checkEnum(referral.inviteContext?.assistanceRequestCode, ASSISTANCE_REQUEST_CODES, 'inviteContext.assistanceRequestCode');
  for (const [index, id] of (referral.customerProfile?.ids ?? []).entries()) {
    checkEnum(id?.profileType, CUSTOMER_ID_TYPES, `customerProfile.ids[${index}].profileType`);
  }
  for (const [index, target] of (referral.target ?? []).entries()) {
    checkEnum(target?.type, TARGET_TYPES, `target[${index}].type`);
  }

  if (referral.status && referral.substatus) {
    const rule = TRANSITIONS[referral.status];
    if (!rule) {
      throw invalidRequest(`The status '${referral.status}' cannot be set: the transition table has no row for it.`, 'status');
    }
    const allowed = rule.substatuses;
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
export function validateTransition(from: Status | undefined, to: Status | undefined): void {
  if (!from || !to || from === to) return;
  const allowed = TRANSITIONS[from]?.next ?? [];
  if (!allowed.includes(to)) {
    throw invalidRequest(
      `The status cannot change from '${from}' to '${to}'. Allowed transitions from '${from}': ${allowed.join(', ')}.`,
      'status',
    );
  }
}
