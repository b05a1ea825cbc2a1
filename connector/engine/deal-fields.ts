/**
 * One vocabulary for both sides: the synced facts of a deal ("sync fields"), read from an Opportunity or from a
 * Referral into the same Partner Center-shaped values. Outbound diffs, inbound updates, ownership and the
 * loop-prevention fingerprints all compare these, so "what changed" means the same thing everywhere.
 */
import type {
  Address,
  AssistanceRequestCode,
  CustomerContact,
  Referral,
  ReferralSolution,
} from '../model/referral.js';
import { stripStatusMark } from './audit.js';
import { toCountryCode } from './country-code.js';
import { toCurrencyCode } from './currency-code.js';
import { fieldOf, readField } from './field-paths.js';
import {
  currencyFieldUnavailable,
  subRecords,
  text,
  type OpportunityRecord,
  type OrgContext,
} from './salesforce-records.js';
import type { Settings } from './org-settings.js';

export const SYNC_FIELDS = [
  'name',
  'dealValue',
  'currency',
  'closeDate',
  'notes',
  'customer',
  'customerContacts',
  'solutions',
  'help',
  'visibility',
  'status',
  'microsoftCrmId',
] as const;
export type SyncField = (typeof SYNC_FIELDS)[number];

export interface DealFields {
  name: string | null;
  dealValue: number | null;
  currency: string | null;
  /** YYYY-MM-DD; Partner Center's closingDateTime is that day at 00:00 UTC. */
  closeDate: string | null;
  notes: string | null;
  customer: { name: string | null; address: Address };
  /** Customer contacts, primary first. */
  customerContacts: CustomerContact[];
  solutions: ReferralSolution[];
  help: AssistanceRequestCode | null;
  visibility: boolean;
  /** Side-specific: the Salesforce stage, or the Partner Center status/substatus. Compared per side only. */
  status: string | null;
  microsoftCrmId: string | null;
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined && v !== '')) as T;
}

function numberOrNull(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/** The UTC calendar day of an ISO date or date-time, or null. */
export function utcDay(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Number.isNaN(Date.parse(value)) ? null : value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 10);
}

/** Salesforce BillingStreet is one multi-line field; Partner Center has two lines. */
export function splitStreet(street: string | null): Pick<Address, 'addressLine1' | 'addressLine2'> {
  if (!street) return {};
  const [first, ...rest] = street.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  return compact({ addressLine1: first, addressLine2: rest.join(', ') });
}

export function opportunityCurrency(opportunity: OpportunityRecord, settings: Settings, org?: OrgContext): unknown {
  if (currencyFieldUnavailable(settings.currencyField, org)) return org?.orgCurrency ?? null;
  const raw = readField(opportunity, fieldOf(settings.currencyField, 'Opportunity'));
  return raw === null || raw === undefined || raw === '' ? (org?.orgCurrency ?? null) : raw;
}

export function dealFieldsFromOpportunity(opportunity: OpportunityRecord, settings: Settings, org?: OrgContext): DealFields {
  const account = opportunity.Account ?? null;
  const rawCountry = text(readField(account, fieldOf(settings.countryCodeField, 'Account')));
  const rawCurrency = opportunityCurrency(opportunity, settings, org);
  const help = text(opportunity.Microsoft_Help__c) as AssistanceRequestCode | null;
  const roles = subRecords(opportunity.OpportunityContactRoles)
    .map((role, index) => ({ role, index }))
    // Primary first, then in the order Salesforce returned them.
    .sort((a, b) => Number(b.role.IsPrimary === true) - Number(a.role.IsPrimary === true) || a.index - b.index);
  return {
    name: text(stripStatusMark(opportunity.Name ?? '')),
    dealValue: numberOrNull(readField(opportunity, fieldOf(settings.dealValueField, 'Opportunity'))),
    currency: toCurrencyCode(rawCurrency) ?? text(rawCurrency),
    closeDate: utcDay(opportunity.CloseDate),
    notes: text(opportunity.Description),
    customer: {
      name: text(account?.Name),
      address: compact({
        ...splitStreet(text(account?.BillingStreet)),
        city: text(account?.BillingCity),
        state: text(account?.BillingState),
        postalCode: text(account?.BillingPostalCode),
        country: rawCountry === null ? null : (toCountryCode(rawCountry) ?? rawCountry),
      }) as Address,
    },
    customerContacts: roles
      .filter(({ role }) => role.Contact)
      .map(({ role }) =>
        compact({
          firstName: text(role.Contact?.FirstName),
          lastName: text(role.Contact?.LastName),
          email: text(role.Contact?.Email),
          phoneNumber: text(role.Contact?.Phone),
          title: text(role.Contact?.Title),
        }) as CustomerContact,
      ),
    solutions: subRecords(opportunity.Microsoft_Solutions__r)
      .filter((s) => text(s.Solution_Id__c) !== null)
      .map((s) =>
        // `type: "Name"` as in Partner Center's documented create-referral sample.
        compact({ id: text(s.Solution_Id__c), name: text(s.Solution_Name__c), publisherName: text(s.Publisher_Name__c), type: 'Name' }) as ReferralSolution,
      ),
    help,
    // Help implies visibility (spec: "Implied true when help is requested").
    visibility: opportunity.Visible_To_Microsoft_Sellers__c === true || help !== null,
    status: `${opportunity.StageName ?? ''}|closed=${opportunity.IsClosed === true}|won=${opportunity.IsWon === true}`,
    microsoftCrmId: text(opportunity.Microsoft_CRM_Id__c),
  };
}

export function dealFieldsFromReferral(referral: Referral): DealFields {
  const code = referral.inviteContext?.assistanceRequestCode;
  const address = referral.customerProfile?.address ?? {};
  return {
    name: text(referral.name),
    dealValue: numberOrNull(referral.details?.dealValue),
    currency: toCurrencyCode(referral.details?.currency) ?? text(referral.details?.currency),
    closeDate: utcDay(referral.details?.closingDateTime),
    notes: text(referral.details?.notes),
    customer: {
      name: text(referral.customerProfile?.name),
      address: compact({
        addressLine1: text(address.addressLine1),
        addressLine2: text(address.addressLine2),
        city: text(address.city),
        state: text(address.state),
        postalCode: text(address.postalCode),
        country: text(address.country)?.toUpperCase(),
      }) as Address,
    },
    customerContacts: (referral.customerProfile?.team ?? []).map(
      (c) =>
        compact({
          firstName: text(c.firstName),
          lastName: text(c.lastName),
          email: text(c.email),
          phoneNumber: text(c.phoneNumber),
          title: text(c.title),
        }) as CustomerContact,
    ),
    solutions: (referral.details?.requirements?.solutions ?? []).filter((s) => text(s?.id) !== null),
    help: code && code !== 'Unknown' ? code : null,
    visibility: referral.consent?.consentToShareReferralWithMicrosoftSellers === true,
    status: referral.status ? `${referral.status}/${referral.substatus ?? ''}` : null,
    microsoftCrmId: text(referral.trackingInfo?.microsoftMsxId),
  };
}

const lower = (v: string | null | undefined) => (v ?? '').trim().toLowerCase();

/**
 * The value as compared and fingerprinted: formatting Partner Center or Salesforce may add on its own (case,
 * whitespace, extra solution properties, contact order) must not look like a change, or sync would loop.
 */
export function comparable(field: SyncField, fields: DealFields): unknown {
  switch (field) {
    case 'name':
      return (fields.name ?? '').replace(/\s+/g, ' ').trim();
    case 'dealValue':
      return fields.dealValue === null ? null : Math.round(fields.dealValue * 100) / 100;
    case 'notes':
      return (fields.notes ?? '').replace(/\r\n/g, '\n').trim();
    case 'customer': {
      const a = fields.customer.address;
      return [fields.customer.name, a.addressLine1, a.addressLine2, a.city, a.state, a.postalCode, a.country].map(lower);
    }
    case 'customerContacts':
      return fields.customerContacts
        .map((c) => [lower(c.email), c.firstName ?? '', c.lastName ?? '', c.phoneNumber ?? '', c.title ?? ''])
        .sort((x, y) => (x.join('\u0000') < y.join('\u0000') ? -1 : 1));
    case 'solutions':
      return [...new Set(fields.solutions.map((s) => s.id.trim().toUpperCase()))].sort();
    default:
      return fields[field];
  }
}

export function sameField(field: SyncField, a: DealFields, b: DealFields): boolean {
  return JSON.stringify(comparable(field, a)) === JSON.stringify(comparable(field, b));
}
