/** How the card describes the opportunity's sync state (Partner_Center_Sync_Status__c plus the sync switch). */
import { SYNC_STATUS, nonEmptyLines } from 'c/partnerCenterUtils';

export type SyncState = 'off' | 'notSynced' | 'pending' | 'synced' | 'error';

export interface SyncFacts {
  syncOn: boolean;
  status: string | null | undefined;
}

/**
 * - Pending, Synced and Error come straight from the sync status field, whatever the switch says (a deal can
 *   have been synced before the switch was turned off);
 * - otherwise the deal has not been synced: "off" when the switch is off, "notSynced" when it is on and waiting.
 */
export function syncStateOf(facts: SyncFacts): SyncState {
  switch (facts.status) {
    case SYNC_STATUS.PENDING:
      return 'pending';
    case SYNC_STATUS.SYNCED:
      return 'synced';
    case SYNC_STATUS.ERROR:
      return 'error';
    default:
      return facts.syncOn ? 'notSynced' : 'off';
  }
}

/**
 * The audit trail is written newest line first, so after a failure its first line is the error the connector
 * recorded, in words a seller can act on.
 */
export function latestAuditLine(audit: unknown): string | undefined {
  return nonEmptyLines(audit)[0];
}
