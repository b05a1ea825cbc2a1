/**
 * The two people the connector serves, acting at random: a partner seller working opportunities in the local
 * org (create, edit, switch sync on, move stages, add solutions — through the control API as the seller user,
 * so the package's flows run and send sync requests) and a Microsoft seller working referrals in the emulator
 * (share, update, accept, set the CRM id). Each deal a scenario touches is tracked so the checks know what to
 * expect; an action the service refuses (e.g. accepting a referral the seller just declined) is recorded, not
 * retried.
 */
import type { Referral } from '../../connector/model/referral.js';
import { toId18 } from '../../connector/model/salesforce-id.js';
import { HELP_OPTIONS } from '../../connector/engine/outbound-validation.js';
import { ACTIVE_STAGE, LOST_STAGE, SOLUTION_CATALOG, WON_STAGE, type LocalOrg } from '../../sandbox/org/index.js';
import type { PartnerCenterEmulator } from '../../sandbox/partner-center/emulator.js';
import { overTheWire } from '../../sandbox/partner-center/testing.js';
import type { Rng } from './random.js';

export type DealKind = 'private' | 'partner-led' | 'co-sell' | 'marketplace-lead';

/** The synced fields the actors write: each side's intents are checked against both sides at the end. */
export type IntentField = 'name' | 'dealValue' | 'currency' | 'closeDate' | 'notes';

/**
 * What a person meant to set, in the order they set it: a seller's Opportunity fields or a Microsoft seller's
 * referral fields (name, details.*). `creation` marks the values a deal was created with.
 */
export interface Intent {
  side: 'salesforce' | 'partnerCenter';
  field: IntentField;
  /** Opportunity fields (seller) or a referral patch (Microsoft) that carries the value. */
  values: Record<string, unknown>;
  creation: boolean;
}

const SELLER_FIELDS: Record<string, IntentField> = { Name: 'name', Amount: 'dealValue', CurrencyIsoCode: 'currency', CloseDate: 'closeDate', Description: 'notes' };
const MICROSOFT_FIELDS: Record<string, IntentField> = { name: 'name', dealValue: 'dealValue', currency: 'currency', closingDateTime: 'closeDate', notes: 'notes' };

export interface Deal {
  label: string;
  /** Every value the seller and the Microsoft seller wrote for the synced fields, in order. */
  intents: Intent[];
  origin: 'seller' | 'microsoft';
  kind: DealKind;
  /** Seller deals: from creation. Microsoft deals: once the connector created it (looked up by referral id). */
  opportunityId?: string;
  /** Microsoft deals: from the share. Seller deals: the referral the connector created, once it exists. */
  referralId?: string;
  syncOn: boolean;
  closed: boolean;
  /** An incoming referral accepted by the seller (stage move) or in Partner Center. */
  accepted: boolean;
  customerName: string;
  contactEmail: string;
}

export interface ActionRecord {
  action: string;
  deal: string;
  detail: string;
  /** The service refused the action (a race the scenario created on purpose); nothing to check for it. */
  refused?: string;
}

const SELLER = { as: 'seller' } as const;
const DAY_MS = 86_400_000;
const COUNTRIES = [
  { country: 'US', postalCode: '98052', city: 'Redmond' },
  { country: 'DE', postalCode: '10117', city: 'Berlin' },
  { country: 'GB', postalCode: 'EC2A 1AA', city: 'London' },
  // A country name the connector must normalise to DE.
  { country: 'Deutschland', postalCode: '80331', city: 'München' },
];
const CURRENCIES = ['USD', 'EUR', 'GBP'];
const OPEN_STAGES = ['Prospecting', 'Needs Analysis', 'Value Proposition'];

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY_MS).toISOString().slice(0, 10);

/** A busy org answers UNABLE_TO_LOCK_ROW now and then (fault injection too): a person saves again. */
function save<T>(write: () => T): T {
  for (let attempt = 1; ; attempt++) {
    try {
      return write();
    } catch (error) {
      if (attempt >= 8 || (error as { errorCode?: string }).errorCode !== 'UNABLE_TO_LOCK_ROW') throw error;
    }
  }
}

function sellerIntents(deal: Deal, fields: Record<string, unknown>, creation: boolean): void {
  for (const [name, value] of Object.entries(fields)) {
    const field = SELLER_FIELDS[name];
    if (field) deal.intents.push({ side: 'salesforce', field, values: { [name]: value }, creation });
  }
}

function microsoftIntents(deal: Deal, fields: Record<string, unknown>, creation: boolean): void {
  for (const [name, value] of Object.entries(fields)) {
    const field = MICROSOFT_FIELDS[name];
    if (field) deal.intents.push({ side: 'partnerCenter', field, values: { [name]: value }, creation });
  }
}

export class Actors {
  readonly deals: Deal[] = [];
  readonly log: ActionRecord[] = [];
  #counter = 0;

  constructor(
    private readonly org: LocalOrg,
    private readonly pc: PartnerCenterEmulator,
    private readonly rng: Rng,
    private readonly prefix: string,
  ) {}

  /** One random action by the partner seller or the Microsoft seller, among those the current deals allow. */
  act(): ActionRecord {
    const sellerDeals = this.deals.filter((d) => d.origin === 'seller');
    const open = this.deals.filter((d) => !d.closed && d.kind !== 'marketplace-lead');
    const withReferral = open.filter((d) => this.referralOf(d));
    const editable = open.filter((d) => (d.origin === 'seller' ? true : d.accepted && d.opportunityId !== undefined));
    const stageable = open.filter((d) => (d.origin === 'seller' ? d.syncOn : d.opportunityId !== undefined));
    const choice = this.rng.weighted({
      'seller.create': sellerDeals.length < 4 ? 3 : 0,
      'seller.syncOn': sellerDeals.some((d) => !d.syncOn) ? 3 : 0,
      'seller.edit': editable.length > 0 ? 4 : 0,
      'seller.stage': stageable.length > 0 ? 2 : 0,
      'seller.addSolution': sellerDeals.some((d) => !d.closed && d.kind !== 'private') ? 1 : 0,
      'microsoft.share': this.deals.filter((d) => d.origin === 'microsoft').length < 3 ? 3 : 0,
      'microsoft.update': withReferral.length > 0 ? 3 : 0,
      'microsoft.accept': withReferral.some((d) => this.referral(d)?.status === 'New') ? 2 : 0,
      'microsoft.crmId': withReferral.length > 0 ? 1 : 0,
    });
    let record: ActionRecord;
    try {
      record = this.#run(choice, { editable, stageable, withReferral });
    } catch (error) {
      record = { action: choice, deal: '-', detail: 'refused', refused: error instanceof Error ? error.message : String(error) };
    }
    this.log.push(record);
    return record;
  }

  /**
   * The seller edits a deal the connector is syncing right now (its lane holds a running item); when no such
   * deal is found, any deal the seller may edit. Null when there is none.
   */
  editDuringSync(runningLanes: ReadonlySet<string>): ActionRecord | null {
    const editable = this.deals.filter((d) => !d.closed && d.kind !== 'marketplace-lead' && d.opportunityId && (d.origin === 'seller' || d.accepted));
    if (editable.length === 0) return null;
    const racing = editable.filter((d) => runningLanes.has(`opp:${d.opportunityId}`));
    const deal = this.rng.pick(racing.length > 0 ? racing : editable);
    let record: ActionRecord;
    try {
      record = { ...this.#sellerEdit(deal), action: racing.length > 0 ? 'seller.editDuringSync' : 'seller.edit' };
    } catch (error) {
      record = { action: 'seller.editDuringSync', deal: deal.label, detail: 'refused', refused: error instanceof Error ? error.message : String(error) };
    }
    this.log.push(record);
    return record;
  }

  /**
   * A Microsoft seller's edit of a referral, whoever made it: this scenario's actor, or the emulator's fault
   * injection (an edit that overtakes the connector's conditional write). Both are what Microsoft meant.
   */
  recordMicrosoftEdit(referralId: string, changes: Record<string, unknown>): void {
    const deal = this.deals.find((d) => this.referralOf(d) === referralId);
    if (deal) microsoftIntents(deal, changes, false);
  }

  dealByLabel(label: string): Deal | undefined {
    return this.deals.find((d) => d.label === label);
  }

  #run(choice: string, pools: { editable: Deal[]; stageable: Deal[]; withReferral: Deal[] }): ActionRecord {
    switch (choice) {
      case 'seller.create':
        return this.#sellerCreate();
      case 'seller.syncOn':
        return this.#sellerSyncOn(this.rng.pick(this.deals.filter((d) => d.origin === 'seller' && !d.syncOn)));
      case 'seller.edit':
        return this.#sellerEdit(this.rng.pick(pools.editable));
      case 'seller.stage':
        return this.#sellerStage(this.rng.pick(pools.stageable));
      case 'seller.addSolution':
        return this.#sellerAddSolution(this.rng.pick(this.deals.filter((d) => d.origin === 'seller' && !d.closed && d.kind !== 'private')));
      case 'microsoft.share':
        return this.#microsoftShare();
      case 'microsoft.update':
        return this.#microsoftUpdate(this.rng.pick(pools.withReferral));
      case 'microsoft.accept':
        return this.#microsoftAccept(this.rng.pick(pools.withReferral.filter((d) => this.referral(d)?.status === 'New')));
      default:
        return this.#microsoftCrmId(this.rng.pick(pools.withReferral));
    }
  }

  #label(): string {
    this.#counter += 1;
    return `${this.prefix}-d${this.#counter}`;
  }

  // ── the partner seller ────────────────────────────────────────────────────────────────────────────

  #sellerCreate(): ActionRecord {
    const label = this.#label();
    const kind = this.rng.weighted<DealKind>({ private: 1, 'partner-led': 1, 'co-sell': 2 });
    const place = this.rng.pick(COUNTRIES);
    const customerName = `Chaos ${label} Customer`;
    const contactEmail = `buyer.${label}@chaos-customer.example`;
    const records = this.org.control.records;
    const accountId = save(() =>
      records.create('Account', { Name: customerName, BillingStreet: '1 Main Street', BillingCity: place.city, BillingPostalCode: place.postalCode, BillingCountry: place.country }, SELLER),
    );
    const shared = kind !== 'private';
    const synced = {
      Name: `Chaos ${label} deal`,
      Amount: this.rng.int(2, 1800) * 500,
      CurrencyIsoCode: this.rng.pick(CURRENCIES),
      CloseDate: day(this.rng.int(20, 200)),
      Description: `Created by the chaos run for ${label}.`,
    };
    const opportunityId = toId18(
      save(() =>
        records.create(
          'Opportunity',
          {
            ...synced,
            AccountId: accountId,
            StageName: 'Prospecting',
            ...(shared ? { Visible_To_Microsoft_Sellers__c: true } : {}),
            ...(kind === 'co-sell' ? { Microsoft_Help__c: this.rng.pick(HELP_OPTIONS) } : {}),
          },
          SELLER,
        ),
      ),
    )!;
    if (kind === 'co-sell') {
      const contactId = save(() => records.create('Contact', { AccountId: accountId, FirstName: 'Robin', LastName: `Buyer ${label}`, Email: contactEmail, Phone: '+1 425 555 0199' }, SELLER));
      save(() => records.create('OpportunityContactRole', { OpportunityId: opportunityId, ContactId: contactId, Role: 'Decision Maker', IsPrimary: true }, SELLER));
    }
    if (shared) this.#addSolution(opportunityId);
    const deal: Deal = { label, intents: [], origin: 'seller', kind, opportunityId, syncOn: false, closed: false, accepted: false, customerName, contactEmail };
    sellerIntents(deal, synced, true);
    this.deals.push(deal);
    // Most deals are switched on at once; the rest later, by a separate action.
    if (this.rng.chance(0.6)) this.#setSyncOn(deal);
    return { action: 'seller.create', deal: label, detail: `${kind}${deal.syncOn ? ', sync on' : ''}` };
  }

  #addSolution(opportunityId: string): string {
    const existing = new Set(
      this.org.control.records.query(`SELECT Solution_Id__c FROM Microsoft_Solution__c WHERE Opportunity__c = '${opportunityId}'`).map((r) => String(r.Solution_Id__c)),
    );
    const choices = SOLUTION_CATALOG.filter((s) => !existing.has(s.Solution_Id__c));
    if (choices.length === 0) return 'no solution left to add';
    const solution = this.rng.pick(choices);
    save(() =>
      this.org.control.records.create(
        'Microsoft_Solution__c',
        { Opportunity__c: opportunityId, Solution_Id__c: solution.Solution_Id__c, Solution_Name__c: solution.Name, Publisher_Name__c: solution.Publisher_Name__c },
        SELLER,
      ),
    );
    return solution.Solution_Id__c;
  }

  #setSyncOn(deal: Deal): void {
    save(() => this.org.control.records.update('Opportunity', deal.opportunityId!, { Sync_With_Partner_Center__c: true }, SELLER));
    deal.syncOn = true;
  }

  #sellerSyncOn(deal: Deal): ActionRecord {
    this.#setSyncOn(deal);
    return { action: 'seller.syncOn', deal: deal.label, detail: deal.kind };
  }

  #sellerEdit(deal: Deal): ActionRecord {
    const fields: Record<string, unknown> = {};
    const changes = this.rng.int(1, 3);
    for (let i = 0; i < changes; i++) {
      const field = this.rng.pick(['Amount', 'CloseDate', 'Description', 'Name']);
      if (field === 'Amount') fields.Amount = this.rng.int(2, 1800) * 500;
      if (field === 'CloseDate') fields.CloseDate = day(this.rng.int(20, 200));
      if (field === 'Description') fields.Description = `Seller note ${this.rng.int(1, 1_000_000)} for ${deal.label}.`;
      if (field === 'Name') fields.Name = `Chaos ${deal.label} deal rev ${this.rng.int(1, 1000)}`;
    }
    save(() => this.org.control.records.update('Opportunity', deal.opportunityId!, fields, SELLER));
    sellerIntents(deal, fields, false);
    return { action: 'seller.edit', deal: deal.label, detail: Object.keys(fields).join(', ') };
  }

  #sellerStage(deal: Deal): ActionRecord {
    let stage: string;
    if (deal.origin === 'microsoft' && !deal.accepted) {
      // On hold: accept it (an open stage) or decline it (closed lost).
      stage = this.rng.chance(0.75) ? ACTIVE_STAGE : LOST_STAGE;
    } else {
      stage = this.rng.weighted({ open: 2, won: 1, lost: 1 }) === 'open' ? this.rng.pick(OPEN_STAGES) : this.rng.chance(0.5) ? WON_STAGE : LOST_STAGE;
    }
    save(() => this.org.control.records.update('Opportunity', deal.opportunityId!, { StageName: stage }, SELLER));
    if (stage === WON_STAGE || stage === LOST_STAGE) deal.closed = true;
    else if (deal.origin === 'microsoft') deal.accepted = true;
    return { action: 'seller.stage', deal: deal.label, detail: stage };
  }

  #sellerAddSolution(deal: Deal): ActionRecord {
    return { action: 'seller.addSolution', deal: deal.label, detail: this.#addSolution(deal.opportunityId!) };
  }

  // ── the Microsoft seller ──────────────────────────────────────────────────────────────────────────

  #microsoftShare(): ActionRecord {
    const label = this.#label();
    const kind: DealKind = this.rng.chance(0.15) ? 'marketplace-lead' : 'co-sell';
    const place = this.rng.pick(COUNTRIES.filter((c) => c.country.length === 2));
    const customerName = `Chaos ${label} Microsoft Customer`;
    const contactEmail = `cto.${label}@chaos-microsoft-customer.example`;
    const solution = this.rng.pick(SOLUTION_CATALOG);
    const shared = {
      name: `Chaos ${label} referral`,
      dealValue: this.rng.int(2, 1800) * 500,
      currency: this.rng.pick(CURRENCIES),
      closingDateTime: `${day(this.rng.int(20, 200))}T00:00:00Z`,
      notes: `Shared by Microsoft for ${label}.`,
    };
    const referral = this.pc.control.seller.share({
      kind,
      ...shared,
      customer: {
        name: customerName,
        country: place.country,
        city: place.city,
        postalCode: place.postalCode,
        addressLine1: '2 Harbour Road',
        contacts: [{ firstName: 'Alex', lastName: `Customer ${label}`, email: contactEmail, phoneNumber: '+44 20 5555 0101' }],
      },
      ...(kind === 'co-sell' ? { solutions: [{ id: solution.Solution_Id__c, name: solution.Name, publisherName: solution.Publisher_Name__c }] } : {}),
    });
    const deal: Deal = { label, intents: [], origin: 'microsoft', kind, referralId: referral.id!, syncOn: true, closed: false, accepted: false, customerName, contactEmail };
    microsoftIntents(deal, shared, true);
    this.deals.push(deal);
    return { action: 'microsoft.share', deal: label, detail: kind };
  }

  #microsoftUpdate(deal: Deal): ActionRecord {
    const update: { dealValue?: number; closingDateTime?: string; notes?: string; currency?: string } = {};
    const changes = this.rng.int(1, 2);
    for (let i = 0; i < changes; i++) {
      const field = this.rng.weighted({ dealValue: 3, closingDateTime: 2, notes: 3, currency: 1 });
      if (field === 'dealValue') update.dealValue = this.rng.int(2, 1800) * 500;
      if (field === 'closingDateTime') update.closingDateTime = `${day(this.rng.int(20, 200))}T${String(this.rng.int(0, 23)).padStart(2, '0')}:30:00Z`;
      if (field === 'notes') update.notes = `Microsoft note ${this.rng.int(1, 1_000_000)} for ${deal.label}.`;
      if (field === 'currency') update.currency = this.rng.pick(CURRENCIES);
    }
    // Its intent is recorded by the harness, which sees every Microsoft edit (recordMicrosoftEdit).
    this.pc.control.seller.update(this.referralOf(deal)!, update);
    return { action: 'microsoft.update', deal: deal.label, detail: Object.keys(update).join(', ') };
  }

  #microsoftAccept(deal: Deal): ActionRecord {
    this.pc.control.seller.accept(this.referralOf(deal)!);
    if (deal.origin === 'microsoft') deal.accepted = true;
    return { action: 'microsoft.accept', deal: deal.label, detail: deal.origin === 'microsoft' ? 'in the portal' : 'co-sell request' };
  }

  #microsoftCrmId(deal: Deal): ActionRecord {
    const id = `MSX-${this.rng.int(100000, 999999)}`;
    this.pc.control.seller.setMicrosoftCrmId(this.referralOf(deal)!, id);
    return { action: 'microsoft.crmId', deal: deal.label, detail: id };
  }

  // ── looking things up ─────────────────────────────────────────────────────────────────────────────

  /** The referral of a deal: shared by Microsoft, or created by the connector for a seller's opportunity. */
  referralOf(deal: Deal): string | undefined {
    if (deal.referralId) return deal.referralId;
    if (!deal.opportunityId || !deal.syncOn) return undefined;
    const connected = connectedIds(this.pc);
    const found = this.pc.control.referrals.all().find((r) => !connected.has(r.id!) && r.externalReferenceId && toId18(r.externalReferenceId) === deal.opportunityId);
    return found?.id;
  }

  referral(deal: Deal): Referral | undefined {
    const id = this.referralOf(deal);
    return id ? overTheWire<Referral>(this.pc.control.referrals.get(id)) : undefined;
  }
}

/** Referrals Partner Center created for Microsoft's side of a partner's co-sell referral. */
export function connectedIds(pc: PartnerCenterEmulator): Set<string> {
  const ids = new Set<string>();
  for (const referral of pc.control.referrals.all()) {
    const connected = pc.control.referrals.connectedReferralId(referral.id!);
    if (connected) ids.add(connected);
  }
  return ids;
}

