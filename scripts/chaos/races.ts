/**
 * The race suite: the seller edits an opportunity while the connector is syncing it, over and over, with latency
 * injected on both stand-ins so the edit lands at every point of the sync (before the read, between the read and
 * the Partner Center update, during the write-back). Three races, each run `rounds` times on several deals at once:
 * - `rename`: with the ✔ mark on, the seller renames the deal mid-sync. The write-back must not put the old
 *   name back, and the new name must reach Partner Center.
 * - `undelivered-edit`: the seller changes the amount mid-sync and the sync-request callout for that change
 *   fails (the flow's fault path leaves the opportunity Pending for the sweep). The in-flight sync must not mark
 *   the newer version Synced, and the amount must reach Partner Center.
 * - `undelivered-rename`: both at once, a rename whose callout fails.
 * After each round the deal must converge on what the seller last wrote, on both sides, and be Synced with the
 * mark. Everything runs in this process on loopback; the seed fixes each round's race, delay and values.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SUCCESS_MARK, stripStatusMark } from '../../connector/engine/audit.js';
import { toId18 } from '../../connector/model/salesforce-id.js';
import { startStack, type Stack } from '../../test/support/sync-stack.js';
import { WireTap } from '../../test/support/wire-tap.js';
import { Rng, deriveSeed } from './random.js';

export const RACE_KINDS = ['rename', 'undelivered-edit', 'undelivered-rename'] as const;
export type RaceKind = (typeof RACE_KINDS)[number];

export interface RaceOptions {
  seed: number;
  /** Rounds of each race. */
  rounds: number;
  /** Deals raced at once (each in its own lane). */
  deals: number;
  /** Latency added to every Partner Center and org call, plus up to as much jitter. */
  latencyMs: number;
  /** How long a round may take to converge once the seller stopped. */
  convergeMs: number;
}

export const DEFAULT_RACE_OPTIONS: RaceOptions = { seed: 20261207, rounds: 100, deals: 6, latencyMs: 30, convergeMs: 15_000 };

export interface RaceLoss {
  kind: RaceKind;
  deal: string;
  round: number;
  delayMs: number;
  message: string;
}

export interface RaceReport {
  seed: number;
  /** Seller edits made mid-sync, by race. */
  edits: Record<RaceKind, number>;
  /** Edits that did not end on both sides, by race. */
  lost: Record<RaceKind, number>;
  /** Callouts the suite made fail. */
  failedDeliveries: number;
  losses: RaceLoss[];
  durationSeconds: number;
}

interface RaceDeal {
  label: string;
  id: string;
  name: string;
  amount: number;
  description: string;
}

const SELLER = { as: 'seller' } as const;

function sellerUpdate(stack: Stack, id: string, fields: Record<string, unknown>): void {
  for (let attempt = 1; ; attempt++) {
    try {
      stack.org.control.records.update('Opportunity', id, fields, SELLER);
      return;
    } catch (error) {
      // A save that meets the connector's row lock is saved again, as a person would.
      if (attempt >= 8 || (error as { errorCode?: string }).errorCode !== 'UNABLE_TO_LOCK_ROW') throw error;
    }
  }
}

function createDeal(stack: Stack, label: string, rng: Rng): RaceDeal {
  const records = stack.org.control.records;
  const accountId = records.create('Account', { Name: `Race ${label} Customer`, BillingStreet: '1 Main Street', BillingCity: 'Redmond', BillingPostalCode: '98052', BillingCountry: 'US' }, SELLER);
  const deal = { label, name: `Race ${label} deal`, amount: rng.int(2, 1800) * 500, description: `Race ${label}: created.` };
  const id = records.create(
    'Opportunity',
    {
      Name: deal.name,
      AccountId: accountId,
      Amount: deal.amount,
      CurrencyIsoCode: 'USD',
      CloseDate: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10),
      StageName: 'Prospecting',
      Description: deal.description,
      Sync_With_Partner_Center__c: true,
    },
    SELLER,
  );
  return { ...deal, id: toId18(id)! };
}

/** What is wrong with the deal now, compared with what the seller last wrote; null when both sides have it. */
function divergence(stack: Stack, deal: RaceDeal): string | null {
  const opp = stack.org.control.records.get(deal.id) as Record<string, unknown>;
  const problems: string[] = [];
  if (stripStatusMark(String(opp.Name)) !== deal.name) problems.push(`Salesforce name is ${JSON.stringify(opp.Name)}, the seller wrote ${JSON.stringify(deal.name)}`);
  if (opp.Amount !== deal.amount) problems.push(`Salesforce amount is ${String(opp.Amount)}, the seller wrote ${deal.amount}`);
  if (opp.Partner_Center_Sync_Status__c !== 'Synced') problems.push(`sync status is ${String(opp.Partner_Center_Sync_Status__c)}`);
  else if (opp.Name !== `${SUCCESS_MARK} ${deal.name}`) problems.push(`Synced without the mark on the seller's name: ${JSON.stringify(opp.Name)}`);
  const referralId = opp.Referral_Id__c ? String(opp.Referral_Id__c) : null;
  if (!referralId) return [...problems, 'no referral linked'].join('; ');
  const referral = stack.pc.control.referrals.get(referralId);
  if (referral.name !== deal.name) problems.push(`Partner Center name is ${JSON.stringify(referral.name)}, the seller wrote ${JSON.stringify(deal.name)}`);
  if (referral.details?.dealValue !== deal.amount) problems.push(`Partner Center deal value is ${String(referral.details?.dealValue)}, the seller wrote ${deal.amount}`);
  if (referral.details?.notes !== deal.description) problems.push(`Partner Center notes are ${JSON.stringify(referral.details?.notes)}, the seller wrote ${JSON.stringify(deal.description)}`);
  return problems.length > 0 ? problems.join('; ') : null;
}

async function converged(stack: Stack, deal: RaceDeal, withinMs: number): Promise<string | null> {
  const deadline = Date.now() + withinMs;
  let problem = divergence(stack, deal);
  // Twice in a row: a pass between two steps of one sync does not count.
  for (let quiet = 0; quiet < 2; ) {
    if (Date.now() > deadline) return problem ?? 'did not stay converged';
    await sleep(problem ? 50 : 150);
    problem = divergence(stack, deal);
    quiet = problem ? 0 : quiet + 1;
  }
  return null;
}

/** Resolves once the tap has seen `count` sync requests for the opportunity (or the time is up). */
async function deliveriesSeen(tap: WireTap, id: string, count: number, withinMs = 5000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (requestsFor(tap, id) >= count) return true;
    await sleep(5);
  }
  return false;
}

function requestsFor(tap: WireTap, id: string): number {
  return tap.exchanges.filter((e) => e.method === 'POST' && e.body.toString('utf8').includes(id)).length;
}

export async function runRaces(partial: Partial<RaceOptions> = {}): Promise<RaceReport> {
  const options = { ...DEFAULT_RACE_OPTIONS, ...partial };
  const began = Date.now();
  const stack = await startStack({
    config: {
      sweeps: { enabled: true, pendingIntervalMs: 1000, pendingAgeSeconds: 1, referralsIntervalMs: 600_000 },
      worker: { concurrency: Math.max(4, options.deals), maxAttempts: 12 },
    },
  });
  // The org's sync-request callouts go through a tap that can make one fail, as a connector outage would.
  const tap = await new WireTap().start();
  const refused = new Set<string>();
  let failedDeliveries = 0;
  tap.refuse = (exchange) => {
    const id = [...refused].find((candidate) => exchange.body.toString('utf8').includes(candidate));
    if (!id) return null;
    refused.delete(id);
    failedDeliveries++;
    return 503;
  };
  const report: RaceReport = {
    seed: options.seed,
    edits: { rename: 0, 'undelivered-edit': 0, 'undelivered-rename': 0 },
    lost: { rename: 0, 'undelivered-edit': 0, 'undelivered-rename': 0 },
    failedDeliveries: 0,
    losses: [],
    durationSeconds: 0,
  };
  try {
    tap.target = stack.connector.url;
    const target = stack.org.control.deliveries.target()!;
    stack.org.control.deliveries.configure({ ...target, connectorUrl: tap.url });
    const setupRng = new Rng(deriveSeed(options.seed, 0));
    const deals = Array.from({ length: options.deals }, (_, i) => createDeal(stack, `r${options.seed % 10_000}-${i}`, setupRng));
    for (const deal of deals) {
      const problem = await converged(stack, deal, options.convergeMs);
      if (problem) throw new Error(`deal ${deal.label} never synced before the races began: ${problem}`);
    }
    stack.pc.control.faults.set({ latencyMs: options.latencyMs, latencyJitterMs: options.latencyMs });
    stack.org.control.faults.set({ latencyMs: Math.round(options.latencyMs / 3), latencyJitterMs: Math.round(options.latencyMs / 3), seed: options.seed });

    const total = options.rounds * RACE_KINDS.length;
    const perDeal = Math.ceil(total / deals.length);
    await Promise.all(
      deals.map(async (deal, d) => {
        const rng = new Rng(deriveSeed(options.seed, d + 1));
        for (let n = 0; n < perDeal; n++) {
          const index = d * perDeal + n;
          if (index >= total) return;
          const kind = RACE_KINDS[index % RACE_KINDS.length];
          // Start a sync: the note changes and its callout goes out.
          const seen = requestsFor(tap, deal.id);
          deal.description = `Race ${deal.label}: note ${n}.`;
          sellerUpdate(stack, deal.id, { Description: deal.description });
          await deliveriesSeen(tap, deal.id, seen + 1);
          // Then edit again at a random moment of that sync.
          const delayMs = rng.int(0, options.latencyMs * 6);
          await sleep(delayMs);
          const undelivered = kind !== 'rename';
          if (undelivered) refused.add(deal.id);
          const changes: Record<string, unknown> = {};
          if (kind !== 'undelivered-edit') changes.Name = deal.name = `Race ${deal.label} deal rename ${n}`;
          if (kind !== 'rename') changes.Amount = deal.amount = deal.amount + rng.int(1, 40) * 500;
          sellerUpdate(stack, deal.id, changes);
          report.edits[kind]++;
          if (undelivered) {
            await deliveriesSeen(tap, deal.id, seen + 2);
            refused.delete(deal.id);
          }
          const problem = await converged(stack, deal, options.convergeMs);
          if (problem) {
            report.lost[kind]++;
            report.losses.push({ kind, deal: deal.label, round: n, delayMs, message: problem });
          }
        }
      }),
    );
  } finally {
    report.failedDeliveries = failedDeliveries;
    await tap.close();
    await stack.close();
  }
  report.durationSeconds = Math.round((Date.now() - began) / 100) / 10;
  return report;
}

export function raceSummary(report: RaceReport): string {
  const rows = RACE_KINDS.map((kind) => `  ${kind.padEnd(20)} ${String(report.lost[kind]).padStart(4)} lost of ${report.edits[kind]} edits`);
  const losses = report.losses.slice(0, 10).map((l) => `  ${l.kind} ${l.deal} round ${l.round} (+${l.delayMs} ms): ${l.message}`);
  return [`race suite, seed ${report.seed}, ${report.durationSeconds} s, ${report.failedDeliveries} callouts failed on purpose`, ...rows, ...losses].join('\n');
}
