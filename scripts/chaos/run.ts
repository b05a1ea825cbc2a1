/**
 * The chaos run: the local org and the Partner Center emulator in this process, the connector in a child
 * process on a durable SQLite store, and a series of randomised scenarios. Each scenario turns faults on, lets
 * the partner seller and the Microsoft seller act (killing the connector with SIGKILL mid-work in some, sending
 * hostile webhook deliveries in all), turns the faults off, then waits — up to a deadline — until both sides
 * agree and the queue is empty, and checks the invariants (invariants.ts). Sweeps run on short intervals so
 * dropped webhooks and missed callouts are caught up within seconds.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { emulatorEndpoint, emulatorPartnerCenterClient } from '../../sandbox/stack/partner-center.js';
import { WEBHOOK_PATH } from '../../connector/http/webhooks.js';
import { SqliteStore } from '../../connector/store/sqlite-store.js';
import { startLocalOrg, type LocalOrg } from '../../sandbox/org/index.js';
import { startPartnerCenterEmulator, type PartnerCenterEmulator } from '../../sandbox/partner-center/emulator.js';
import { Actors, type Deal } from './actors.js';
import { ConnectorProcess, freePort } from './connector-process.js';
import type { ConnectorChildSpec } from './connector-spec.js';
import { HostileSender, type HostileResult } from './hostile.js';
import { WireTap } from '../../test/support/wire-tap.js';
import { checkDeals, checkStore, injectedDeadLetter, readSettings, type Checker, type Violation } from './invariants.js';
import { planScenario, type ScenarioPlan } from './plan.js';
import { Rng, deriveSeed } from './random.js';

export interface ChaosOptions {
  seed: number;
  scenarios: number;
  /** Run only these scenario indices (each planned from the run's seed exactly as in a full run). */
  only?: readonly number[];
  /** How long a scenario may take to converge once its faults are off. */
  deadlineMs: number;
  /** Scenarios with index ≡ 1 (mod killEvery) always SIGKILL the connector; others with `killChance`. */
  killEvery: number;
  killChance: number;
  /** Connector log level (its JSON lines go to connector.log in the work directory). */
  logLevel: string;
  /** Keep the work directory (store, connector log) even when every scenario passed. */
  keepWorkDir: boolean;
  /** Called with each scenario's result as soon as it is known. */
  onScenario?: (result: ScenarioResult) => void;
}

export const DEFAULT_OPTIONS: ChaosOptions = {
  seed: 20260611,
  scenarios: 50,
  deadlineMs: 60_000,
  killEvery: 4,
  killChance: 0.2,
  logLevel: 'info',
  keepWorkDir: false,
};

/** Faults injected during one scenario, by kind. */
export interface FaultCounts {
  rateLimits: number;
  serverErrors: number;
  timeouts: number;
  concurrentEdits: number;
  webhooksDropped: number;
  webhooksDuplicated: number;
  webhooksReordered: number;
  rowLocks: number;
  validationRules: number;
  deliveriesFailed: number;
  editsDuringSync: number;
  kills: number;
  hostileDeliveries: number;
}

export interface ScenarioResult {
  index: number;
  seed: number;
  faults: FaultCounts;
  faultsInjected: number;
  actions: string[];
  deals: number;
  /** Seconds from faults off to convergence; null when the deadline passed first. */
  convergedSeconds: number | null;
  violations: Violation[];
  hostile: HostileResult[];
  replayedDeadLetters: number;
  /** Wall time of the whole scenario (actions, soak, restart, convergence), in seconds. */
  durationSeconds: number;
  ok: boolean;
}

export interface ChaosReport {
  scenarios: number;
  faultsInjected: number;
  lost: number;
  duplicated: number;
  rejectedForgeries: number;
  maxConvergenceSeconds: number;
  seed: number;
  failedScenarios: number[];
  forgeries: number;
  forgeriesAccepted: number;
  deals: number;
  connectorStarts: number;
  /** Dead letters the injected validation rule caused, replayed once it was lifted (all of them must then pass). */
  deadLettersReplayed: number;
  faultsByKind: FaultCounts;
  /** Violations found by a last check of every deal of every converged scenario, after the whole run. */
  finalAudit: Violation[];
  durationSeconds: number;
  workDir: string | null;
  results: ScenarioResult[];
}

const ZERO: FaultCounts = {
  rateLimits: 0,
  serverErrors: 0,
  timeouts: 0,
  concurrentEdits: 0,
  webhooksDropped: 0,
  webhooksDuplicated: 0,
  webhooksReordered: 0,
  rowLocks: 0,
  validationRules: 0,
  deliveriesFailed: 0,
  editsDuringSync: 0,
  kills: 0,
  hostileDeliveries: 0,
};

interface Harness {
  org: LocalOrg;
  pc: PartnerCenterEmulator;
  connector: ConnectorProcess;
  url: string;
  store: SqliteStore;
  hostile: HostileSender;
  /** Every Microsoft seller edit in the emulator (the actors' and the injected concurrent ones), as it happens. */
  onMicrosoftEdit: ((referralId: string, changes: Record<string, unknown>) => void) | null;
  /** The org's sync-request callouts pass through it on their way to the connector; it fails some of them. */
  deliveries: WireTap;
  checker: Checker;
  replayed: Set<number>;
}

function counters(h: Harness): FaultCounts {
  const pc = h.pc.control.faults.injected();
  const webhooks = h.pc.stats().webhooks;
  const org = h.org.control.faults.injected();
  return {
    ...ZERO,
    rateLimits: pc.rateLimits,
    serverErrors: pc.serverErrors,
    timeouts: pc.timeouts,
    concurrentEdits: pc.concurrentEdits,
    webhooksDropped: webhooks.dropped,
    webhooksDuplicated: webhooks.duplicated,
    webhooksReordered: webhooks.reordered,
    rowLocks: org.lockRow,
    validationRules: org.validationRule,
  };
}

function minus(a: FaultCounts, b: FaultCounts): FaultCounts {
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - b[k as keyof FaultCounts]])) as unknown as FaultCounts;
}

function plus(a: FaultCounts, b: FaultCounts): FaultCounts {
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v + b[k as keyof FaultCounts]])) as unknown as FaultCounts;
}

export const totalFaults = (f: FaultCounts) => Object.values(f).reduce((sum, n) => sum + n, 0);

async function idle(wait: Promise<void>): Promise<boolean> {
  return Promise.race([wait.then(() => true), sleep(5).then(() => false)]);
}

async function runScenario(h: Harness, plan: ScenarioPlan, options: ChaosOptions): Promise<{ result: ScenarioResult; deals: Deal[] }> {
  const began = Date.now();
  const before = counters(h);
  h.pc.control.faults.reseed(plan.seed);
  h.pc.control.faults.set(plan.partnerCenter);
  h.org.control.faults.set({ ...plan.org, seed: plan.seed });
  const rng = new Rng(deriveSeed(plan.seed, 1));
  const deliveryRng = new Rng(deriveSeed(plan.seed, 2));
  let deliveriesFailed = 0;
  let editsDuringSync = 0;
  const failNext = new Set<string>();
  h.deliveries.refuse = (exchange) => {
    const body = exchange.body.toString('utf8');
    const targeted = [...failNext].find((id) => body.includes(id));
    if (targeted) failNext.delete(targeted);
    if (!targeted && !deliveryRng.chance(plan.deliveryFailRate)) return null;
    deliveriesFailed++;
    return 503;
  };
  const actors = new Actors(h.org, h.pc, rng, `s${plan.index}`);
  h.onMicrosoftEdit = (referralId, changes) => actors.recordMicrosoftEdit(referralId, changes);
  const hostile: HostileResult[] = [];
  let kills = 0;
  let restart: Promise<void> = Promise.resolve();

  for (let step = 0; step < plan.actions; step++) {
    if (plan.kill?.beforeAction === step) {
      // Mid-work: wait (briefly) until the worker holds an item, then cut it off.
      for (let waited = 0; waited < 1500 && (await h.store.stats()).running === 0; waited += 25) await sleep(25);
      await h.connector.kill();
      kills++;
      const downMs = plan.kill.downMs;
      restart = sleep(downMs).then(async () => void (await h.connector.start()));
    }
    for (const delivery of plan.hostile.filter((d) => d.beforeAction === step)) {
      // Hostile deliveries need a listening connector to be refused by it.
      await restart;
      const target = actors.deals.map((d) => actors.referralOf(d)).find(Boolean);
      hostile.push(await h.hostile.send(delivery.kind, h.url, h.store, target));
    }
    if (plan.midSyncEdits.includes(step)) {
      // Wait (briefly) for a sync in flight, then edit that deal; half the time its callout fails too.
      let running = new Set<string>();
      for (let waited = 0; waited < 1500 && running.size === 0; waited += 10) {
        running = new Set((await h.store.listItems({ status: 'running', kind: 'outbound' })).map((item) => item.key));
        if (running.size === 0) await sleep(10);
      }
      const failDelivery = rng.chance(0.5);
      const record = actors.editDuringSync(running);
      const deal = record && !record.refused ? actors.dealByLabel(record.deal) : undefined;
      if (deal?.opportunityId && failDelivery) failNext.add(deal.opportunityId);
      if (record?.action === 'seller.editDuringSync' && !record.refused) editsDuringSync++;
    }
    actors.act();
    await sleep(rng.int(20, 200));
  }
  await sleep(plan.soakMs);
  await restart;

  // Faults off: Partner Center and the org behave, Microsoft stops editing; sweeps and retries catch up.
  h.pc.control.faults.reset();
  h.org.control.faults.reset();
  h.deliveries.refuse = null;
  const faults = { ...minus(counters(h), before), deliveriesFailed, editsDuringSync, kills, hostileDeliveries: hostile.length };
  const started = Date.now();
  let convergedSeconds: number | null = null;
  let violations: Violation[] = [];
  let replayedDeadLetters = 0;
  let quietChecks = 0;
  while (Date.now() - started < options.deadlineMs) {
    // What an admin does once the validation rule is fixed: replay what it parked.
    for (const item of await h.store.listDeadLetters({ limit: 10_000 })) {
      if (injectedDeadLetter(item) && !h.replayed.has(item.id)) {
        h.replayed.add(item.id);
        if (await h.store.replay(item.id)) replayedDeadLetters++;
      }
    }
    const store = await checkStore(h.store, [], h.replayed);
    const quiet = store.busy === 0 && (await idle(h.pc.control.webhooks.idle())) && (await idle(h.org.control.deliveries.idle()));
    violations = [...store.violations, ...checkDeals(actors.deals, h.org, h.pc, h.checker)];
    if (!quiet && store.busy > 0) violations.push({ kind: 'lost', deal: '-', message: `${store.busy} work item(s) still queued or running` });
    quietChecks = quiet && violations.length === 0 ? quietChecks + 1 : 0;
    // Twice in a row, a moment apart: a pass between two steps of the same sync does not count.
    if (quietChecks >= 2) {
      convergedSeconds = Math.round((Date.now() - started) / 100) / 10;
      violations = [];
      break;
    }
    await sleep(200);
  }
  violations.push(...(await checkStore(h.store, h.hostile.markers, h.replayed)).violations.filter((v) => v.kind === 'forgery'));
  for (const result of hostile) {
    if (!result.rejected) violations.push({ kind: 'forgery', deal: '-', message: `${result.kind} was accepted (HTTP ${result.status}): ${result.detail}` });
  }
  const result: ScenarioResult = {
    index: plan.index,
    seed: plan.seed,
    faults,
    faultsInjected: totalFaults(faults),
    actions: actors.log.map((a) => `${a.action} ${a.deal}: ${a.refused ? `refused (${a.refused})` : a.detail}`),
    deals: actors.deals.length,
    convergedSeconds,
    violations,
    hostile,
    replayedDeadLetters,
    durationSeconds: Math.round((Date.now() - began) / 100) / 10,
    ok: convergedSeconds !== null && violations.length === 0,
  };
  return { result, deals: actors.deals };
}

async function startHarness(options: ChaosOptions, workDir: string): Promise<Harness> {
  const org = await startLocalOrg();
  const pc = await startPartnerCenterEmulator({ seed: options.seed, webhooks: { retryBaseMs: 100, retryMaxMs: 1000, maxAttempts: 10, deliveryTimeoutMs: 3000 } });
  const port = await freePort();
  const syncRequestSecret = randomBytes(24).toString('base64url');
  const storePath = path.join(workDir, 'connector-store.sqlite');
  const spec = (): ConnectorChildSpec => ({
    port,
    storePath,
    syncRequestSecret,
    logLevel: options.logLevel,
    salesforce: { loginUrl: org.loginUrl, apiVersion: org.apiVersion, clientId: org.integrationCredentials.clientId, clientSecret: org.integrationCredentials.clientSecret },
    partnerCenter: {
      ...emulatorEndpoint(pc),
      certificateHost: new URL(pc.certificateUrl).host,
      certificateAuthorityPem: pc.certificateAuthorityPem,
      // Shorter than the emulator's injected hang (1.5 s), so a timeout is seen as one.
      timeoutMs: 1000,
      retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 400, maxRetryAfterMs: 2000 },
    },
    worker: { concurrency: 4, pollIntervalMs: 50, leaseMs: 2000, maxAttempts: 12, retryBaseMs: 150, retryCapMs: 1500 },
    sweeps: { enabled: true, pendingIntervalMs: 1000, pendingAgeSeconds: 1, referralsIntervalMs: 1000 },
  });
  const connector = new ConnectorProcess(spec, path.join(workDir, 'connector.log'));
  const deliveries = await new WireTap().start();
  try {
    const { url } = await connector.start();
    // What an admin does after installing: point the named credential and the webhook registration at it (the
    // callouts through a tap that can fail them).
    deliveries.target = url;
    org.control.deliveries.configure({ connectorUrl: deliveries.url, sharedSecret: syncRequestSecret });
    await emulatorPartnerCenterClient(pc).registerWebhooks(`${url}${WEBHOOK_PATH}`);
    const store = new SqliteStore({ path: storePath });
    const hostile = await HostileSender.start(pc);
    const harness: Harness = { org, pc, connector, url, store, hostile, deliveries, onMicrosoftEdit: null, checker: readSettings(org), replayed: new Set() };
    // The emulator's own Microsoft seller makes the injected concurrent edits too: watch every edit it makes.
    const seller = pc.control.seller;
    const update = seller.update.bind(seller);
    seller.update = (id, changes) => {
      const referral = update(id, changes);
      harness.onMicrosoftEdit?.(id, { ...changes });
      return referral;
    };
    return harness;
  } catch (error) {
    await connector.stop();
    await deliveries.close();
    await Promise.all([org.close(), pc.close()]);
    throw error;
  }
}

async function stopHarness(h: Harness): Promise<void> {
  await h.connector.stop();
  await h.store.close();
  await h.hostile.close();
  await h.deliveries.close();
  await Promise.all([h.org.close(), h.pc.close()]);
}

export async function runChaos(partial: Partial<ChaosOptions> = {}): Promise<ChaosReport> {
  const options = { ...DEFAULT_OPTIONS, ...partial };
  const began = Date.now();
  const workDir = mkdtempSync(path.join(tmpdir(), 'cosell-chaos-'));
  const h = await startHarness(options, workDir);
  const results: ScenarioResult[] = [];
  const audited: Deal[] = [];
  let finalAudit: Violation[] = [];
  try {
    const indices = options.only ?? Array.from({ length: options.scenarios }, (_, i) => i);
    for (const index of indices) {
      const plan = planScenario(options.seed, index, { killEvery: options.killEvery, killChance: options.killChance });
      const { result, deals } = await runScenario(h, plan, options);
      results.push(result);
      if (result.ok) audited.push(...deals);
      options.onScenario?.(result);
    }
    const store = await checkStore(h.store, h.hostile.markers, h.replayed);
    finalAudit = [...store.violations, ...checkDeals(audited, h.org, h.pc, h.checker)];
  } finally {
    await stopHarness(h);
  }
  const failed = results.filter((r) => !r.ok);
  const all = [...failed.flatMap((r) => r.violations), ...finalAudit];
  const forgeries = results.flatMap((r) => r.hostile);
  const keep = options.keepWorkDir || failed.length > 0 || finalAudit.length > 0;
  if (!keep) rmSync(workDir, { recursive: true, force: true });
  return {
    scenarios: results.length,
    faultsInjected: results.reduce((sum, r) => sum + r.faultsInjected, 0),
    lost: all.filter((v) => v.kind === 'lost').length,
    duplicated: all.filter((v) => v.kind === 'duplicated').length,
    rejectedForgeries: forgeries.filter((f) => f.rejected).length,
    maxConvergenceSeconds: Math.max(0, ...results.map((r) => r.convergedSeconds ?? 0)),
    seed: options.seed,
    failedScenarios: failed.map((r) => r.index),
    forgeries: forgeries.length,
    forgeriesAccepted: all.filter((v) => v.kind === 'forgery').length,
    deals: results.reduce((sum, r) => sum + r.deals, 0),
    connectorStarts: h.connector.starts,
    deadLettersReplayed: results.reduce((sum, r) => sum + r.replayedDeadLetters, 0),
    faultsByKind: results.reduce((sum, r) => plus(sum, r.faults), ZERO),
    finalAudit,
    durationSeconds: Math.round((Date.now() - began) / 1000),
    workDir: keep ? workDir : null,
    results,
  };
}

/** The run passed: every scenario converged, nothing lost, nothing applied twice, every forgery refused. */
export function passed(report: ChaosReport): boolean {
  return report.failedScenarios.length === 0 && report.lost === 0 && report.duplicated === 0 && report.forgeriesAccepted === 0 && report.finalAudit.length === 0;
}
