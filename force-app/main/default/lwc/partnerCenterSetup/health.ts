/**
 * The "before you start" checklist and the recent sync errors on the setup page.
 *
 * How each prerequisite is detected, with Lightning Data Service only:
 * - Notes: when Notes is enabled, Opportunity has the AttachedContentNotes child relationship (the read-only
 *   AttachedContentNote object exists only then), visible in the Opportunity object info.
 * - Opportunity Teams: when enabled, Opportunity has the OpportunityTeamMembers child relationship
 *   (OpportunityTeamMember exists only then).
 * - Permission sets: the admin may edit Partner_Center_Settings__c (object info), which only Partner Center Admin grants.
 * - Named credential URL: the connection check flow's callout got an answer from the connector.
 * - Syncs arriving (shown with the connection): the newest Partner_Center_Sync_Log__c with Outcome "Success" is no older than
 *   CONNECTOR_HEALTHY_HOURS. The connector writes a log record for every exchange, so a recent success proves that
 *   Salesforce reached it (or it reached Salesforce) and that its credentials work.
 * A relationship that is not found is reported as "not detected" with a link to the Setup page that turns the
 * feature on, since an admin may also lack access to the related object.
 */
import { gql } from 'lightning/graphql';
import type { ObjectInfo } from 'lightning/uiObjectInfoApi';
import SYNC_LOG_OBJECT from '@salesforce/schema/Partner_Center_Sync_Log__c';
import OCCURRED_AT_FIELD from '@salesforce/schema/Partner_Center_Sync_Log__c.Occurred_At__c';
import OUTCOME_FIELD from '@salesforce/schema/Partner_Center_Sync_Log__c.Outcome__c';
import OPERATION_FIELD from '@salesforce/schema/Partner_Center_Sync_Log__c.Operation__c';
import MESSAGE_FIELD from '@salesforce/schema/Partner_Center_Sync_Log__c.Message__c';
import REFERRAL_ID_FIELD from '@salesforce/schema/Partner_Center_Sync_Log__c.Referral_Id__c';
import OPPORTUNITY_FIELD from '@salesforce/schema/Partner_Center_Sync_Log__c.Opportunity__c';
import OPPORTUNITY_NAME_FIELD from '@salesforce/schema/Partner_Center_Sync_Log__c.Opportunity__r.Name';
import { cleanText, formatLabel } from 'c/partnerCenterUtils';
import type { SetupLabels } from './labels';

/** A successful sync no older than this counts as "connector reachable". */
export const CONNECTOR_HEALTHY_HOURS = 24;

export const NOTES_SETUP_URL = '/lightning/setup/NotesSetupPage/home';
export const TEAMS_SETUP_URL = '/lightning/setup/OpportunityTeamMemberSettings/home';

export const SYNC_HEALTH_QUERY = gql`
  query partnerCenterSyncHealth {
    uiapi {
      query {
        lastSuccess: Partner_Center_Sync_Log__c(
          where: { Outcome__c: { eq: "Success" } }
          orderBy: { Occurred_At__c: { order: DESC } }
          first: 1
        ) {
          edges {
            node {
              Id
              Occurred_At__c {
                value
              }
            }
          }
        }
        recentErrors: Partner_Center_Sync_Log__c(
          where: { Outcome__c: { in: ["Error", "Parked"] } }
          orderBy: { Occurred_At__c: { order: DESC } }
          # the ten newest failures
          first: 10
        ) {
          edges {
            node {
              Id
              Name {
                value
              }
              Occurred_At__c {
                value
              }
              Outcome__c {
                value
                displayValue
              }
              Operation__c {
                value
              }
              Message__c {
                value
              }
              Referral_Id__c {
                value
              }
              Opportunity__c {
                value
              }
              Opportunity__r {
                Name {
                  value
                }
              }
            }
          }
        }
      }
    }
  }
`;

interface Value<T = string> {
  value?: T | null;
  displayValue?: string | null;
}

/**
 * A sync log record as GraphQL returns it. The platform namespaces the names in the query, so the package's fields
 * are read with the names of their schema imports (which carry the same prefix), never plain strings.
 */
interface LogNode {
  Id: string;
  Name?: Value;
  [logField: string]: Value | { Name?: Value } | string | null | undefined;
}

const valueOf = (node: LogNode | undefined, ref: { fieldApiName?: string }): Value | undefined =>
  node?.[ref.fieldApiName ?? ''] as Value | undefined;

/** The opportunity's name through the Opportunity__r relationship (`ns__Opportunity__r.Name` → `ns__Opportunity__r`). */
const opportunityNameOf = (node: LogNode): Value | undefined => {
  const relationship = (OPPORTUNITY_NAME_FIELD.fieldApiName ?? '').split('.')[0];
  return (node[relationship] as { Name?: Value } | null | undefined)?.Name;
};

export interface SyncHealthData {
  uiapi?: {
    query?: {
      lastSuccess?: { edges?: Array<{ node?: LogNode }> };
      recentErrors?: { edges?: Array<{ node?: LogNode }> };
    };
  };
}

export type CheckState = 'ok' | 'missing' | 'unknown';

export interface Check {
  key: 'notes' | 'teams' | 'permissions' | 'namedCredential' | 'connector';
  state: CheckState;
  label: string;
  detail: string;
  /** ISO time of the last successful sync, shown with the connector check. */
  time?: string;
  linkUrl?: string;
  linkLabel?: string;
  iconName: string;
  iconVariant: string;
  statusText: string;
  className: string;
}

const ICONS: Record<CheckState, { iconName: string; iconVariant: string }> = {
  ok: { iconName: 'utility:success', iconVariant: 'success' },
  // A failed check is an error icon with "Fail" beside it, never a warning that reads like a pass.
  missing: { iconName: 'utility:error', iconVariant: 'error' },
  unknown: { iconName: 'utility:help', iconVariant: '' },
};

function check(key: Check['key'], state: CheckState, fields: Omit<Check, 'key' | 'state' | 'iconName' | 'iconVariant' | 'statusText' | 'className'>, labels: SetupLabels): Check {
  const statusText = { ok: labels.statusOk, missing: labels.statusMissing, unknown: labels.statusUnknown }[state];
  return { key, state, ...fields, ...ICONS[state], statusText, className: `check check_${state} slds-var-p-vertical_x-small` };
}

function hasChildRelationship(info: ObjectInfo | undefined, relationshipName: string): boolean | undefined {
  if (!info) return undefined;
  return (info.childRelationships ?? []).some((relationship) => relationship.relationshipName === relationshipName);
}

export interface HealthFacts {
  opportunityInfo?: ObjectInfo;
  /** The sync log query result; undefined while loading. */
  health?: SyncHealthData;
  /** True when the sync log could not be read. */
  healthFailed: boolean;
  /** Current time in ms (injected so tests control it). */
  now: number;
  /** The admin may edit the settings (the Partner Center Admin permission set); undefined while loading. */
  canEditSettings?: boolean;
  /** From the connection check: the named credential's URL reached the connector. */
  namedCredential?: CheckState;
}

export const PERMISSION_SETS_URL = '/lightning/setup/PermSets/home';
export const NAMED_CREDENTIALS_URL = '/lightning/setup/NamedCredential/home';

export function lastSuccessTime(health: SyncHealthData | undefined): string | undefined {
  const value = valueOf(health?.uiapi?.query?.lastSuccess?.edges?.[0]?.node, OCCURRED_AT_FIELD)?.value;
  return cleanText(value) || undefined;
}

/** Whether syncs are arriving: the newest successful sync log is less than a day old. */
export function connectorCheck(facts: HealthFacts, labels: SetupLabels): Check {
  if (facts.healthFailed) return check('connector', 'unknown', { label: labels.prereqConnector, detail: labels.prereqConnectorUnknown }, labels);
  if (!facts.health) return check('connector', 'unknown', { label: labels.prereqConnector, detail: labels.loading }, labels);
  const time = lastSuccessTime(facts.health);
  const age = time ? facts.now - Date.parse(time) : Number.NaN;
  if (!time || Number.isNaN(age)) return check('connector', 'missing', { label: labels.prereqConnector, detail: labels.prereqConnectorNever }, labels);
  if (age > CONNECTOR_HEALTHY_HOURS * 3600 * 1000) {
    return check(
      'connector',
      'missing',
      { label: labels.prereqConnector, detail: formatLabel(labels.prereqConnectorStale, CONNECTOR_HEALTHY_HOURS), time },
      labels
    );
  }
  return check('connector', 'ok', { label: labels.prereqConnector, detail: labels.prereqConnectorOk, time }, labels);
}

/** What must be in place before anything else, in order: Notes, Opportunity Teams, permission sets, the named credential URL. */
export function prerequisiteChecks(facts: HealthFacts, labels: SetupLabels): Check[] {
  const notes = hasChildRelationship(facts.opportunityInfo, 'AttachedContentNotes');
  const teams = hasChildRelationship(facts.opportunityInfo, 'OpportunityTeamMembers');
  const stateOf = (found: boolean | undefined): CheckState => (found === undefined ? 'unknown' : found ? 'ok' : 'missing');
  return [
    check(
      'notes',
      stateOf(notes),
      { label: labels.prereqNotes, detail: labels.prereqNotesHow, linkUrl: NOTES_SETUP_URL, linkLabel: labels.openNotesSettings },
      labels
    ),
    check(
      'teams',
      stateOf(teams),
      { label: labels.prereqTeams, detail: labels.prereqTeamsHow, linkUrl: TEAMS_SETUP_URL, linkLabel: labels.openTeamSettings },
      labels
    ),
    check(
      'permissions',
      stateOf(facts.canEditSettings),
      { label: labels.prereqPermissions, detail: labels.prereqPermissionsHow, linkUrl: PERMISSION_SETS_URL, linkLabel: labels.openPermissionSets },
      labels
    ),
    check(
      'namedCredential',
      facts.namedCredential ?? 'unknown',
      {
        label: labels.prereqNamedCredential,
        detail: labels.prereqNamedCredentialHow,
        linkUrl: NAMED_CREDENTIALS_URL,
        linkLabel: labels.openNamedCredentials,
      },
      labels
    ),
  ];
}

export interface SyncErrorRow {
  id: string;
  name: string;
  time: string;
  outcome: string;
  operation: string;
  message: string;
  opportunityName: string;
  opportunityUrl: string;
  logUrl: string;
  logLinkLabel: string;
}

export function recentErrors(health: SyncHealthData | undefined, labels: SetupLabels): SyncErrorRow[] {
  const edges = health?.uiapi?.query?.recentErrors?.edges ?? [];
  return edges
    .map((edge) => edge?.node)
    .filter((node): node is LogNode => Boolean(node?.Id))
    .map((node) => {
      const opportunityId = cleanText(valueOf(node, OPPORTUNITY_FIELD)?.value);
      const name = cleanText(node.Name?.value) || node.Id;
      const outcome = valueOf(node, OUTCOME_FIELD);
      return {
        id: node.Id,
        name,
        time: cleanText(valueOf(node, OCCURRED_AT_FIELD)?.value),
        outcome: cleanText(outcome?.displayValue ?? outcome?.value),
        operation: cleanText(valueOf(node, OPERATION_FIELD)?.value),
        message: cleanText(valueOf(node, MESSAGE_FIELD)?.value),
        opportunityName: cleanText(opportunityNameOf(node)?.value) || cleanText(valueOf(node, REFERRAL_ID_FIELD)?.value),
        opportunityUrl: opportunityId ? `/lightning/r/Opportunity/${opportunityId}/view` : '',
        logUrl: `/lightning/r/${SYNC_LOG_OBJECT.objectApiName}/${node.Id}/view`,
        logLinkLabel: formatLabel(labels.viewLog, name),
      };
    });
}
