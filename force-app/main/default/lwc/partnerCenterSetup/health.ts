/**
 * The "before you start" checklist and the recent sync errors on the setup page.
 *
 * How each prerequisite is detected, with Lightning Data Service only:
 * - Notes: when Notes is enabled, Opportunity has the AttachedContentNotes child relationship (the read-only
 *   AttachedContentNote object exists only then), visible in the Opportunity object info.
 * - Opportunity Teams: when enabled, Opportunity has the OpportunityTeamMembers child relationship
 *   (OpportunityTeamMember exists only then).
 * - Connector reachable: the newest Partner_Center_Sync_Log__c with Outcome "Success" is no older than
 *   CONNECTOR_HEALTHY_HOURS. The connector writes a log record for every exchange, so a recent success proves that
 *   Salesforce reached it (or it reached Salesforce) and that its credentials work.
 * A relationship that is not found is reported as "not detected" with a link to the Setup page that turns the
 * feature on, since an admin may also lack access to the related object.
 */
import { gql } from 'lightning/graphql';
import type { ObjectInfo } from 'lightning/uiObjectInfoApi';
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

interface LogNode {
  Id: string;
  Name?: Value;
  Occurred_At__c?: Value;
  Outcome__c?: Value;
  Operation__c?: Value;
  Message__c?: Value;
  Referral_Id__c?: Value;
  Opportunity__c?: Value;
  Opportunity__r?: { Name?: Value } | null;
}

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
  key: 'notes' | 'teams' | 'connector';
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
  missing: { iconName: 'utility:warning', iconVariant: 'warning' },
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
}

export function lastSuccessTime(health: SyncHealthData | undefined): string | undefined {
  const value = health?.uiapi?.query?.lastSuccess?.edges?.[0]?.node?.Occurred_At__c?.value;
  return cleanText(value) || undefined;
}

export function prerequisiteChecks(facts: HealthFacts, labels: SetupLabels): Check[] {
  const notes = hasChildRelationship(facts.opportunityInfo, 'AttachedContentNotes');
  const teams = hasChildRelationship(facts.opportunityInfo, 'OpportunityTeamMembers');
  const stateOf = (found: boolean | undefined): CheckState => (found === undefined ? 'unknown' : found ? 'ok' : 'missing');

  let connector: Check;
  if (facts.healthFailed) {
    connector = check('connector', 'unknown', { label: labels.prereqConnector, detail: labels.prereqConnectorUnknown }, labels);
  } else if (!facts.health) {
    connector = check('connector', 'unknown', { label: labels.prereqConnector, detail: labels.loading }, labels);
  } else {
    const time = lastSuccessTime(facts.health);
    const age = time ? facts.now - Date.parse(time) : Number.NaN;
    if (!time || Number.isNaN(age)) {
      connector = check('connector', 'missing', { label: labels.prereqConnector, detail: labels.prereqConnectorNever }, labels);
    } else if (age > CONNECTOR_HEALTHY_HOURS * 3600 * 1000) {
      connector = check(
        'connector',
        'missing',
        { label: labels.prereqConnector, detail: formatLabel(labels.prereqConnectorStale, CONNECTOR_HEALTHY_HOURS), time },
        labels
      );
    } else {
      connector = check('connector', 'ok', { label: labels.prereqConnector, detail: labels.prereqConnectorOk, time }, labels);
    }
  }

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
    connector,
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
      const opportunityId = cleanText(node.Opportunity__c?.value);
      const name = cleanText(node.Name?.value) || node.Id;
      return {
        id: node.Id,
        name,
        time: cleanText(node.Occurred_At__c?.value),
        outcome: cleanText(node.Outcome__c?.displayValue ?? node.Outcome__c?.value),
        operation: cleanText(node.Operation__c?.value),
        message: cleanText(node.Message__c?.value),
        opportunityName: cleanText(node.Opportunity__r?.Name?.value) || cleanText(node.Referral_Id__c?.value),
        opportunityUrl: opportunityId ? `/lightning/r/Opportunity/${opportunityId}/view` : '',
        logUrl: `/lightning/r/Partner_Center_Sync_Log__c/${node.Id}/view`,
        logLinkLabel: formatLabel(labels.viewLog, name),
      };
    });
}
