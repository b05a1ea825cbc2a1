/**
 * The benchmark's result: the JSON it writes, the targets it is held to, and the table it prints. Every figure
 * stands beside its physical limit (one Partner Center call and one Salesforce round trip per change; a
 * backfill's listing pages in sequence) and the ratio of the two.
 */
import type { BackfillResult } from './backfill.js';
import type { DirectionResult } from './changes.js';
import type { LatencyProfileName } from './profiles.js';

interface LatencyFigure {
  p50: number;
  p95: number;
  /** One Partner Center call followed by one Salesforce round trip, measured on the same stack. */
  limitP50: number;
  limitP95: number;
}

export interface BackfillFigure {
  referrals: number;
  seconds: number;
  limitSeconds: number;
  msPerReferral: number;
  connectorCpuMsPerReferral: number;
  standInCpuMsPerReferral: number;
  connectorPeakRssMb: number | null;
}

/** Exactly what `--json` writes. */
export interface BenchResult {
  latencyProfile: LatencyProfileName;
  outboundLatencyMs: LatencyFigure;
  inboundLatencyMs: LatencyFigure;
  backfill: BackfillFigure;
  /** Smaller backfills on the same profile, for the per-referral cost and memory comparisons. */
  references: BackfillFigure[];
  sfCallsPerOutboundChange: number;
  sfCallsPerInboundChange: number;
  pcCallsPerOutboundChange: number;
  pcCallsPerInboundChange: number;
  sfCallsPerBackfilledReferral: number;
}

/** Everything measured, for the table and --verbose. */
export interface BenchRun {
  latency: LatencyProfileName;
  outbound: DirectionResult;
  inbound: DirectionResult;
  backfill: BackfillResult;
  references: BackfillResult[];
}

export const TARGETS = {
  latencyP95Ms: 2000,
  /** For 10,000 referrals; other counts are held to the same time per referral. */
  backfillSeconds: 120,
  backfillReferrals: 10_000,
  /** Per-referral cost of a large backfill against a small one's. */
  perReferralCostRatio: 1.2,
  /** Peak connector memory of a large backfill against one of at least 10,000 referrals: flat within ±20 %. */
  peakRssRatio: 1.2,
  peakRssReferenceAtLeast: 10_000,
  sfCallsPerOutboundChange: 3,
  sfCallsPerInboundChange: 2,
  pcCallsPerOutboundChange: 1,
  pcCallsPerInboundChange: 1,
  sfCallsPerBackfilledReferral: 0.05,
} as const;

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;

function backfillFigure(b: BackfillResult): BackfillFigure {
  return {
    referrals: b.referrals,
    seconds: b.seconds,
    limitSeconds: b.limitSeconds,
    msPerReferral: round((b.seconds * 1000) / b.referrals, 3),
    connectorCpuMsPerReferral: round((b.cpuSeconds.connector * 1000) / b.referrals, 3),
    standInCpuMsPerReferral: round((b.cpuSeconds.standIns * 1000) / b.referrals, 3),
    connectorPeakRssMb: b.connectorPeakRssMb,
  };
}

export function toResult(run: BenchRun): BenchResult {
  const latency = (d: DirectionResult): LatencyFigure => ({ p50: d.latency.p50, p95: d.latency.p95, limitP50: d.limits.change.p50, limitP95: d.limits.change.p95 });
  return {
    latencyProfile: run.latency,
    outboundLatencyMs: latency(run.outbound),
    inboundLatencyMs: latency(run.inbound),
    backfill: backfillFigure(run.backfill),
    references: run.references.map(backfillFigure),
    sfCallsPerOutboundChange: round(run.outbound.salesforceCalls / run.outbound.changes),
    sfCallsPerInboundChange: round(run.inbound.salesforceCalls / run.inbound.changes),
    pcCallsPerOutboundChange: round(run.outbound.partnerCenterCalls / run.outbound.changes),
    pcCallsPerInboundChange: round(run.inbound.partnerCenterCalls / run.inbound.changes),
    sfCallsPerBackfilledReferral: round(run.backfill.salesforceCalls / run.backfill.referrals),
  };
}

export function backfillTargetSeconds(referrals: number): number {
  return Math.round(((TARGETS.backfillSeconds * referrals) / TARGETS.backfillReferrals) * 10) / 10;
}

export interface Check {
  measure: string;
  value: string;
  /** The physical limit the value is compared with, and value ÷ limit. */
  limit: string;
  ratio: string;
  target: string;
  met: boolean;
}

const times = (value: number, limit: number) => (limit > 0 ? `${(value / limit).toFixed(2)}×` : '–');

export function checks(result: BenchResult, run: BenchRun): Check[] {
  const latencyRow = (name: string, changes: number, f: LatencyFigure): Check => ({
    measure: `${name} (${changes} changes, whole path)`,
    value: `p50 ${f.p50} ms, p95 ${f.p95} ms`,
    limit: `p50 ${f.limitP50} ms, p95 ${f.limitP95} ms`,
    ratio: `p50 ${times(f.p50, f.limitP50)}, p95 ${times(f.p95, f.limitP95)}`,
    target: `p95 ≤ ${TARGETS.latencyP95Ms} ms`,
    met: f.p95 <= TARGETS.latencyP95Ms,
  });
  const calls = (measure: string, value: number, total: number, target: number): Check => ({
    measure,
    value: `${value} (${total} calls)`,
    limit: '1',
    ratio: times(value, 1),
    target: `≤ ${target}`,
    met: value <= target,
  });
  const b = result.backfill;
  const rows: Check[] = [
    latencyRow('Outbound latency, Salesforce → Partner Center → write-back', run.outbound.changes, result.outboundLatencyMs),
    latencyRow('Inbound latency, Partner Center → Salesforce', run.inbound.changes, result.inboundLatencyMs),
    {
      measure: `Backfill of ${b.referrals} referrals into an empty org`,
      value: `${b.seconds} s (${b.msPerReferral} ms per referral)`,
      limit: `${b.limitSeconds} s`,
      ratio: times(b.seconds, b.limitSeconds),
      target: `≤ ${backfillTargetSeconds(b.referrals)} s`,
      met: b.seconds <= backfillTargetSeconds(b.referrals),
    },
  ];
  for (const ref of result.references) {
    const cost = (what: string, large: number, small: number): Check => ({
      measure: `${what} per referral, ${b.referrals} against ${ref.referrals}`,
      value: `${large} ms against ${small} ms`,
      limit: `${small} ms (linear)`,
      ratio: times(large, small),
      target: `≤ ${TARGETS.perReferralCostRatio}×`,
      met: large <= small * TARGETS.perReferralCostRatio,
    });
    rows.push(
      cost('Backfill time', b.msPerReferral, ref.msPerReferral),
      cost('Connector CPU', b.connectorCpuMsPerReferral, ref.connectorCpuMsPerReferral),
      cost('Stand-ins CPU', b.standInCpuMsPerReferral, ref.standInCpuMsPerReferral),
    );
    if (ref.referrals >= TARGETS.peakRssReferenceAtLeast && b.connectorPeakRssMb !== null && ref.connectorPeakRssMb !== null) {
      rows.push({
        measure: `Connector peak RSS, ${b.referrals} against ${ref.referrals} referrals`,
        value: `${b.connectorPeakRssMb} MB against ${ref.connectorPeakRssMb} MB`,
        limit: `${ref.connectorPeakRssMb} MB (flat)`,
        ratio: times(b.connectorPeakRssMb, ref.connectorPeakRssMb),
        target: `within ±${Math.round((TARGETS.peakRssRatio - 1) * 100)} %`,
        met: Math.abs(b.connectorPeakRssMb / ref.connectorPeakRssMb - 1) <= TARGETS.peakRssRatio - 1,
      });
    }
  }
  rows.push(
    calls('Salesforce calls per outbound change', result.sfCallsPerOutboundChange, run.outbound.salesforceCalls, TARGETS.sfCallsPerOutboundChange),
    calls('Salesforce calls per inbound change', result.sfCallsPerInboundChange, run.inbound.salesforceCalls, TARGETS.sfCallsPerInboundChange),
    calls('Partner Center calls per outbound change', result.pcCallsPerOutboundChange, run.outbound.partnerCenterCalls, TARGETS.pcCallsPerOutboundChange),
    calls('Partner Center calls per inbound change', result.pcCallsPerInboundChange, run.inbound.partnerCenterCalls, TARGETS.pcCallsPerInboundChange),
    {
      measure: 'Salesforce calls per referral during the backfill',
      value: `${result.sfCallsPerBackfilledReferral} (${run.backfill.salesforceCalls} calls)`,
      limit: '0.005 (a 200-record collection per call)',
      ratio: times(result.sfCallsPerBackfilledReferral, 0.005),
      target: `≤ ${TARGETS.sfCallsPerBackfilledReferral}`,
      met: result.sfCallsPerBackfilledReferral <= TARGETS.sfCallsPerBackfilledReferral,
    },
  );
  return rows;
}

/** A plain-text table: measure, value, limit, ratio, target, verdict. */
export function table(rows: readonly Check[]): string {
  const cells = [['Measure', 'Value', 'Physical limit', 'Ratio', 'Target', ''], ...rows.map((r) => [r.measure, r.value, r.limit, r.ratio, r.target, r.met ? 'met' : 'MISSED'])];
  const widths = cells[0].map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return [line(cells[0]), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** Informational lines under the table: the latency spread, the limits' parts, the backfills' resources. */
export function details(run: BenchRun): string {
  const spread = (d: DirectionResult) => `min ${d.latency.min} ms, mean ${d.latency.mean} ms, max ${d.latency.max} ms`;
  const parts = (d: DirectionResult) => `one Partner Center call p50 ${d.limits.partnerCenterCall.p50} ms + one Salesforce call p50 ${d.limits.salesforceCall.p50} ms`;
  const backfill = (b: BackfillResult) =>
    `Backfill ${b.referrals}: ${b.seconds} s; CPU connector ${b.cpuSeconds.connector} s, stand-ins ${b.cpuSeconds.standIns} s; connector peak RSS ${b.connectorPeakRssMb ?? '?'} MB; Partner Center calls ${b.partnerCenterCalls}, Salesforce calls ${b.salesforceCalls}.`;
  return [
    `Latency profile: ${run.latency}.`,
    `Outbound: ${spread(run.outbound)}; limit = ${parts(run.outbound)}.`,
    `Inbound: ${spread(run.inbound)}; limit = ${parts(run.inbound)}.`,
    backfill(run.backfill),
    ...run.references.map(backfill),
  ].join('\n');
}
