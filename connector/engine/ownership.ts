/**
 * Which side owns which synced field, and who wins when both changed since the last sync.
 *
 * A deal is in one of three phases: `outgoing` (created from Salesforce), `incomingPending` (shared with us by
 * Microsoft or another partner and not yet accepted: Partner Center status New) and `incomingAccepted` (incoming,
 * status Active or Closed).
 *
 * | Field            | Salesforce                        | Partner Center                              | outgoing | incomingPending | incomingAccepted |
 * |------------------|-----------------------------------|---------------------------------------------|----------|-----------------|------------------|
 * | name             | Name (✔/✖ stripped)               | name                                        | SF       | PC              | both             |
 * | dealValue        | deal value field (Amount)         | details.dealValue                           | both     | PC              | both             |
 * | currency         | currency field (CurrencyIsoCode)  | details.currency                            | both     | PC              | both             |
 * | closeDate        | CloseDate                         | details.closingDateTime                     | both     | PC              | both             |
 * | notes            | Description                       | details.notes                               | both     | PC              | both             |
 * | customer         | Account name, billing address     | customerProfile name/address                | SF       | PC              | PC               |
 * | customerContacts | contact roles (primary first)     | customerProfile.team                        | both     | PC              | both             |
 * | solutions        | Microsoft_Solution__c rows        | details.requirements.solutions              | SF       | PC              | both             |
 * | help             | Microsoft_Help__c                 | inviteContext.assistanceRequestCode, type   | SF       | PC              | PC               |
 * | visibility       | Visible_To_Microsoft_Sellers__c   | consent.consentToShareReferralWithMicrosoftSellers | SF | PC            | PC               |
 * | status           | StageName (IsClosed, IsWon)       | status / substatus / statusReason           | state machine (see below)                    |
 * | microsoftCrmId   | Microsoft_CRM_Id__c               | trackingInfo.microsoftMsxId                 | PC       | PC              | PC               |
 *
 * Why: the side that created the deal defines what it is (customer, kind of deal, solutions offered), while the
 * commercial facts Microsoft sellers also work on (value, currency, close date, notes, contacts) are edited on both
 * sides, as the spec's "Updates from Microsoft sellers … update the opportunity" requires. An incoming referral
 * belongs to Partner Center until a seller accepts it (edits made on hold do not sync). The customer is only used
 * when a record is first created on the other side: Partner Center keeps its customer profile once matched, and an
 * incoming referral never rewrites a shared Salesforce Account. Microsoft's CRM id only ever comes from Microsoft.
 *
 * Conflicts (a field changed on both sides since the last sync):
 * - single-owner field: the owner wins, always; the other side's edit is overwritten on the owner's next sync.
 * - `both` field: if only one side changed it, that side wins; if both did, the last writer wins by record
 *   timestamp (Opportunity.LastModifiedDate vs referral.updatedDateTime); on a tie or a missing timestamp the side
 *   that created the deal wins. Without a stored baseline every differing field counts as changed on both sides,
 *   except on an incoming deal whose opportunity only its creator (the connector) has modified: Salesforce then
 *   counts as unchanged (inbound.ts). A value an exchange without a baseline did not carry across is stored as
 *   never synced on the side it wrote (fingerprint.ts), so it is still applied on that side's own turn.
 * - status: decided by state-machine.ts, not here: Closed is terminal, so whichever side closes first wins and
 *   the other side follows (or gets an error naming the stage if it tries to reopen).
 */
import type { Referral } from '../model/referral.js';
import type { SyncField } from './deal-fields.js';

export type Side = 'salesforce' | 'partnerCenter';
export type Owner = Side | 'both';
export type DealPhase = 'outgoing' | 'incomingPending' | 'incomingAccepted';

export interface OwnershipRow {
  outgoing: Owner;
  incomingPending: Owner;
  incomingAccepted: Owner;
}

const SF = 'salesforce';
const PC = 'partnerCenter';

/** The table above as data; status rows say `both` because the state machine arbitrates them. */
export const OWNERSHIP: Readonly<Record<SyncField, OwnershipRow>> = {
  name: { outgoing: SF, incomingPending: PC, incomingAccepted: 'both' },
  dealValue: { outgoing: 'both', incomingPending: PC, incomingAccepted: 'both' },
  currency: { outgoing: 'both', incomingPending: PC, incomingAccepted: 'both' },
  closeDate: { outgoing: 'both', incomingPending: PC, incomingAccepted: 'both' },
  notes: { outgoing: 'both', incomingPending: PC, incomingAccepted: 'both' },
  customer: { outgoing: SF, incomingPending: PC, incomingAccepted: PC },
  customerContacts: { outgoing: 'both', incomingPending: PC, incomingAccepted: 'both' },
  solutions: { outgoing: SF, incomingPending: PC, incomingAccepted: 'both' },
  help: { outgoing: SF, incomingPending: PC, incomingAccepted: PC },
  visibility: { outgoing: SF, incomingPending: PC, incomingAccepted: PC },
  status: { outgoing: 'both', incomingPending: 'both', incomingAccepted: 'both' },
  microsoftCrmId: { outgoing: PC, incomingPending: PC, incomingAccepted: PC },
};

export function dealPhase(referral: Pick<Referral, 'direction' | 'status'>): DealPhase {
  if (referral.direction !== 'Incoming') return 'outgoing';
  return referral.status === undefined || referral.status === 'New' ? 'incomingPending' : 'incomingAccepted';
}

export function ownerOf(field: SyncField, phase: DealPhase): Owner {
  return OWNERSHIP[field][phase];
}

export interface ChangeContext {
  salesforceChanged: boolean;
  partnerCenterChanged: boolean;
  /** Opportunity.LastModifiedDate. */
  salesforceModifiedAt?: string | null;
  /** referral.updatedDateTime. */
  partnerCenterModifiedAt?: string | null;
}

export type ResolutionRule = 'owner' | 'onlyChange' | 'lastWriter' | 'creatorOnTie' | 'noChange';

export interface Resolution {
  /** The side whose value should stand, or null when neither changed. */
  winner: Side | null;
  rule: ResolutionRule;
}

function time(value: string | null | undefined): number {
  const ms = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? Number.NaN : ms;
}

export function resolveField(field: SyncField, phase: DealPhase, change: ChangeContext): Resolution {
  const owner = ownerOf(field, phase);
  if (owner !== 'both') return { winner: owner, rule: 'owner' };
  if (change.salesforceChanged && !change.partnerCenterChanged) return { winner: SF, rule: 'onlyChange' };
  if (change.partnerCenterChanged && !change.salesforceChanged) return { winner: PC, rule: 'onlyChange' };
  if (!change.salesforceChanged) return { winner: null, rule: 'noChange' };
  const sf = time(change.salesforceModifiedAt);
  const pc = time(change.partnerCenterModifiedAt);
  if (!Number.isNaN(sf) && !Number.isNaN(pc) && sf !== pc) return { winner: sf > pc ? SF : PC, rule: 'lastWriter' };
  return { winner: phase === 'outgoing' ? SF : PC, rule: 'creatorOnTie' };
}
