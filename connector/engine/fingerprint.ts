/**
 * Loop prevention. After every successful exchange the connector stores, per side, a fingerprint of the synced
 * fields as that side holds them (`SyncBaseline`). A later change notification whose fingerprint equals the
 * stored one carries nothing a person changed — it is the echo of the connector's own write (or of fields the
 * connector owns, such as the ✔ mark, the audit trail or Partner_Center_Status__c, which are not fingerprinted) —
 * and is not sent back. Per-field hashes also tell the conflict rules which side changed which field.
 */
import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { Referral } from '../model/referral.js';
import {
  SYNC_FIELDS,
  comparable,
  dealFieldsFromOpportunity,
  dealFieldsFromReferral,
  type DealFields,
  type SyncField,
} from './deal-fields.js';
import type { OpportunityRecord, OrgContext } from './salesforce-records.js';
import type { Settings } from './org-settings.js';

/** SHA-256 (base64url) of each sync field's comparable value. */
export type Fingerprint = Readonly<Record<SyncField, string>>;

/** What the connector stores after a successful sync: each side's fingerprint at that moment. */
export interface SyncBaseline {
  salesforce: Fingerprint;
  partnerCenter: Fingerprint;
}

export function fingerprintFields(fields: DealFields): Fingerprint {
  const entries = SYNC_FIELDS.map((field) => {
    const hash = createHash('sha256').update(stringify(comparable(field, fields)) ?? 'undefined').digest('base64url');
    return [field, hash] as const;
  });
  return Object.fromEntries(entries) as Record<SyncField, string>;
}

/** Fingerprint of the Salesforce side, from the opportunity as opportunity-query.ts reads it. */
export function fingerprintOutbound(opportunity: OpportunityRecord, settings: Settings, org?: OrgContext): Fingerprint {
  return fingerprintFields(dealFieldsFromOpportunity(opportunity, settings, org));
}

/** Fingerprint of the Partner Center side, from the referral as GET /referrals/{id} returns it. */
export function fingerprintInbound(referral: Referral): Fingerprint {
  return fingerprintFields(dealFieldsFromReferral(referral));
}

/** Sync fields whose value differs from the last synced one; every field when nothing was synced yet. */
export function changedFields(current: Fingerprint, last: Fingerprint | undefined): SyncField[] {
  return SYNC_FIELDS.filter((field) => last?.[field] !== current[field]);
}

/** True when no synced field changed since the last sync: the change is the connector's own write. */
export function isEcho(current: Fingerprint, last: Fingerprint | undefined): boolean {
  return last !== undefined && changedFields(current, last).length === 0;
}

/** Stands for a value no exchange has carried yet; no fingerprint (base64url SHA-256) ever equals it. */
export const NEVER_SYNCED = 'never-synced';

/**
 * The baseline to store after an exchange that read one side and wrote the other. A field both sides now agree
 * on is synced at its current value, and so is the status (side-specific, arbitrated by the state machine). A
 * field that still differs was not carried across on this turn: the side that was read has had its say, so its
 * current value counts as synced, but the side that was written keeps its previous baseline. A change made there
 * since the last sync (e.g. by a Microsoft seller between the connector's read and write) then still shows as a
 * change and is applied on that side's own turn, instead of being taken for an echo and lost. Without a previous
 * baseline (the first exchange, or one after a crash lost it) such a value is marked never synced: e.g. a Microsoft
 * edit that won a conflict on an outbound turn is still applied to Salesforce on the inbound turn.
 */
export function nextBaseline(current: SyncBaseline, previous: SyncBaseline | undefined, read: 'salesforce' | 'partnerCenter'): SyncBaseline {
  const written = read === 'salesforce' ? 'partnerCenter' : 'salesforce';
  const kept = Object.fromEntries(
    SYNC_FIELDS.map((field) => {
      const agree = current.salesforce[field] === current.partnerCenter[field];
      // Without a previous baseline the written side's value was never synced: it must still count as a change.
      return [field, agree || field === 'status' ? current[written][field] : (previous?.[written][field] ?? NEVER_SYNCED)];
    }),
  ) as Record<SyncField, string>;
  return { ...current, [written]: kept } as SyncBaseline;
}
