/**
 * Backfill: co-sell referrals Microsoft shared before the connector was installed, seeded straight into the
 * emulator (no webhook is registered yet, so none is sent), brought into an empty org by the connector's first
 * referrals sweep. The clock starts as the connector starts and stops at the org's timestamp of the status event
 * (Partner_Center_Sync_Status__e, published once an opportunity is written and re-read) of the last referral;
 * the run then waits for the queue to drain and checks that every referral became exactly one opportunity.
 */
import { callsByRoute, partnerCenterCalls, resetCalls, salesforceCalls } from './calls.js';
import { settled, startBenchStack } from './stack.js';
import { SYNC_STATUS_EVENT, type EventMessage } from '../../sandbox/org/index.js';
import type { PartnerCenterEmulator } from '../../sandbox/partner-center/emulator.js';

const COUNTRIES = ['US', 'DE', 'GB', 'FR', 'JP'] as const;

export interface BackfillResult {
  referrals: number;
  seconds: number;
  opportunities: number;
  partnerCenterCalls: number;
  salesforceCalls: number;
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

export async function measureBackfill(count: number, options: { timeoutMs?: number; onProgress?: (done: number) => void } = {}): Promise<BackfillResult> {
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  let started = 0;
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
    beforeConnector: (org, pc) => {
      seedReferrals(pc, count);
      org.control.events.subscribe(SYNC_STATUS_EVENT, onEvent);
      resetCalls({ org, pc });
    },
    onConnectorStarting: () => {
      started = Date.now();
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
    const dead = await stack.connector.store.listDeadLetters();
    if (dead.length > 0) throw new Error(`benchmark: the backfill left ${dead.length} dead letter(s), e.g. ${dead[0].lastError?.message ?? 'no message'}`);
    const calls = { partnerCenterCalls: partnerCenterCalls(stack.pc), salesforceCalls: salesforceCalls(stack.org), byRoute: callsByRoute(stack) };
    // Counted after the call counters were read: these checks are the benchmark's calls, not the connector's.
    const conn = await stack.connector.salesforce.connection();
    const total = async (soql: string) => (await conn.query(soql)).totalSize;
    const opportunities = await total('SELECT COUNT() FROM Opportunity WHERE Referral_Id__c != null');
    const accounts = await total('SELECT COUNT() FROM Account');
    if (opportunities !== count || accounts !== count) {
      throw new Error(`benchmark: ${count} referrals became ${opportunities} opportunities and ${accounts} accounts; expected ${count} of each`);
    }
    return { referrals: count, seconds: Math.round((finished - started) / 100) / 10, opportunities, ...calls };
  } finally {
    await stack.close();
  }
}
