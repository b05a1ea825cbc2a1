/**
 * Each failure reason code the connector sends (connector/engine/failure-reasons.ts), in the user's language, with
 * the action that fixes it. Placeholders: {0} the field's label, {1} the record's name, {2} the expected value,
 * {3} the value found. test/metadata checks that every code the connector can send is here.
 */
import type { ObjectInfo } from 'lightning/uiObjectInfoApi';
import { formatLabel, packageApiName } from 'c/partnerCenterUtils';
import nameMissing from '@salesforce/label/c.PC_Reason_Name_Missing';
import accountMissing from '@salesforce/label/c.PC_Reason_Account_Missing';
import countryMissing from '@salesforce/label/c.PC_Reason_Country_Missing';
import countryUnknown from '@salesforce/label/c.PC_Reason_Country_Unknown';
import closeDateMissing from '@salesforce/label/c.PC_Reason_Close_Date_Missing';
import dealValueMissing from '@salesforce/label/c.PC_Reason_Deal_Value_Missing';
import dealValueNegative from '@salesforce/label/c.PC_Reason_Deal_Value_Negative';
import currencyMissing from '@salesforce/label/c.PC_Reason_Currency_Missing';
import currencyUnknown from '@salesforce/label/c.PC_Reason_Currency_Unknown';
import helpUnknown from '@salesforce/label/c.PC_Reason_Help_Unknown';
import contactMissing from '@salesforce/label/c.PC_Reason_Contact_Missing';
import contactEmailMissing from '@salesforce/label/c.PC_Reason_Contact_Email_Missing';
import solutionMissing from '@salesforce/label/c.PC_Reason_Solution_Missing';
import helpCannotBeRemoved from '@salesforce/label/c.PC_Reason_Help_Cannot_Be_Removed';
import sharingCannotBeWithdrawn from '@salesforce/label/c.PC_Reason_Sharing_Cannot_Be_Withdrawn';
import stageNotAllowed from '@salesforce/label/c.PC_Reason_Stage_Not_Allowed';
import referralCloseDateMissing from '@salesforce/label/c.PC_Reason_Referral_Close_Date_Missing';
import partnerCenterRejected from '@salesforce/label/c.PC_Reason_Partner_Center_Rejected';
import referralNotFound from '@salesforce/label/c.PC_Reason_Referral_Not_Found';
import temporaryFailure from '@salesforce/label/c.PC_Reason_Temporary_Failure';
import salesforceRejected from '@salesforce/label/c.PC_Reason_Salesforce_Rejected';
import setupRequired from '@salesforce/label/c.PC_Reason_Setup_Required';
import connectorError from '@salesforce/label/c.PC_Reason_Connector_Error';
import fixOpenAccount from '@salesforce/label/c.PC_Fix_Open_Account';
import fixAddContactRole from '@salesforce/label/c.PC_Fix_Add_Contact_Role';
import fixAddSolution from '@salesforce/label/c.PC_Fix_Add_Solution';
import fixEditOpportunity from '@salesforce/label/c.PC_Fix_Edit_Opportunity';

export type FixAction = 'openAccount' | 'addContactRole' | 'addSolution' | 'editOpportunity';

export interface Reason {
  code: string;
  fieldLabel?: string;
  record?: string;
  expected?: string;
  value?: string;
}

/** The text of each code and, where the seller can fix it, the action that does. */
export const REASON_TEXTS: Record<string, { text: string; fix?: FixAction }> = {
  NAME_MISSING: { text: nameMissing, fix: 'editOpportunity' },
  ACCOUNT_MISSING: { text: accountMissing, fix: 'editOpportunity' },
  COUNTRY_MISSING: { text: countryMissing, fix: 'openAccount' },
  COUNTRY_UNKNOWN: { text: countryUnknown, fix: 'openAccount' },
  CLOSE_DATE_MISSING: { text: closeDateMissing, fix: 'editOpportunity' },
  DEAL_VALUE_MISSING: { text: dealValueMissing, fix: 'editOpportunity' },
  DEAL_VALUE_NEGATIVE: { text: dealValueNegative, fix: 'editOpportunity' },
  CURRENCY_MISSING: { text: currencyMissing, fix: 'editOpportunity' },
  CURRENCY_UNKNOWN: { text: currencyUnknown, fix: 'editOpportunity' },
  // The help picker and the visibility switch are on the card itself: the text says what to pick.
  HELP_UNKNOWN: { text: helpUnknown },
  CONTACT_MISSING: { text: contactMissing, fix: 'addContactRole' },
  CONTACT_EMAIL_MISSING: { text: contactEmailMissing, fix: 'addContactRole' },
  SOLUTION_MISSING: { text: solutionMissing, fix: 'addSolution' },
  HELP_CANNOT_BE_REMOVED: { text: helpCannotBeRemoved },
  SHARING_CANNOT_BE_WITHDRAWN: { text: sharingCannotBeWithdrawn },
  STAGE_NOT_ALLOWED: { text: stageNotAllowed, fix: 'editOpportunity' },
  REFERRAL_CLOSE_DATE_MISSING: { text: referralCloseDateMissing },
  PARTNER_CENTER_REJECTED: { text: partnerCenterRejected },
  REFERRAL_NOT_FOUND: { text: referralNotFound },
  TEMPORARY_FAILURE: { text: temporaryFailure },
  SALESFORCE_REJECTED: { text: salesforceRejected },
  SETUP_REQUIRED: { text: setupRequired },
  CONNECTOR_ERROR: { text: connectorError },
};

export const FIX_LABELS: Record<FixAction, string> = {
  openAccount: fixOpenAccount,
  addContactRole: fixAddContactRole,
  addSolution: fixAddSolution,
  editOpportunity: fixEditOpportunity,
};

/** The reason in words (a code newer than this package reads as an unexpected problem) and its fix, if any. */
export function describeReason(reason: Reason): { text: string; fix?: FixAction; fixLabel?: string } {
  const entry = REASON_TEXTS[reason.code] ?? REASON_TEXTS.CONNECTOR_ERROR;
  const text = formatLabel(entry.text, reason.fieldLabel ?? '', reason.record ?? '', reason.expected ?? '', reason.value ?? '');
  return entry.fix ? { text, fix: entry.fix, fixLabel: FIX_LABELS[entry.fix] } : { text };
}

/**
 * The field's label in the user's language from the object info UI API returned: `Account.BillingCountry` →
 * "Billing Country" (Rechnungsland, …). A package field is looked up under the org's namespaced name too; a path the
 * card has no info for shows its last part, never nothing.
 */
export function fieldLabelOf(path: string | undefined, infos: Record<string, ObjectInfo | undefined>): string | undefined {
  if (!path) return undefined;
  const [objectName, fieldName] = path.includes('.') ? path.split('.', 2) : ['Opportunity', path];
  const fields = infos[objectName]?.fields ?? {};
  return fields[fieldName]?.label ?? fields[packageApiName(fieldName)]?.label ?? fieldName;
}

interface ReasonParameters {
  field?: string;
  record?: string;
  expected?: string;
  value?: string;
}

function parameters(text: string): ReasonParameters {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as ReasonParameters) : {};
  } catch {
    return {};
  }
}

/**
 * A sync log record's reason as the sync status shows it: its code, and its parameters (Failure_Parameters__c, JSON)
 * with the field as a label in the user's language.
 */
export function reasonOf(code: string, parametersJson: string, infos: Record<string, ObjectInfo | undefined>): Reason {
  const params = parameters(parametersJson);
  return { code, fieldLabel: fieldLabelOf(params.field, infos), record: params.record, expected: params.expected, value: params.value };
}
