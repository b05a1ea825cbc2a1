/**
 * One benchmark run on one latency profile: change latency both ways on one sandbox, then the backfill on a
 * fresh, empty one, then each reference backfill (smaller, for the per-referral and memory comparisons), each
 * on a fresh sandbox and connector process of its own.
 */
import { measureBackfill, type BackfillResult } from './backfill.js';
import { measureInbound, measureOutbound } from './changes.js';
import type { LatencyProfileName } from './profiles.js';
import type { BenchRun } from './report.js';
import { startBenchStack } from './stack.js';

export interface BenchOptions {
  changes: number;
  backfill: number;
  latency: LatencyProfileName;
  /** Smaller backfills to compare the per-referral cost and peak memory with. */
  references?: number[];
  /** Items each connector works at once; its configured default when absent. */
  concurrency?: number;
  /** Records the changes rotate over (default 20, fewer when there are fewer changes). */
  records?: number;
  log?: (line: string) => void;
}

export async function runBenchmark(options: BenchOptions): Promise<BenchRun> {
  const log = options.log ?? (() => undefined);
  const records = options.records ?? 20;
  const every = Math.max(1, Math.floor(options.changes / 4));
  const progress = (what: string) => (done: number) => {
    if (done % every === 0 || done === options.changes) log(`  ${what}: ${done}/${options.changes}`);
  };

  const stack = await startBenchStack({ sweeps: false, demoData: true, latency: options.latency, concurrency: options.concurrency });
  let outbound;
  let inbound;
  try {
    log(`Outbound (${options.latency} latency): ${options.changes} seller edits over ${Math.min(records, options.changes)} synced opportunities`);
    outbound = await measureOutbound(stack, { changes: options.changes, records, onProgress: progress('outbound') });
    log(`Inbound (${options.latency} latency): ${options.changes} Microsoft seller edits over ${Math.min(records, options.changes)} shared referrals`);
    inbound = await measureInbound(stack, { changes: options.changes, records, onProgress: progress('inbound') });
  } finally {
    await stack.close();
  }

  const backfillOf = (count: number): Promise<BackfillResult> => {
    log(`Backfill (${options.latency} latency): ${count} referrals into an empty org`);
    const step = Math.max(1, Math.floor(count / 10));
    return measureBackfill(count, {
      latency: options.latency,
      concurrency: options.concurrency,
      onProgress: (done) => {
        if (done % step === 0) log(`  backfill: ${done}/${count}`);
      },
    });
  };
  const references: BackfillResult[] = [];
  for (const count of options.references ?? []) references.push(await backfillOf(count));
  const backfill = await backfillOf(options.backfill);
  return { latency: options.latency, outbound, inbound, backfill, references };
}
