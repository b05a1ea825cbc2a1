/**
 * What a seller and an admin see of each attempt: the opportunity's sync status, audit line and ✔/✖ mark
 * (engine/audit.ts formats them), a Partner_Center_Sync_Log__c record, and a Partner_Center_Sync_Status__e
 * event so an open card refreshes. Sync log and event writes never fail an item: the opportunity's own fields
 * are the record of truth, and a lost refresh hint costs nothing.
 */
import { formatAuditLine, prependAuditLine, syncOutcomeFields, type SyncDirection } from '../engine/audit.js';
import { reasonParameters, type FailureReason } from '../engine/failure-reasons.js';
import type { Settings } from '../engine/org-settings.js';
import type { Logger } from '../observability/logger.js';
import type { SalesforceGateway, SaveOutcome, SaveSpec, SObjectRecord } from '../salesforce/gateway.js';

export const SYNC_LOG_OBJECT = 'Partner_Center_Sync_Log__c';
export const SYNC_STATUS_EVENT = 'Partner_Center_Sync_Status__e';

/** The opportunity fields an outcome write needs to read first. */
export interface OpportunityRef {
  Id: string;
  Name?: string | null;
  Partner_Center_Audit__c?: string | null;
  /** The version an outbound attempt read: a final failure's ✖ and Error are written only onto that version. */
  read?: { record: { LastModifiedDate?: string | null }; readAt: number };
}

export interface AttemptReport {
  direction: SyncDirection;
  /** Null when the attempt never reached an opportunity (e.g. an inbound create that failed). */
  opportunity: OpportunityRef | null;
  referralId: string | null;
  /** Short name of what was attempted, e.g. "create referral". */
  operation: string;
  /** parked: the final failure of an item, now a dead letter (an error that will be retried is 'error'). */
  outcome: 'success' | 'error' | 'parked' | 'skipped';
  message: string;
  /** A failure's stable code (FIELD_VALIDATION, PC_404 …), which reports group sync errors by. */
  reasonCode?: string;
  /** What the seller must fix, as data (code + parameters) the card shows in the user's language. */
  reason?: FailureReason;
  requestId?: string;
  at: Date;
}

const LOG_DIRECTION: Record<SyncDirection, string> = { outbound: 'Outbound', inbound: 'Inbound' };
const LOG_OUTCOME = { success: 'Success', error: 'Error', parked: 'Parked', skipped: 'Skipped' } as const;

const cut = (value: string, max: number) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);

export function syncLogRecord(report: AttemptReport): SObjectRecord {
  return {
    Direction__c: LOG_DIRECTION[report.direction],
    ...(report.opportunity ? { Opportunity__c: report.opportunity.Id } : {}),
    ...(report.referralId ? { Referral_Id__c: cut(report.referralId, 100) } : {}),
    Outcome__c: LOG_OUTCOME[report.outcome],
    ...(report.reasonCode ? { Reason_Code__c: cut(report.reasonCode, 80) } : {}),
    Message__c: cut(report.message, 32_000),
    ...(report.requestId ? { Request_Id__c: cut(report.requestId, 100) } : {}),
    Occurred_At__c: report.at.toISOString(),
    Operation__c: cut(report.operation, 100),
    ...reasonFields(report.reason),
  };
}

/** Failure_Reason__c and Failure_Parameters__c (JSON), on the sync log record and the status event alike. */
function reasonFields(reason: FailureReason | undefined): SObjectRecord {
  return reason ? { Failure_Reason__c: reason.code, Failure_Parameters__c: reasonParameters(reason) } : {};
}

export function statusEvent(opportunityId: string, status: 'Synced' | 'Error' | 'Pending', message: string, reason?: FailureReason): SObjectRecord {
  return { Opportunity_Id__c: opportunityId, Sync_Status__c: status, Message__c: cut(message, 255), ...reasonFields(reason) };
}

/** The fields to write on the opportunity for a successful (or skipped-as-up-to-date) attempt. */
export function successFields(report: AttemptReport & { opportunity: OpportunityRef }, settings: Settings): SObjectRecord {
  return syncOutcomeFields({
    opportunity: report.opportunity,
    entry: { at: report.at, direction: report.direction, outcome: 'success', message: report.message, requestId: report.requestId },
    settings,
  });
}

/**
 * The fields for a successful attempt whose opportunity the seller changed while it ran: the audit line says what
 * was sent, the status stays Pending (the newer values are sent next) and the name keeps the seller's text.
 */
export function supersededFields(report: AttemptReport & { opportunity: OpportunityRef }): SObjectRecord {
  const entry = {
    at: report.at,
    direction: report.direction,
    outcome: 'success' as const,
    message: `${report.message} The opportunity was changed meanwhile; the newer values are sent next.`,
    requestId: report.requestId,
  };
  return {
    Partner_Center_Sync_Status__c: 'Pending',
    Partner_Center_Audit__c: prependAuditLine(report.opportunity.Partner_Center_Audit__c, formatAuditLine(entry)),
  };
}

/**
 * The fields for a failed attempt. A final failure (parked) shows Error and ✖; one that will be retried keeps
 * the status Pending — the seller still sees the audit line saying what happened and that it is retried.
 */
export function failureFields(report: AttemptReport & { opportunity: OpportunityRef }, settings: Settings, final: boolean): SObjectRecord {
  const entry = { at: report.at, direction: report.direction, outcome: 'error' as const, message: report.message, requestId: report.requestId };
  if (final) return syncOutcomeFields({ opportunity: report.opportunity, entry, settings });
  const fields: SObjectRecord = {
    Partner_Center_Sync_Status__c: 'Pending',
    Partner_Center_Audit__c: prependAuditLine(report.opportunity.Partner_Center_Audit__c, formatAuditLine(entry)),
  };
  // The ✔/✖ mark shows the last finished outcome, so a retry in progress leaves the name alone.
  return fields;
}

export class OutcomeWriter {
  constructor(
    private readonly salesforce: SalesforceGateway,
    private readonly logger: Logger,
    /** The runtime's redaction: a message quoting an upstream answer must not carry a secret into the org. */
    private readonly redact: (text: string) => string,
  ) {}

  /** The collection creates of the sync log records and status events, redacted: for record() or to ride along another write. */
  specs(reports: readonly AttemptReport[], statuses: readonly SObjectRecord[]): SaveSpec[] {
    return [
      ...(reports.length > 0
        ? [{ operation: 'create' as const, type: SYNC_LOG_OBJECT, records: reports.map((r) => syncLogRecord({ ...r, message: this.redact(r.message) })), label: (_r: SObjectRecord, i: number) => `the sync log of ${reports[i].operation}` }]
        : []),
      ...(statuses.length > 0 ? [{ operation: 'create' as const, type: SYNC_STATUS_EVENT, records: statuses.map((e) => ({ ...e, Message__c: this.redact(String(e.Message__c ?? '')) })), label: () => `a ${SYNC_STATUS_EVENT} event` }] : []),
    ];
  }

  /** Sync log records and status events for finished attempts: one /composite call for the whole batch. */
  async record(reports: readonly AttemptReport[], statuses: readonly SObjectRecord[]): Promise<void> {
    const writes = this.specs(reports, statuses);
    if (writes.length === 0) return;
    let outcomes: SaveOutcome[][];
    try {
      outcomes = await this.salesforce.saveAll(writes);
    } catch (error) {
      this.logger.error({ err: error }, 'sync log records and status events not written');
      return;
    }
    writes.forEach((write, i) => {
      for (const failed of outcomes[i].filter((o) => o.error)) {
        if (write.type === SYNC_LOG_OBJECT) this.logger.error({ err: failed.error }, 'sync log record not written');
        else this.logger.warn({ err: failed.error }, 'sync status event not published');
      }
    });
  }
}
