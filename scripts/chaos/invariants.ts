/**
 * What "converged" means for one scenario, checked against both stand-ins and the connector's store:
 * - every opportunity with sync on has exactly one referral (a second one is a create applied twice), linked
 *   both ways; an opportunity with sync off has none;
 * - every co-sell referral Microsoft shared has exactly one opportunity, one account and one contact
 *   (marketplace leads none: the org syncs co-sell only);
 * - on each linked pair each side holds what the seller and the Microsoft seller last meant to set (checkIntents:
 *   the values the actors wrote, in order), the synced fields agree (the engine's own comparison, deal-fields.ts), the stage agrees
 *   with the referral's status, and the connector's fields (status text, CRM id, sync status) are up to date;
 * - no contact role or solution row was added twice;
 * - the store has nothing queued or running for the deals, and its only dead letters are the ones the injected
 *   validation rule caused (those are replayed once the rule is lifted, as an admin would);
 * - no work item carries a forged notification's marker.
 * A violation is `lost` (something that should have arrived did not), `duplicated` (applied twice) or
 * `forgery` (a hostile delivery changed state).
 */
import { SYNC_FIELDS, comparable, dealFieldsFromOpportunity, dealFieldsFromReferral, sameField, type SyncField } from '../../connector/engine/deal-fields.js';
import { buildOpportunityQuery } from '../../connector/engine/opportunity-query.js';
import { subRecords, type OpportunityRecord, type OrgContext } from '../../connector/engine/salesforce-records.js';
import { SETTINGS_RECORD_FIELDS, settingsFromRecord, type Settings } from '../../connector/engine/org-settings.js';
import { formatReferralStatus, stageKind } from '../../connector/engine/state-machine.js';
import type { Referral } from '../../connector/model/referral.js';
import { toId18 } from '../../connector/model/salesforce-id.js';
import type { Store, WorkItem } from '../../connector/queue/types.js';
import { INJECTED_VALIDATION_RULE, type LocalOrg } from '../../sandbox/org/index.js';
import type { PartnerCenterEmulator } from '../../sandbox/partner-center/emulator.js';
import { overTheWire } from '../../sandbox/partner-center/testing.js';
import { connectedIds, type Deal, type Intent, type IntentField } from './actors.js';

export type ViolationKind = 'lost' | 'duplicated' | 'forgery';

export interface Violation {
  kind: ViolationKind;
  deal: string;
  message: string;
}

/** Fields compared on a linked pair: all but the customer (written once, at creation) and status (checked below). */
const COMPARED: readonly SyncField[] = SYNC_FIELDS.filter((f) => f !== 'customer' && f !== 'status');

export interface Checker {
  settings: Settings;
  org: OrgContext;
}

export function readSettings(org: LocalOrg): Checker {
  const fields = ['Id', ...Object.values(SETTINGS_RECORD_FIELDS)];
  const [record] = org.control.records.query(`SELECT ${fields.join(', ')} FROM Partner_Center_Settings__c WHERE Active__c = TRUE LIMIT 1`);
  // The local org has multi-currency on (Opportunity.CurrencyIsoCode), as the connector finds by describe.
  return { settings: settingsFromRecord(record ?? {}), org: { multiCurrency: true } };
}

function opportunity(org: LocalOrg, checker: Checker, id: string): OpportunityRecord | undefined {
  return org.control.records.query(buildOpportunityQuery(checker.settings, { ids: [id] }, checker.org, 1))[0] as OpportunityRecord | undefined;
}

const show = (value: unknown) => JSON.stringify(value);

/** The stage kind a referral's status calls for on its opportunity. */
function expectedStageKind(referral: Referral): string[] {
  if (referral.status === 'Closed') return referral.substatus === 'Won' ? ['won'] : ['lost'];
  if (referral.status === 'Active') return ['open'];
  return referral.direction === 'Incoming' ? ['onHold'] : ['open'];
}

/** An intent's value in the engine's comparable form, read off a copy of the side it was written on. */
function intendedValue(intent: Intent, opp: OpportunityRecord, referral: Referral, checker: Checker): unknown {
  if (intent.side === 'salesforce') return comparable(intent.field, dealFieldsFromOpportunity({ ...opp, ...intent.values }, checker.settings, checker.org));
  const copy = structuredClone(referral);
  const { name, ...details } = intent.values;
  if (name !== undefined) copy.name = String(name);
  copy.details = { ...copy.details, ...details };
  return comparable(intent.field, dealFieldsFromReferral(copy));
}

/**
 * What the people meant, against what both sides hold. A field only one side edited must end at that side's last
 * value (the creator's values count when nobody edited it); a field both sides edited may end at either side's
 * last value, as the last writer by record timestamp wins (ownership.ts) — but at nothing else.
 */
export function checkIntents(deal: Deal, opp: OpportunityRecord, referral: Referral, checker: Checker): Violation[] {
  const out: Violation[] = [];
  const sf = dealFieldsFromOpportunity(opp, checker.settings, checker.org);
  const pc = dealFieldsFromReferral(referral);
  const fields = [...new Set(deal.intents.map((i) => i.field))] as IntentField[];
  for (const field of fields) {
    const intents = deal.intents.filter((i) => i.field === field);
    const lastOf = (side: Intent['side']) => intents.filter((i) => i.side === side).at(-1);
    const editedBy = new Set(intents.filter((i) => !i.creation).map((i) => i.side));
    const allowed = editedBy.size === 2 ? [lastOf('salesforce')!, lastOf('partnerCenter')!] : [intents.at(-1)!];
    const values = allowed.map((i) => show(intendedValue(i, opp, referral, checker)));
    const meant = allowed.map((i) => `${i.side === 'salesforce' ? 'the seller' : 'Microsoft'} wrote ${show(intendedValue(i, opp, referral, checker))}`).join(' or ');
    for (const [side, held] of [['Salesforce', sf], ['Partner Center', pc]] as const) {
      const value = show(comparable(field, held));
      if (!values.includes(value)) out.push({ kind: 'lost', deal: deal.label, message: `${field} on ${side} is ${value}, but ${meant}` });
    }
  }
  return out;
}

function comparePair(deal: Deal, opp: OpportunityRecord, referral: Referral, checker: Checker): Violation[] {
  const out: Violation[] = [...checkIntents(deal, opp, referral, checker)];
  const lost = (message: string) => out.push({ kind: 'lost', deal: deal.label, message });
  const sf = dealFieldsFromOpportunity(opp, checker.settings, checker.org);
  const pc = dealFieldsFromReferral(referral);
  for (const field of COMPARED) {
    if (!sameField(field, sf, pc)) lost(`${field} differs: Salesforce ${show(comparable(field, sf))}, Partner Center ${show(comparable(field, pc))}`);
  }
  const kind = stageKind(opp, checker.settings);
  const expected = expectedStageKind(referral);
  if (!expected.includes(kind)) lost(`stage "${opp.StageName}" (${kind}) does not match referral status ${formatReferralStatus(referral)} (expected ${expected.join('/')})`);
  const status = formatReferralStatus(referral);
  if ((opp.Partner_Center_Status__c ?? null) !== status) lost(`Partner_Center_Status__c is ${show(opp.Partner_Center_Status__c)}, the referral is ${show(status)}`);
  if (opp.Partner_Center_Sync_Status__c !== 'Synced') lost(`Partner_Center_Sync_Status__c is ${show(opp.Partner_Center_Sync_Status__c)}, not Synced`);
  if (opp.Referral_Id__c !== referral.id) lost(`Referral_Id__c is ${show(opp.Referral_Id__c)}, the referral is ${referral.id}`);

  const roles = subRecords(opp.OpportunityContactRoles).map((r) => r.ContactId);
  if (new Set(roles).size !== roles.length) out.push({ kind: 'duplicated', deal: deal.label, message: `a contact role was added twice: ${show(roles)}` });
  const solutions = subRecords(opp.Microsoft_Solutions__r).map((s) => String(s.Solution_Id__c).toUpperCase());
  if (new Set(solutions).size !== solutions.length) out.push({ kind: 'duplicated', deal: deal.label, message: `a solution was added twice: ${show(solutions)}` });
  return out;
}

function checkSellerDeal(deal: Deal, org: LocalOrg, pc: PartnerCenterEmulator, checker: Checker, connected: Set<string>, referrals: Referral[]): Violation[] {
  const id = deal.opportunityId!;
  const mine = referrals.filter((r) => !connected.has(r.id!) && r.externalReferenceId && toId18(r.externalReferenceId) === id);
  if (!deal.syncOn) {
    return mine.length > 0 ? [{ kind: 'lost', deal: deal.label, message: `sync is off but ${mine.length} referral(s) were created` }] : [];
  }
  const out: Violation[] = [];
  if (mine.length === 0) return [{ kind: 'lost', deal: deal.label, message: `opportunity ${id} has sync on but no referral` }];
  if (mine.length > 1) out.push({ kind: 'duplicated', deal: deal.label, message: `opportunity ${id} has ${mine.length} referrals: ${mine.map((r) => r.id).join(', ')}` });
  const opp = opportunity(org, checker, id);
  if (!opp) return [...out, { kind: 'lost', deal: deal.label, message: `opportunity ${id} is gone` }];
  const linked = mine.find((r) => r.id === opp.Referral_Id__c) ?? mine[0];
  return [...out, ...comparePair(deal, opp, overTheWire<Referral>(pc.control.referrals.get(linked.id!)), checker)];
}

function checkMicrosoftDeal(deal: Deal, org: LocalOrg, pc: PartnerCenterEmulator, checker: Checker): Violation[] {
  const out: Violation[] = [];
  const records = org.control.records;
  const opps = records.query(`SELECT Id FROM Opportunity WHERE Referral_Id__c = '${deal.referralId}'`);
  const accounts = records.query(`SELECT Id FROM Account WHERE Name = '${deal.customerName}'`).length;
  const contacts = records.query(`SELECT Id FROM Contact WHERE Email = '${deal.contactEmail}'`).length;
  if (deal.kind === 'marketplace-lead') {
    if (opps.length + accounts + contacts > 0) out.push({ kind: 'lost', deal: deal.label, message: 'a marketplace lead reached Salesforce although the org syncs co-sell only' });
    return out;
  }
  if (opps.length === 0) return [{ kind: 'lost', deal: deal.label, message: `referral ${deal.referralId} has no opportunity` }];
  if (opps.length > 1) out.push({ kind: 'duplicated', deal: deal.label, message: `referral ${deal.referralId} has ${opps.length} opportunities` });
  if (accounts !== 1) out.push({ kind: accounts > 1 ? 'duplicated' : 'lost', deal: deal.label, message: `${accounts} accounts named "${deal.customerName}"` });
  if (contacts !== 1) out.push({ kind: contacts > 1 ? 'duplicated' : 'lost', deal: deal.label, message: `${contacts} contacts with email ${deal.contactEmail}` });
  deal.opportunityId = toId18(String(opps[0].Id)) ?? String(opps[0].Id);
  const opp = opportunity(org, checker, deal.opportunityId);
  if (!opp) return [...out, { kind: 'lost', deal: deal.label, message: `opportunity ${deal.opportunityId} is gone` }];
  return [...out, ...comparePair(deal, opp, overTheWire<Referral>(pc.control.referrals.get(deal.referralId!)), checker)];
}

/** The deals' state on both sides. */
export function checkDeals(deals: readonly Deal[], org: LocalOrg, pc: PartnerCenterEmulator, checker: Checker): Violation[] {
  const connected = connectedIds(pc);
  const referrals = overTheWire<Referral[]>(pc.control.referrals.all());
  return deals.flatMap((deal) =>
    deal.origin === 'seller' ? checkSellerDeal(deal, org, pc, checker, connected, referrals) : checkMicrosoftDeal(deal, org, pc, checker),
  );
}

/** A dead letter the injected validation rule explains. */
export function injectedDeadLetter(item: WorkItem): boolean {
  return item.lastError?.code === 'FIELD_CUSTOM_VALIDATION_EXCEPTION' && item.lastError.message.includes(INJECTED_VALIDATION_RULE.name);
}

export interface StoreCheck {
  violations: Violation[];
  /** Items waiting or running (outbound and inbound; sweeps come and go on their own). */
  busy: number;
}

/** The queue: nothing stuck, no unexplained dead letter, no forged notification queued. */
export async function checkStore(store: Store, markers: readonly string[], replayed: ReadonlySet<number>): Promise<StoreCheck> {
  const violations: Violation[] = [];
  const stats = await store.stats();
  const busy = stats.depth.outbound + stats.depth.inbound;
  for (const item of await store.listDeadLetters({ limit: 10_000 })) {
    if (injectedDeadLetter(item) && !replayed.has(item.id)) continue; // replayed by the caller once faults are off
    violations.push({ kind: 'lost', deal: item.key, message: `dead letter #${item.id} (${item.kind}, ${item.attempts} attempts): ${item.lastError?.message ?? 'no error'}` });
  }
  if (markers.length > 0) {
    const forged = new Set(markers);
    for (const item of await store.listItems({ kind: 'inbound', limit: 1_000_000 })) {
      if (forged.has(String(item.payload.changedAt))) violations.push({ kind: 'forgery', deal: item.key, message: `work item #${item.id} came from a forged delivery` });
    }
  }
  return { violations, busy };
}
