/** One benchmark run: change latency both ways on one sandbox, then the backfill on a fresh, empty one. */
import { measureBackfill } from './backfill.js';
import { measureInbound, measureOutbound } from './changes.js';
import type { BenchRun } from './report.js';
import { startBenchStack } from './stack.js';

export interface BenchOptions {
  changes: number;
  backfill: number;
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

  const stack = await startBenchStack({ sweeps: false, demoData: true });
  let outbound;
  let inbound;
  try {
    log(`Outbound: ${options.changes} seller edits over ${Math.min(records, options.changes)} synced opportunities`);
    outbound = await measureOutbound(stack, { changes: options.changes, records, onProgress: progress('outbound') });
    log(`Inbound: ${options.changes} Microsoft seller edits over ${Math.min(records, options.changes)} shared referrals`);
    inbound = await measureInbound(stack, { changes: options.changes, records, onProgress: progress('inbound') });
  } finally {
    await stack.close();
  }

  log(`Backfill: ${options.backfill} referrals into an empty org`);
  const step = Math.max(1, Math.floor(options.backfill / 10));
  const backfill = await measureBackfill(options.backfill, {
    onProgress: (done) => {
      if (done % step === 0) log(`  backfill: ${done}/${options.backfill}`);
    },
  });
  return { outbound, inbound, backfill };
}
