/**
 * The sandbox the benchmark measures: the local org, the Partner Center emulator and the connector, all on
 * loopback in this process, with the connector's production defaults (worker, retries, sweeps) and a SQLite
 * store in a file, as a deployment has. No faults are set. Only the HTTP port, the store path and the log
 * level differ from a real `cosell start`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../connector/config/load.js';
import { createLogger } from '../../connector/observability/logger.js';
import type { RunningConnector } from '../../connector/service.js';
import { ACTIVE_STAGE, LOST_STAGE, ON_HOLD_STAGE, SOLUTION_CATALOG, WON_STAGE, startLocalOrg, type LocalOrg } from '../../sandbox/org/index.js';
import { startPartnerCenterEmulator, type PartnerCenterEmulator } from '../../sandbox/partner-center/emulator.js';
import { startSandboxConnector } from '../../sandbox/stack/connector.js';

export interface BenchStack {
  org: LocalOrg;
  pc: PartnerCenterEmulator;
  connector: RunningConnector;
  close(): Promise<void>;
}

export interface BenchStackOptions {
  /** The catch-up sweeps (the backfill path); the latency runs leave them off so only the change is measured. */
  sweeps: boolean;
  /** Demo data in the org; off gives an empty org with only the admin's setup (settings, solution catalog). */
  demoData: boolean;
  /** Runs once the emulators are up and before the connector starts (e.g. seeding referrals). */
  beforeConnector?: (org: LocalOrg, pc: PartnerCenterEmulator) => Promise<void> | void;
  /** Runs just before the connector starts: the backfill clock and call counters start here. */
  onConnectorStarting?: () => void;
}

/** What an admin sets up after installing the package: the settings record and the solution catalog. */
function configureEmptyOrg(org: LocalOrg): void {
  org.control.records.create('Partner_Center_Settings__c', {
    Name: 'Default',
    Active__c: true,
    Display_Check_Mark__c: true,
    Active_Stage_Name__c: ACTIVE_STAGE,
    On_Hold_Stage_Name__c: ON_HOLD_STAGE,
    Won_Stage_Name__c: WON_STAGE,
    Lost_Stage_Name__c: LOST_STAGE,
    Country_Code_Field__c: 'Account.BillingCountry',
    Deal_Value_Field__c: 'Opportunity.Amount',
    Currency_Field__c: 'Opportunity.CurrencyIsoCode',
    Sync_Co_Sell_Only__c: true,
  });
  for (const entry of SOLUTION_CATALOG) org.control.records.create('Microsoft_Solution_Detail__c', { ...entry, Active__c: true });
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cosell-bench-'));
  const closers: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const step of closers.splice(0).reverse()) await step();
  };
  try {
    const org = await startLocalOrg({ seed: options.demoData });
    closers.push(() => org.close());
    if (!options.demoData) configureEmptyOrg(org);
    const pc = await startPartnerCenterEmulator();
    closers.push(() => pc.close());
    await options.beforeConnector?.(org, pc);

    const config = loadConfig({
      env: { COSELL_MODE: 'sandbox' },
      overrides: {
        http: { port: 0 },
        store: { path: path.join(dir, 'store.sqlite') },
        sweeps: { enabled: options.sweeps },
        log: { level: 'silent' },
      },
    });
    options.onConnectorStarting?.();
    const connector = await startSandboxConnector(config, {
      logger: createLogger({ level: process.env.COSELL_BENCH_LOG ?? 'silent' }),
      sandbox: { org, partnerCenter: pc },
    });
    closers.push(() => connector.close());
    return { org, pc, connector, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Resolves once nothing is queued or running in the connector and no webhook or sync request is in flight. */
export async function settled(stack: BenchStack, pollMs = 5): Promise<void> {
  for (let quiet = 0; quiet < 2; ) {
    await Promise.all([stack.pc.control.webhooks.idle(), stack.org.control.deliveries.idle()]);
    const { depth, running } = await stack.connector.store.stats();
    quiet = depth.outbound + depth.inbound + depth.sweep + running === 0 ? quiet + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Polls `check` every `pollMs` until it returns a value; fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs: number, pollMs = 2): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`benchmark: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
