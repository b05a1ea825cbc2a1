/**
 * The sandbox the benchmark measures, as a user meets it: the local org and the Partner Center emulator in this
 * process, the connector in a process of its own (the chaos run's connector child: the real `startConnector`
 * with its HTTP edge, worker, sweeps and a SQLite store in a file), pointed at the stand-ins by URL. The org's
 * delivery flow and the webhook registration are pointed at it as an admin would. Latency comes from the
 * stand-ins' own latency settings (a profile, profiles.ts), so the connector pays it on every call it makes.
 * The connector's CPU time and peak RSS are read from /proc, this process's (the stand-ins') from Node.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { emulatorEndpoint, emulatorPartnerCenterClient } from '../../sandbox/stack/partner-center.js';
import { DEFAULTS } from '../../connector/config/types.js';
import { WEBHOOK_PATH } from '../../connector/http/webhooks.js';
import { SqliteStore } from '../../connector/store/sqlite-store.js';
import { ACTIVE_STAGE, LOST_STAGE, ON_HOLD_STAGE, SOLUTION_CATALOG, WON_STAGE, type LocalOrg } from '../../sandbox/org/index.js';
import type { PartnerCenterEmulator } from '../../sandbox/partner-center/emulator.js';
import { startSandboxStack } from '../../sandbox/stack/connector.js';
import { ConnectorProcess, freePort } from '../chaos/connector-process.js';
import type { ConnectorChildSpec } from '../chaos/connector-spec.js';
import { LATENCY_PROFILES, type LatencyProfileName } from './profiles.js';

export interface BenchStack {
  org: LocalOrg;
  pc: PartnerCenterEmulator;
  connector: ConnectorProcess;
  /** The connector's store, opened read-side by the benchmark to see when the queue is drained. */
  store: SqliteStore;
  latency: LatencyProfileName;
  /** CPU seconds since the connector listened: the connector process's, and this process's (the stand-ins and the benchmark). */
  cpu(): { connector: number; standIns: number };
  /** The connector process's peak resident set so far, in MB (VmHWM). */
  connectorPeakRssMb(): number | null;
  close(): Promise<void>;
}

export interface BenchStackOptions {
  /** The catch-up sweeps (the backfill path); the latency runs leave them off so only the change is measured. */
  sweeps: boolean;
  /** Demo data in the org; off gives an empty org with only the admin's setup (settings, solution catalog). */
  demoData: boolean;
  latency: LatencyProfileName;
  /** Items the connector works at once; its configured default when absent. */
  concurrency?: number;
  /** Runs once the emulators are up and before the connector starts (e.g. seeding referrals). */
  beforeConnector?: (org: LocalOrg, pc: PartnerCenterEmulator) => Promise<void> | void;
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

const PARTNER_CENTER_TIMEOUT_MS = 30_000;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of a process in seconds, from /proc/<pid>/stat; null where there is no /proc. */
function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function peakRssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cosell-bench-'));
  const closers: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const step of closers.splice(0).reverse()) await step();
  };
  try {
    // The stand-ins start as every stack starts them (sandbox/stack/connector.ts); the connector here runs in its own
    // process, so the in-process builder (sandbox/stack/loopback.ts) does not apply.
    const stand = await startSandboxStack({ org: { seed: options.demoData } });
    closers.push(() => stand.close());
    const { org, partnerCenter: pc } = stand;
    if (!options.demoData) configureEmptyOrg(org);
    await options.beforeConnector?.(org, pc);
    const profile = LATENCY_PROFILES[options.latency];
    org.control.faults.set(profile.salesforce);
    pc.control.faults.set(profile.partnerCenter);

    const port = await freePort();
    const syncRequestSecret = randomBytes(24).toString('base64url');
    const storePath = path.join(dir, 'store.sqlite');
    const spec = (): ConnectorChildSpec => ({
      port,
      storePath,
      syncRequestSecret,
      logLevel: process.env.COSELL_BENCH_LOG ?? 'silent',
      salesforce: { loginUrl: org.loginUrl, apiVersion: org.apiVersion, clientId: org.integrationCredentials.clientId, clientSecret: org.integrationCredentials.clientSecret },
      partnerCenter: {
        ...emulatorEndpoint(pc),
        certificateHost: new URL(pc.certificateUrl).host,
        certificateAuthorityPem: pc.certificateAuthorityPem,
        // The client's production defaults: a realistic profile's slowest call is far inside them.
        timeoutMs: PARTNER_CENTER_TIMEOUT_MS,
        retry: {},
      },
      worker: { ...DEFAULTS.worker, ...(options.concurrency ? { concurrency: options.concurrency } : {}) },
      sweeps: { ...DEFAULTS.sweeps, enabled: options.sweeps },
    });
    const connector = new ConnectorProcess(spec, path.join(dir, 'connector.log'));
    closers.push(() => connector.stop());
    const { url } = await connector.start();
    // What an admin does after installing: point the named credential and the webhook registration at it.
    org.control.deliveries.configure({ connectorUrl: url, sharedSecret: syncRequestSecret });
    await emulatorPartnerCenterClient(pc).registerWebhooks(`${url}${WEBHOOK_PATH}`);
    const store = new SqliteStore({ path: storePath });
    closers.push(() => store.close());
    // From here on: the connector's boot (loading its code) is not what the figures are about.
    const ownStart = process.cpuUsage();
    const connectorStart = processCpuSeconds(connector.pid) ?? Number.NaN;
    return {
      org,
      pc,
      connector,
      store,
      latency: options.latency,
      cpu: () => {
        const own = process.cpuUsage(ownStart);
        return { connector: (processCpuSeconds(connector.pid) ?? Number.NaN) - connectorStart, standIns: (own.user + own.system) / 1e6 };
      },
      connectorPeakRssMb: () => peakRssMb(connector.pid),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Resolves once nothing is queued or running in the connector and no webhook or sync request is in flight. */
export async function settled(stack: BenchStack, pollMs = 5): Promise<void> {
  for (let quiet = 0; quiet < 2; ) {
    await Promise.all([stack.pc.control.webhooks.idle(), stack.org.control.deliveries.idle()]);
    const { depth, running } = await stack.store.stats();
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
