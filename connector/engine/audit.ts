/**
 * What a seller sees of a sync: the ✔/✖ prefix on the opportunity name and the audit trail
 * (Partner_Center_Audit__c, a Long Text Area), one line per attempt, newest first.
 */
import type { SyncStatus } from './salesforce-records.js';
import type { Settings } from './org-settings.js';

/** Salesforce's limit for a Long Text Area (characters). */
export const AUDIT_MAX_LENGTH = 131072;
/** Opportunity.Name is Text(120). */
export const OPPORTUNITY_NAME_MAX_LENGTH = 120;

export const SUCCESS_MARK = '✔';
export const FAILURE_MARK = '✖';

export type SyncOutcome = 'success' | 'error';
export type AuditOutcome = SyncOutcome | 'skipped';
export type SyncDirection = 'outbound' | 'inbound';

export interface AuditEntry {
  at: Date | string;
  direction: SyncDirection;
  outcome: AuditOutcome;
  message: string;
  /** Partner Center `request-id`, quoted so support can trace the call. */
  requestId?: string;
}

// Either mark, with the emoji variation selector some keyboards add, and the one space after it; repeated,
// because names edited by hand or by older tools may carry more than one.
const MARK_PREFIX = /^(?:[✔✖]\uFE0F? ?)+/u;

export function stripStatusMark(name: string): string {
  return name.replace(MARK_PREFIX, '');
}

/**
 * The name with exactly one mark for the outcome (null removes it). With displayCheckMark off the name is never
 * touched. A name too long to take the prefix keeps its text and goes without a mark rather than being cut.
 */
export function withStatusMark(name: string, outcome: SyncOutcome | null, settings: Pick<Settings, 'displayCheckMark'>): string {
  if (!settings.displayCheckMark) return name;
  const bare = stripStatusMark(name);
  if (outcome === null) return bare;
  const marked = `${outcome === 'success' ? SUCCESS_MARK : FAILURE_MARK} ${bare}`;
  return marked.length > OPPORTUNITY_NAME_MAX_LENGTH ? bare : marked;
}

const DIRECTION_TEXT: Record<SyncDirection, string> = {
  outbound: 'Salesforce → Partner Center',
  inbound: 'Partner Center → Salesforce',
};
const OUTCOME_MARK: Record<AuditOutcome, string> = { success: SUCCESS_MARK, error: FAILURE_MARK, skipped: '–' };

/** One audit line: `2025-03-01T10:00:00.000Z ✖ Salesforce → Partner Center: <message> [request-id ...]`. */
export function formatAuditLine(entry: AuditEntry): string {
  const at = entry.at instanceof Date ? entry.at.toISOString() : entry.at;
  // One attempt is one line: newlines in a message would break the newest-first trimming below.
  const message = entry.message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  const request = entry.requestId ? ` [request-id ${entry.requestId}]` : '';
  return `${at} ${OUTCOME_MARK[entry.outcome]} ${DIRECTION_TEXT[entry.direction]}: ${message}${request}`;
}

/** Puts the line on top of the trail and drops the oldest whole lines that no longer fit. */
export function prependAuditLine(existing: string | null | undefined, line: string, maxLength = AUDIT_MAX_LENGTH): string {
  if (line.length >= maxLength) return line.slice(0, maxLength);
  const lines = [line, ...(existing ? existing.split('\n').filter((l) => l !== '') : [])];
  let length = -1;
  const kept: string[] = [];
  for (const l of lines) {
    if (length + 1 + l.length > maxLength) break;
    kept.push(l);
    length += 1 + l.length;
  }
  return kept.join('\n');
}

export interface SyncOutcomeInput {
  opportunity: { Name?: string | null; Partner_Center_Audit__c?: string | null };
  entry: AuditEntry & { outcome: SyncOutcome };
  settings: Pick<Settings, 'displayCheckMark'>;
}

/**
 * The Opportunity fields a connector writes after every attempt: sync status, last successful sync time, the
 * audit trail and (when enabled) the name mark. Name is left out when it would not change.
 */
export function syncOutcomeFields({ opportunity, entry, settings }: SyncOutcomeInput): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    Partner_Center_Sync_Status__c: (entry.outcome === 'success' ? 'Synced' : 'Error') satisfies SyncStatus,
    Partner_Center_Audit__c: prependAuditLine(opportunity.Partner_Center_Audit__c, formatAuditLine(entry)),
  };
  if (entry.outcome === 'success') {
    fields.Partner_Center_Last_Sync__c = entry.at instanceof Date ? entry.at.toISOString() : entry.at;
  }
  const name = opportunity.Name ?? '';
  const marked = withStatusMark(name, entry.outcome, settings);
  if (name !== '' && marked !== name) fields.Name = marked;
  return fields;
}
