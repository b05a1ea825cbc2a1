/** The benchmark's result: the JSON it writes, the targets it is held to, and the table it prints. */
import type { BackfillResult } from './backfill.js';
import type { DirectionResult } from './changes.js';
import type { Percentiles } from './latency.js';

/** Exactly what `--json` writes. */
export interface BenchResult {
  outboundLatencyMs: Percentiles;
  inboundLatencyMs: Percentiles;
  backfill: { referrals: number; seconds: number };
  pcCallsPerOutboundChange: number;
  sfCallsPerInboundReferral: number;
}

/** Everything measured, for the table and --verbose. */
export interface BenchRun {
  outbound: DirectionResult;
  inbound: DirectionResult;
  backfill: BackfillResult;
}

export const TARGETS = {
  latencyP95Ms: 2000,
  /** For 10,000 referrals; other counts are held to the same time per referral. */
  backfillSeconds: 120,
  backfillReferrals: 10_000,
  pcCallsPerOutboundChange: 1.2,
  sfCallsPerInboundReferral: 0.05,
} as const;

const ratio = (calls: number, per: number) => Math.round((calls / per) * 10_000) / 10_000;

export function toResult(run: BenchRun): BenchResult {
  return {
    outboundLatencyMs: { p50: run.outbound.latency.p50, p95: run.outbound.latency.p95 },
    inboundLatencyMs: { p50: run.inbound.latency.p50, p95: run.inbound.latency.p95 },
    backfill: { referrals: run.backfill.referrals, seconds: run.backfill.seconds },
    pcCallsPerOutboundChange: ratio(run.outbound.partnerCenterCalls, run.outbound.changes),
    sfCallsPerInboundReferral: ratio(run.backfill.salesforceCalls, run.backfill.referrals),
  };
}

export function backfillTargetSeconds(referrals: number): number {
  return Math.round(((TARGETS.backfillSeconds * referrals) / TARGETS.backfillReferrals) * 10) / 10;
}

export interface Check {
  measure: string;
  value: string;
  target: string;
  met: boolean;
}

export function checks(result: BenchResult, run: BenchRun): Check[] {
  const backfillTarget = backfillTargetSeconds(result.backfill.referrals);
  const latency = (p: Percentiles) => `p50 ${p.p50} ms, p95 ${p.p95} ms`;
  return [
    {
      measure: `Outbound latency, Salesforce → Partner Center (${run.outbound.changes} changes)`,
      value: latency(result.outboundLatencyMs),
      target: `p95 ≤ ${TARGETS.latencyP95Ms} ms`,
      met: result.outboundLatencyMs.p95 <= TARGETS.latencyP95Ms,
    },
    {
      measure: `Inbound latency, Partner Center → Salesforce (${run.inbound.changes} changes)`,
      value: latency(result.inboundLatencyMs),
      target: `p95 ≤ ${TARGETS.latencyP95Ms} ms`,
      met: result.inboundLatencyMs.p95 <= TARGETS.latencyP95Ms,
    },
    {
      measure: `Backfill of ${result.backfill.referrals} referrals into an empty org`,
      value: `${result.backfill.seconds} s`,
      target: `≤ ${backfillTarget} s`,
      met: result.backfill.seconds <= backfillTarget,
    },
    {
      measure: 'Partner Center calls per outbound change',
      value: `${result.pcCallsPerOutboundChange} (${run.outbound.partnerCenterCalls} calls)`,
      target: `≤ ${TARGETS.pcCallsPerOutboundChange}`,
      met: result.pcCallsPerOutboundChange <= TARGETS.pcCallsPerOutboundChange,
    },
    {
      measure: 'Salesforce calls per referral during the backfill',
      value: `${result.sfCallsPerInboundReferral} (${run.backfill.salesforceCalls} calls)`,
      target: `≤ ${TARGETS.sfCallsPerInboundReferral}`,
      met: result.sfCallsPerInboundReferral <= TARGETS.sfCallsPerInboundReferral,
    },
  ];
}

/** A plain-text table: measure, value, target, verdict. */
export function table(rows: readonly Check[]): string {
  const cells = [['Measure', 'Value', 'Target', ''], ...rows.map((r) => [r.measure, r.value, r.target, r.met ? 'met' : 'MISSED'])];
  const widths = cells[0].map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return [line(cells[0]), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** Informational lines under the table: the other side's calls and the latency spread. */
export function details(run: BenchRun): string {
  const spread = (d: DirectionResult) => `min ${d.latency.min} ms, mean ${d.latency.mean} ms, max ${d.latency.max} ms`;
  const per = (calls: number, n: number) => (calls / n).toFixed(2);
  return [
    `Outbound: ${spread(run.outbound)}; Salesforce calls per change ${per(run.outbound.salesforceCalls, run.outbound.changes)} (read, write-back, sync log with status event, and two look-ups for the echo of its own PATCH).`,
    `Inbound: ${spread(run.inbound)}; Partner Center calls per change ${per(run.inbound.partnerCenterCalls, run.inbound.changes)}, Salesforce calls per change ${per(run.inbound.salesforceCalls, run.inbound.changes)}.`,
    `Backfill: ${run.backfill.opportunities} opportunities; Partner Center calls ${run.backfill.partnerCenterCalls} (listing pages of 100, sign-in, webhook registration).`,
  ].join('\n');
}
