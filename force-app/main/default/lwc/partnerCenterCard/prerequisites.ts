/**
 * The co-sell checklist: what Microsoft needs before a deal can be shared as a co-sell request.
 *
 * - a customer contact: at least one Opportunity Contact Role (the connector sends the contact-role contacts);
 * - at least one Microsoft solution (Microsoft_Solution__c row);
 * - the customer account's country, read from the field the settings name (default Account.BillingCountry).
 *   The connector accepts a two-letter ISO code and normalises country names it recognises ("Germany"), so the
 *   card only treats a blank value (or no account at all) as missing and explains the rule.
 *
 * A check whose data could not be read (no access, still loading, request failed) is "unknown": it is shown,
 * but it does not block saving, because the connector validates again and reports in words.
 */
import { cleanText, formatLabel } from 'c/partnerCenterUtils';
import type { CardLabels } from './labels';

export type CheckState = 'met' | 'missing' | 'unknown';
export type PrerequisiteKey = 'contactRole' | 'solution' | 'countryCode';

export interface PrerequisiteFacts {
  /** Number of contact roles; undefined while unknown. */
  contactRoleCount?: number;
  /** Number of Microsoft solutions; undefined while unknown. */
  solutionCount?: number;
  /** Whether the opportunity has an account; undefined while unknown. */
  hasAccount?: boolean;
  /** The account's country value; undefined while unknown (also when the field can't be read). */
  countryValue?: string | null;
  /** Label of the country field for the explanation (falls back to its API name). */
  countryFieldLabel: string;
}

export interface Prerequisite {
  key: PrerequisiteKey;
  state: CheckState;
  label: string;
  hint: string;
  statusText: string;
  iconName: string;
  iconVariant: string;
  className: string;
}

function countState(count: number | undefined): CheckState {
  if (count === undefined) return 'unknown';
  return count > 0 ? 'met' : 'missing';
}

function countryState(facts: PrerequisiteFacts): CheckState {
  if (facts.hasAccount === false) return 'missing';
  if (facts.countryValue === undefined) return 'unknown';
  return cleanText(facts.countryValue) === '' ? 'missing' : 'met';
}

const ICONS: Record<CheckState, { iconName: string; iconVariant: string }> = {
  met: { iconName: 'utility:success', iconVariant: 'success' },
  missing: { iconName: 'utility:warning', iconVariant: 'warning' },
  unknown: { iconName: 'utility:help', iconVariant: '' },
};

function describe(
  key: PrerequisiteKey,
  state: CheckState,
  label: string,
  hint: string,
  labels: CardLabels
): Prerequisite {
  const statusText = { met: labels.prereqMet, missing: labels.prereqMissing, unknown: labels.prereqUnknown }[state];
  return {
    key,
    state,
    label,
    hint: state === 'unknown' ? labels.prereqUnknownHint : hint,
    statusText,
    ...ICONS[state],
    className: `prerequisite prerequisite_${state} slds-var-p-vertical_xx-small`,
  };
}

/** Evaluates the three co-sell prerequisites, in the order the checklist shows them. */
export function evaluatePrerequisites(facts: PrerequisiteFacts, labels: CardLabels): Prerequisite[] {
  const country = countryState(facts);
  const countryHint =
    facts.hasAccount === false ? labels.prereqNoAccount : formatLabel(labels.prereqCountryRule, facts.countryFieldLabel);
  return [
    describe('contactRole', countState(facts.contactRoleCount), labels.prereqContact, labels.prereqContactHint, labels),
    describe('solution', countState(facts.solutionCount), labels.prereqSolution, labels.prereqSolutionHint, labels),
    describe('countryCode', country, formatLabel(labels.prereqCountry, facts.countryFieldLabel), countryHint, labels),
  ];
}

/** The prerequisites that are known to be missing (unknown ones never block). */
export function missingPrerequisites(prerequisites: Prerequisite[]): Prerequisite[] {
  return prerequisites.filter((item) => item.state === 'missing');
}

/**
 * Which Account field (as a UI API field path such as "Account.BillingCountry") holds the country, given the
 * Country_Code_Field__c setting. The setting is a path from the opportunity ("Account.BillingCountry"); a leading
 * "Opportunity." is tolerated and a bare field name is read on Account. Returns undefined for a path that does
 * not start at the account, which the card then reports as "couldn't check".
 */
export function accountCountryField(setting: string | null | undefined): string | undefined {
  const value = cleanText(setting);
  if (value === '') return undefined;
  if (!value.includes('.')) return `Account.${value}`;
  const path = value.startsWith('Opportunity.') ? value.slice('Opportunity.'.length) : value;
  return path.startsWith('Account.') && path.length > 'Account.'.length ? path : undefined;
}

/** The country field's label for the checklist ("Billing Country"), its API name when Account's info is unknown. */
export function countryFieldLabel(field: string | undefined, accountFields?: Record<string, { label?: string }>): string {
  const path = field ?? '';
  const name = path.startsWith('Account.') ? path.slice('Account.'.length) : path;
  return accountFields?.[name]?.label ?? name;
}
