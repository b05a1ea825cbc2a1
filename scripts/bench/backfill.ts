/**
 * Backfill: co-sell referrals Microsoft shared before the connector was installed, seeded straight into the
 * emulator (no webhook is registered yet, so none is sent), brought into an empty org by the connector's first
 * referrals sweep. The clock starts when the starting connector queues that sweep (the work item's creation
 * time, so the process's own boot is not counted) and stops at the org's timestamp of the status event
 * (Partner_Center_Sync_Status__e, published once an opportunity is written and re-read) of the last referral;
 * the run then waits for the queue to drain and checks that every referral became exactly one opportunity.
 * CPU time and peak memory are read at the drained queue, before the connector stops.
 */
import { emulatorPartnerCenterClient } from '../../sandbox/stack/partner-center.js';
import { callsByRoute, partnerCenterCalls, resetCalls, salesforceCalls } from './calls.js';
import { backfillLimitSeconds, measureLimits } from './limits.js';
import type { LatencyProfileName } from './profiles.js';
import { signInAsSeller } from './seller.js';
import { settled, startBenchStack } from './stack.js';
import { SYNC_STATUS_EVENT, type EventMessage } from '../../sandbox/org/index.js';
import type { PartnerCenterEmulator } from '../../sandbox/partner-center/emulator.js';

const COUNTRIES = ['US', 'DE', 'GB', 'FR', 'JP'] as const;

export interface BackfillResult {
  referrals: number;
  seconds: number;
  /** The least it could take: every listing page in sequence, then one Salesforce round trip. */
  limitSeconds: number;
  opportunities: number;
  partnerCenterCalls: number;
  salesforceCalls: number;
  /** CPU seconds the connector process and this process (the stand-ins) spent from start to drained queue. */
  cpuSeconds: { connector: number; standIns: number };
  /** The connector process's peak resident set, MB. */
  connectorPeakRssMb: number | null;
  byRoute: ReturnType<typeof callsByRoute>;
}

/** A distinct word per customer ("bqxz"), so no company name is contained in another as digits would be. */
function companyWord(i: number): string {
  let word = '';
  for (let n = i, k = 0; k < 4; k++, n = Math.floor(n / 26)) word += String.fromCharCode(97 + (n % 26));
  return word;
}

/** Co-sell referrals, each for its own customer with one contact: every one needs an account, contact and opportunity. */
export function seedReferrals(pc: PartnerCenterEmulator, count: number): void {
  for (let i = 0; i < count; i++) {
    const word = companyWord(i);
    pc.control.seller.share({
      name: `Backfill deal ${i}`,
      customer: {
        name: `Backfill ${word} Ltd`,
        country: COUNTRIES[i % COUNTRIES.length],
        postalCode: String(10_000 + (i % 90_000)),
        contacts: [{ firstName: 'Jordan', lastName: `Doe ${word}`, email: `jordan.doe.${word}@backfill.example` }],
      },
      dealValue: 10_000 + i,
    });
  }
}

export interface BackfillOptions {
  latency: LatencyProfileName;
  concurrency?: number;
  timeoutMs?: number;
  onProgress?: (done: number) => void;
}

export async function measureBackfill(count: number, options: BackfillOptions): Promise<BackfillResult> {
  const timeoutMs = options.timeoutMs ?? 60 * 60_000;
  let finished = 0;
  const synced = new Set<string>();
  let resolveAll: () => void = () => undefined;
  const allSynced = new Promise<void>((resolve) => (resolveAll = resolve));
  const onEvent = (message: EventMessage) => {
    const { Opportunity_Id__c: id, Sync_Status__c: status, CreatedDate: at } = message.data.payload;
    if (status !== 'Synced' || synced.has(String(id))) return;
    synced.add(String(id));
    options.onProgress?.(synced.size);
    if (synced.size === count) {
      finished = Date.parse(String(at).replace(/\+0000$/, 'Z'));
      resolveAll();
    }
  };
  const stack = await startBenchStack({
    sweeps: true,
    demoData: false,
    latency: options.latency,
    concurrency: options.concurrency,
    beforeConnector: (org, pc) => {
      seedReferrals(pc, count);
      org.control.events.subscribe(SYNC_STATUS_EVENT, onEvent);
      resetCalls({ org, pc });
    },
  });
  try {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      allSynced,
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`benchmark: only ${synced.size} of ${count} referrals were backfilled after ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    await settled(stack, 50);
    const cpuSeconds = stack.cpu();
    const connectorPeakRssMb = stack.connectorPeakRssMb();
    const dead = await stack.store.listDeadLetters();
    if (dead.length > 0) throw new Error(`benchmark: the backfill left ${dead.length} dead letter(s), e.g. ${dead[0].lastError?.message ?? 'no message'}`);
    // The clock starts when the connector, starting, queued its first referrals sweep: the backfill.
    const [sweep] = (await stack.store.listItems({ kind: 'sweep', limit: 100 })).filter((item) => item.payload.sweep === 'referrals');
    if (!sweep) throw new Error('benchmark: the connector queued no referrals sweep');
    const calls = { partnerCenterCalls: partnerCenterCalls(stack.pc), salesforceCalls: salesforceCalls(stack.org), byRoute: callsByRoute(stack) };
    // Counted after the call counters were read, in the org itself: these checks are the benchmark's.
    const opportunities = stack.org.control.records.query('SELECT Id FROM Opportunity WHERE Referral_Id__c != null').length;
    const accounts = stack.org.control.records.query('SELECT Id FROM Account').length;
    if (opportunities !== count || accounts !== count) {
      throw new Error(`benchmark: ${count} referrals became ${opportunities} opportunities and ${accounts} accounts; expected ${count} of each`);
    }
    const seller = await signInAsSeller(stack.org);
    const limits = await measureLimits(emulatorPartnerCenterClient(stack.pc), seller, stack.pc.control.referrals.all()[0].id!, String(stack.org.control.records.query('SELECT Id FROM Opportunity LIMIT 1')[0].Id), 10);
    return {
      referrals: count,
      seconds: (finished - sweep.createdAt) / 1000,
      limitSeconds: Math.round(backfillLimitSeconds(count, limits) * 1000) / 1000,
      opportunities,
      cpuSeconds: { connector: Math.round(cpuSeconds.connector * 100) / 100, standIns: Math.round(cpuSeconds.standIns * 100) / 100 },
      connectorPeakRssMb,
      ...calls,
    };
  } finally {
    await stack.close();
  }
}
