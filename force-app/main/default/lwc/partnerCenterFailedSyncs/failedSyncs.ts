/**
 * The opportunities the connector parked: a final sync failure (a dead letter in the connector) sets the
 * opportunity's Partner_Center_Sync_Status__c to Error — the same filter as the packaged "Co-sell errors" list view —
 * and writes a Partner_Center_Sync_Log__c record with Outcome "Parked" and the reason as data (code + parameters).
 * One GraphQL request reads both: the opportunities in Error, and the parked sync logs of opportunities in Error,
 * newest first, so each opportunity gets the reason of its latest parked attempt.
 */
import { gql } from 'lightning/graphql';
import type { ObjectInfo } from 'lightning/uiObjectInfoApi';
import SYNC_LOG_OBJECT from '@salesforce/schema/Partner_Center_Sync_Log__c';
import LOG_OPPORTUNITY_FIELD from '@salesforce/schema/Partner_Center_Sync_Log__c.Opportunity__c';
import OCCURRED_AT_FIELD from '@salesforce/schema/Partner_Center_Sync_Log__c.Occurred_At__c';
import FAILURE_REASON_FIELD from '@salesforce/schema/Partner_Center_Sync_Log__c.Failure_Reason__c';
import FAILURE_PARAMETERS_FIELD from '@salesforce/schema/Partner_Center_Sync_Log__c.Failure_Parameters__c';
import REASON_CODE_FIELD from '@salesforce/schema/Partner_Center_Sync_Log__c.Reason_Code__c';
import OPPORTUNITY_OBJECT from '@salesforce/schema/Opportunity';
import { apiName, cleanText, formatLabel } from 'c/partnerCenterUtils';
import { describeReason, reasonOf } from 'c/partnerCenterSyncStatus';
import type { FailedSyncsLabels } from './labels';

/** How many failed opportunities the page lists (the query's `first`); the "Co-sell errors" list view shows them all. */
export const PAGE_SIZE = 50;

export const FAILED_SYNCS_QUERY = gql`
  query partnerCenterFailedSyncs {
    uiapi {
      query {
        failed: Opportunity(
          where: { Partner_Center_Sync_Status__c: { eq: "Error" } }
          orderBy: { LastModifiedDate: { order: DESC } }
          first: 50
        ) {
          totalCount
          edges {
            node {
              Id
              Name {
                value
              }
              Account {
                Name {
                  value
                }
              }
            }
          }
        }
        parked: Partner_Center_Sync_Log__c(
          where: { Outcome__c: { eq: "Parked" }, Opportunity__r: { Partner_Center_Sync_Status__c: { eq: "Error" } } }
          orderBy: { Occurred_At__c: { order: DESC } }
          # An opportunity parked again and again has a log per attempt, so ten times the listed opportunities;
          # one whose logs fall outside these shows "no reason recorded" and its sync log link is on the record.
          first: 500
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              Opportunity__c {
                value
              }
              Occurred_At__c {
                value
              }
              Failure_Reason__c {
                value
              }
              Failure_Parameters__c {
                value
              }
              Reason_Code__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;

interface Value {
  value?: unknown;
}

/** A record as GraphQL returns it; package fields are read by their schema imports' (namespaced) names. */
interface RecordNode {
  Id: string;
  Name?: Value;
  Account?: { Name?: Value } | null;
  [field: string]: Value | { Name?: Value } | string | null | undefined;
}

interface Connection {
  totalCount?: number;
  edges?: Array<{ node?: RecordNode | null } | null>;
}

export interface FailedSyncsData {
  uiapi?: { query?: { failed?: Connection; parked?: Connection } };
}

export interface FailedSyncRow {
  id: string;
  name: string;
  url: string;
  accountName: string;
  /** The reason in the user's language, from the same labels as the card. */
  reason: string;
  /** The connector's technical code (FIELD_VALIDATION, PC_404 …), for the admin. */
  code: string;
  failedAt: string;
  logUrl: string;
  logLabel: string;
}

const text = (node: RecordNode | null | undefined, ref: { fieldApiName?: string }): string =>
  cleanText((node?.[apiName(ref)] as Value | undefined)?.value);

const nodes = (connection: Connection | undefined): RecordNode[] =>
  (connection?.edges ?? []).map((edge) => edge?.node).filter((node): node is RecordNode => Boolean(node?.Id));

/** Each failed opportunity with the reason of its newest parked sync log. */
export function failedSyncRows(data: FailedSyncsData | undefined, infos: Record<string, ObjectInfo | undefined>, labels: FailedSyncsLabels): FailedSyncRow[] {
  const newestLog = new Map<string, RecordNode>();
  for (const log of nodes(data?.uiapi?.query?.parked)) {
    const opportunityId = text(log, LOG_OPPORTUNITY_FIELD);
    // Newest first: the first log of an opportunity is its latest parked attempt.
    if (opportunityId && !newestLog.has(opportunityId)) newestLog.set(opportunityId, log);
  }
  return nodes(data?.uiapi?.query?.failed).map((opportunity) => {
    const log = newestLog.get(opportunity.Id);
    const code = text(log, FAILURE_REASON_FIELD);
    const name = cleanText(opportunity.Name?.value) || opportunity.Id;
    const logName = cleanText(log?.Name?.value);
    return {
      id: opportunity.Id,
      name,
      url: `/lightning/r/${OPPORTUNITY_OBJECT.objectApiName}/${opportunity.Id}/view`,
      accountName: cleanText(opportunity.Account?.Name?.value),
      reason: code ? describeReason(reasonOf(code, text(log, FAILURE_PARAMETERS_FIELD), infos)).text : labels.noReason,
      code: text(log, REASON_CODE_FIELD),
      failedAt: text(log, OCCURRED_AT_FIELD),
      logUrl: log ? `/lightning/r/${SYNC_LOG_OBJECT.objectApiName}/${log.Id}/view` : '',
      logLabel: log ? formatLabel(labels.viewLog, logName || log.Id) : '',
    };
  });
}

/** How many opportunities are in Error, listed or not. */
export function failedCount(data: FailedSyncsData | undefined): number {
  const failed = data?.uiapi?.query?.failed;
  return failed?.totalCount ?? nodes(failed).length;
}
