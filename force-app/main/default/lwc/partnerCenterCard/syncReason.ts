/**
 * The reason of the latest failed sync, read from the opportunity's newest Partner_Center_Sync_Log__c record: a code
 * and parameters (field, record name, expected value, value) the connector wrote beside its English message. The
 * card turns it into the user's language (c-partner-center-sync-status); the message stays for admins.
 */
import type { RelatedListRecordCollection } from 'lightning/uiRelatedListApi';
import type { ObjectInfo } from 'lightning/uiObjectInfoApi';
import { cleanText, packageApiName } from 'c/partnerCenterUtils';
// Parameters and field labels are read as the setup page's failed-syncs list reads them.
import { reasonOf } from 'c/partnerCenterSyncStatus';
import OUTCOME_FIELD from '@salesforce/schema/Partner_Center_Sync_Log__c.Outcome__c';
import FAILURE_REASON_FIELD from '@salesforce/schema/Partner_Center_Sync_Log__c.Failure_Reason__c';
import FAILURE_PARAMETERS_FIELD from '@salesforce/schema/Partner_Center_Sync_Log__c.Failure_Parameters__c';
import OCCURRED_AT_FIELD from '@salesforce/schema/Partner_Center_Sync_Log__c.Occurred_At__c';

type FieldRef = { objectApiName: string; fieldApiName?: string };
const qualified = (ref: FieldRef): string => `${ref.objectApiName}.${ref.fieldApiName ?? ''}`;

/** The related list of sync log records on Opportunity (a child relationship: no schema import carries it). */
export const SYNC_LOG_LIST = packageApiName('Partner_Center_Sync_Logs__r');
export const SYNC_LOG_FIELDS = [OUTCOME_FIELD, FAILURE_REASON_FIELD, FAILURE_PARAMETERS_FIELD, OCCURRED_AT_FIELD].map(qualified);
/** Newest first: only the latest attempt says what is wrong now. */
export const SYNC_LOG_SORT = [`-${qualified(OCCURRED_AT_FIELD)}`];

const FAILED_OUTCOMES = ['Error', 'Parked'];

/** What the sync status shows: the reason's code and its parameters, the field as a label in the user's language. */
export interface CardReason {
  code: string;
  fieldLabel?: string;
  record?: string;
  expected?: string;
  value?: string;
}

/** The reason of the newest sync log record when that attempt failed and says why; otherwise undefined. */
export function latestFailureReason(
  logs: RelatedListRecordCollection | undefined,
  infos: Record<string, ObjectInfo | undefined>
): CardReason | undefined {
  const latest = logs?.records?.[0];
  const value = (field: FieldRef) => cleanText(latest?.fields?.[field.fieldApiName ?? '']?.value);
  // Error: a failure that is retried; Parked: the final one, now waiting for a fix.
  if (!latest || !FAILED_OUTCOMES.includes(value(OUTCOME_FIELD))) return undefined;
  const code = value(FAILURE_REASON_FIELD);
  if (code === '') return undefined;
  return reasonOf(code, value(FAILURE_PARAMETERS_FIELD), infos);
}
