/**
 * How far the first referrals sweep (the backfill) has got, from what the store holds: the sweep records when it
 * ran and how many referrals it queued (BACKFILL_CURSOR), and the inbound items still waiting or running are what
 * is left. Inbound work from webhooks during the backfill counts as left too, so "done" never overstates.
 */
import type { Store } from '../queue/types.js';
import { BACKFILL_CURSOR } from '../queue/lanes.js';

export { BACKFILL_CURSOR };

export interface BackfillRecord {
  startedAt: number;
  total: number;
}

export interface BackfillProgress {
  total: number;
  done: number;
  remaining: number;
  /** Referrals per second since the backfill started; null until one is done. */
  rate: number | null;
  /** Seconds until the rest is done at that rate; null when unknown, 0 when complete. */
  etaSeconds: number | null;
  complete: boolean;
  startedAt: number;
}

/** The cursor's JSON, or null when there is none or it is not the shape the sweep writes. */
export function parseBackfill(text: string | null): BackfillRecord | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<BackfillRecord>;
    if (Number.isFinite(value.startedAt) && Number.isInteger(value.total) && (value.total as number) > 0) return { startedAt: value.startedAt!, total: value.total! };
  } catch {
    // not written by this connector: treated as no backfill
  }
  return null;
}

export function backfillProgress(record: BackfillRecord, inboundWaiting: number, now: number): BackfillProgress {
  const remaining = Math.min(record.total, Math.max(0, inboundWaiting));
  const done = record.total - remaining;
  const elapsedSeconds = Math.max(0, now - record.startedAt) / 1000;
  const rate = done > 0 && elapsedSeconds > 0 ? done / elapsedSeconds : null;
  const etaSeconds = remaining === 0 ? 0 : rate ? remaining / rate : null;
  return { total: record.total, done, remaining, rate, etaSeconds, complete: remaining === 0, startedAt: record.startedAt };
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** One line: "4200 / 10000 referrals (42%), 350.0/s, ETA 17 s". */
export function formatBackfill(progress: BackfillProgress): string {
  if (progress.complete) return `complete: ${progress.total} referrals`;
  const percent = Math.floor((progress.done / progress.total) * 100);
  const rate = progress.rate === null ? 'rate unknown yet' : `${progress.rate.toFixed(1)}/s`;
  const eta = progress.etaSeconds === null ? 'ETA unknown' : `ETA ${duration(progress.etaSeconds)}`;
  return `${progress.done} / ${progress.total} referrals (${percent}%), ${rate}, ${eta}`;
}

/**
 * While a backfill runs, redraws its progress line (on a terminal) every \`intervalMs\` and ends the line once it
 * completes. Returns a stop function. Store read errors skip a refresh: progress is a courtesy, never a failure.
 */
export function showBackfillProgress(store: Pick<Store, 'stats' | 'getCursor'>, write: (text: string) => void, intervalMs = 2000, now: () => number = Date.now): () => void {
  let shown = false;
  let finished = false;
  const tick = async () => {
    if (finished) return;
    try {
      const record = parseBackfill(await store.getCursor(BACKFILL_CURSOR));
      if (!record) return;
      const progress = backfillProgress(record, (await store.stats()).depth.inbound, now());
      if (progress.complete && !shown) {
        finished = true; // finished before the first look: nothing to show
        return;
      }
      write(`\r\x1b[2KBackfill: ${formatBackfill(progress)}${progress.complete ? '\n' : ''}`);
      shown = true;
      if (progress.complete) finished = true;
    } catch {
      // the next tick tries again
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  void tick();
  return () => {
    clearInterval(timer);
    if (shown && !finished) write('\n');
    finished = true;
  };
}
