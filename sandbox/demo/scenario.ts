/**
 * The narrated demo behind `npm start`: both directions of the sync, driven the way people drive them — a seller
 * editing opportunities in the local org (its flows send the sync requests), the emulator's scripted Microsoft
 * seller working referrals (its webhooks reach the connector) — and every outcome read back from the org or the
 * emulator, never assumed.
 */
import type { Referral } from '../../connector/model/referral.js';
import type { SandboxStack } from '../stack/connector.js';
import { ACTIVE_STAGE, SOLUTION_CATALOG } from '../org/index.js';
import { overTheWire } from '../partner-center/testing.js';
import type { Narrator } from './narrator.js';
import { WaitError, waitFor } from './wait.js';

export interface DemoOptions {
  /** Longest wait for one outcome. */
  timeoutMs?: number;
  /** Stops the demo (Ctrl+C while it runs). */
  signal?: AbortSignal;
}

export interface DemoStep {
  title: string;
  ok: boolean;
  /** From the step's first action to its last observed outcome. */
  elapsedMs: number;
  error?: string;
}

export interface DemoResult {
  ok: boolean;
  steps: DemoStep[];
}

type Row = Record<string, unknown>;

const SELLER = { as: 'seller' } as const;
const MICROSOFT_CRM_ID = '7-DEMO00042';

const money = (amount: unknown, currency: unknown) => `${Number(amount).toLocaleString('en-US')} ${String(currency ?? '')}`.trim();
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
/** The newest entry of the audit trail the connector keeps on the opportunity, without its timestamp. */
const latestAudit = (row: Row) =>
  String(row.Partner_Center_Audit__c ?? '')
    .split('\n')[0]
    .replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, '');

export async function runDemo(stack: SandboxStack, narrate: Narrator, options: DemoOptions = {}): Promise<DemoResult> {
  const { org, partnerCenter: pc } = stack;
  const wait = <T>(what: string, check: () => T | undefined | null | false) =>
    waitFor(what, check, { timeoutMs: options.timeoutMs ?? 20_000, signal: options.signal });
  const record = (id: string): Row => {
    const row = org.control.records.get(id);
    if (!row) throw new WaitError(`record ${id} is gone from the local org`);
    return row;
  };
  /**
   * The opportunity once the connector has written its outcome; a new failure ends the wait with the seller's
   * message (`earlier`: the audit entry of a failure already shown, which some edits leave in place until the sync).
   */
  const synced = (id: string, check: (row: Row) => boolean = () => true, earlier?: string) => () => {
    const row = record(id);
    if (row.Partner_Center_Sync_Status__c === 'Error' && latestAudit(row) !== earlier) throw new WaitError(`the sync failed: ${latestAudit(row)}`);
    return row.Partner_Center_Sync_Status__c === 'Synced' && check(row) && row;
  };
  const partnerReferral = (opportunityId: string): Referral | undefined => {
    // The partner's own referral, not the connected copy Partner Center makes for Microsoft; none until both
    // calls of the co-sell create have landed.
    const found = pc.control.referrals.all().find((r) => r.externalReferenceId === opportunityId && pc.control.referrals.connectedReferralId(r.id!) !== undefined);
    return found && overTheWire<Referral>(found);
  };

  const seeded = org.seeded;
  const steps: DemoStep[] = [];
  const step = async (title: string, run: () => Promise<void>): Promise<boolean> => {
    narrate.heading(title);
    const started = Date.now();
    try {
      await run();
      steps.push({ title, ok: true, elapsedMs: Date.now() - started });
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      narrate.fail(message);
      steps.push({ title, ok: false, elapsedMs: Date.now() - started, error: message });
      return false;
    }
  };

  const all = [
    // (a) Salesforce → Partner Center: a new co-sell referral, and the result written back to the opportunity.
    () =>
      step('1. Salesforce → Partner Center: a seller shares an opportunity', async () => {
        if (!seeded) throw new WaitError('the local org has no demo data (it was seeded before)');
        const id = seeded.opportunities.contosoLandingZone;
        const before = record(id);
        narrate.action(`Seller turns on "Sync with Partner Center" for "${before.Name}" (help requested: ${before.Microsoft_Help__c}, ${money(before.Amount, before.CurrencyIsoCode)})`);
        org.control.records.update('Opportunity', id, { Sync_With_Partner_Center__c: true }, SELLER);
        const created = await wait('the referral in Partner Center', () => partnerReferral(id));
        const referral = created.value;
        narrate.ok(`referral ${referral.id} created in Partner Center: ${referral.status}/${referral.substatus}, ${referral.type}, help "${referral.inviteContext?.assistanceRequestCode}"`, created.elapsedMs);
        const written = await wait('the outcome on the opportunity', synced(id, (row) => row.Referral_Id__c === referral.id));
        narrate.ok(`written back to Salesforce: "${written.value.Name}", Partner Center status "${written.value.Partner_Center_Status__c}", referral id ${written.value.Referral_Id__c}`, written.elapsedMs);
      }),

    // (b) Salesforce → Partner Center: an edit to a shared deal becomes a patch of the referral.
    () =>
      step('2. Salesforce → Partner Center: the seller updates the deal', async () => {
        const id = seeded!.opportunities.contosoLandingZone;
        const referralId = String(record(id).Referral_Id__c);
        const amount = 275_000;
        const closeDate = day(75);
        narrate.action(`Seller changes the amount to ${money(amount, record(id).CurrencyIsoCode)} and the close date to ${closeDate}`);
        org.control.records.update('Opportunity', id, { Amount: amount, CloseDate: closeDate }, SELLER);
        const updated = await wait('the new deal value and closing date in Partner Center', () => {
          const details = pc.control.referrals.get(referralId).details;
          return details?.dealValue === amount && details.closingDateTime?.startsWith(closeDate) && details;
        });
        narrate.ok(`referral ${referralId} updated in Partner Center: deal value ${money(updated.value.dealValue, updated.value.currency)}, closing ${updated.value.closingDateTime}`, updated.elapsedMs);
        const audited = await wait('the update in the audit trail', synced(id, (row) => /dealValue/.test(latestAudit(row))));
        narrate.ok(`audit trail in Salesforce: ${latestAudit(audited.value)}`, audited.elapsedMs);
      }),

    // (c) Partner Center → Salesforce: Microsoft shares a deal, the seller accepts it, Microsoft updates it.
    () =>
      step('3. Partner Center → Salesforce: Microsoft shares a deal', async () => {
        narrate.action('A Microsoft seller shares a co-sell referral with the partner in Partner Center');
        const shared = pc.control.seller.share({
          name: 'Woodgrove - analytics platform',
          customer: { name: 'Woodgrove Bank', country: 'GB', city: 'London', postalCode: 'EC2A 1AA', contacts: [{ firstName: 'Ana', lastName: 'Silva', email: 'ana.silva@woodgrove.example' }] },
          dealValue: 90_000,
          currency: 'GBP',
        });
        const arrived = await wait('the new opportunity in Salesforce', () =>
          org.control.records.query(`SELECT Id, Name, StageName, Amount, CurrencyIsoCode FROM Opportunity WHERE Referral_Id__c = '${shared.id}'`)[0],
        );
        const id = String(arrived.value.Id);
        narrate.ok(`opportunity ${id} "${arrived.value.Name}" created in Salesforce: stage "${arrived.value.StageName}", ${money(arrived.value.Amount, arrived.value.CurrencyIsoCode)}`, arrived.elapsedMs);

        narrate.action(`Seller accepts it: moves the stage to "${ACTIVE_STAGE}"`);
        org.control.records.update('Opportunity', id, { StageName: ACTIVE_STAGE }, SELLER);
        const accepted = await wait('the acceptance in Partner Center', () => {
          const referral = pc.control.referrals.get(shared.id!);
          return referral.status === 'Active' && referral;
        });
        narrate.ok(`referral ${shared.id} in Partner Center: ${accepted.value.status}/${accepted.value.substatus}`, accepted.elapsedMs);
        const shown = await wait('the status on the opportunity', synced(id, (row) => row.Partner_Center_Status__c === 'Active - Accepted'));
        narrate.ok(`Salesforce shows Partner Center status "${shown.value.Partner_Center_Status__c}"`, shown.elapsedMs);

        narrate.action(`The Microsoft seller records the deal in Microsoft's CRM (id ${MICROSOFT_CRM_ID})`);
        pc.control.seller.setMicrosoftCrmId(shared.id!, MICROSOFT_CRM_ID);
        const crm = await wait('the Microsoft CRM id on the opportunity', () => record(id).Microsoft_CRM_Id__c === MICROSOFT_CRM_ID && record(id));
        narrate.ok(`Salesforce shows Microsoft CRM id ${crm.value.Microsoft_CRM_Id__c} on "${crm.value.Name}"`, crm.elapsedMs);
      }),

    // (d) A deal Partner Center cannot take: the seller is told what to fix, and it syncs once fixed.
    () =>
      step('4. A deal Partner Center cannot take', async () => {
        const id = seeded!.opportunities.tailspinTeams;
        const accountId = seeded!.accounts.tailspin;
        narrate.action(`Seller asks Microsoft for help on "${record(id).Name}" and turns on sync (no country on the account, no contact or solution on the deal)`);
        org.control.records.update(
          'Opportunity',
          id,
          { Visible_To_Microsoft_Sellers__c: true, Microsoft_Help__c: 'GeneralOrOther', Sync_With_Partner_Center__c: true },
          SELLER,
        );
        const refused = await wait('the connector to refuse it', () => {
          const row = record(id);
          if (row.Partner_Center_Sync_Status__c === 'Synced') throw new WaitError('Partner Center took a deal without a country');
          return row.Partner_Center_Sync_Status__c === 'Error' && row;
        });
        narrate.ok(`not sent; the seller sees "${refused.value.Name}" and, on the card, why:`, refused.elapsedMs);
        const problems = latestAudit(refused.value);
        // One line per problem: each names the record, the field and the fix.
        for (const sentence of problems.split(/(?<=\.) (?=Opportunity |It is parked)/)) narrate.shown(sentence);
        if (!/Billing Country/.test(problems) || !/Contact Roles/.test(problems)) throw new WaitError(`the message does not name the fields to fix: ${problems}`);

        narrate.action('Seller sets the billing country, adds the customer contact and a Microsoft solution');
        org.control.records.update('Account', accountId, { BillingCountry: 'US' }, SELLER);
        org.control.records.create('OpportunityContactRole', { OpportunityId: id, ContactId: seeded!.contacts.chris, Role: 'Decision Maker', IsPrimary: true }, SELLER);
        const solution = SOLUTION_CATALOG[3];
        // Adding a solution sends the sync request (reason SolutionsChanged), now with everything fixed.
        org.control.records.create(
          'Microsoft_Solution__c',
          {
            Opportunity__c: id,
            Solution_Id__c: solution.Solution_Id__c,
            Solution_Name__c: solution.Name,
            Publisher_Name__c: solution.Publisher_Name__c,
            Solution_Detail__c: seeded!.solutionDetails[solution.Solution_Id__c],
          },
          SELLER,
        );
        const fixed = await wait('the sync after the fix', synced(id, () => true, problems));
        narrate.ok(`shared: referral ${fixed.value.Referral_Id__c}, "${fixed.value.Name}"`, fixed.elapsedMs);
      }),
  ];

  for (const run of all) {
    if (!(await run())) break;
  }
  return { ok: steps.length === all.length && steps.every((s) => s.ok), steps };
}
