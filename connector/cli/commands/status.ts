/** `cosell status`: queue depth, dead letters, last successes, running workers and backfill progress, from the store. */
import { WORK_KINDS, type Store } from '../../queue/types.js';
import { REFERRAL_CURSOR } from '../../queue/lanes.js';
import { BACKFILL_CURSOR, backfillProgress, formatBackfill, parseBackfill, type BackfillProgress } from '../backfill-progress.js';
import { EXIT_OK, UsageError, type CliIo, type Command } from '../command.js';
import { CONFIG_HELP, CONFIG_OPTIONS, JSON_HELP, JSON_OPTION, STORE_HELP, STORE_OPTION, iso, isoOrNull, parse, storeFrom } from './shared.js';

const HELP = `Usage: cosell status [--config <file> | --store <file|url>] [--json] [--watch [--interval <seconds>]]

Shows the connector's queue: items waiting or running by kind, dead letters, when each kind last succeeded,
the workers that are running, the Partner Center sweep cursor and, while the first sweep (the backfill) runs,
its progress: done / total, rate and time left. Needs only the store, not the secrets; the store must exist.

Options:
${STORE_HELP}
${JSON_HELP}
      --watch            refresh until interrupted (Ctrl+C); with --json, one JSON object per line
      --interval <s>     seconds between refreshes with --watch (default 2)
${CONFIG_HELP}

Exit codes: 0 shown, 2 a usage error or a store that is missing or unreadable (nothing is created).`;

interface Snapshot {
  store: string;
  text: string;
  json: Record<string, unknown>;
}

async function snapshot(store: Store, where: string): Promise<Snapshot> {
  const [stats, workers, cursor, backfillText] = await Promise.all([
    store.stats(),
    store.listHeartbeats(),
    store.getCursor(REFERRAL_CURSOR),
    store.getCursor(BACKFILL_CURSOR),
  ]);
  const now = Date.now();
  const record = parseBackfill(backfillText);
  const backfill: BackfillProgress | null = record ? backfillProgress(record, stats.depth.inbound, now) : null;
  const byKind = <T>(counts: Record<string, T>, format: (v: T) => unknown) => Object.fromEntries(WORK_KINDS.map((kind) => [kind, format(counts[kind])]));
  const json = {
    store: where,
    depth: stats.depth,
    running: stats.running,
    dead: stats.dead,
    lastSuccessAt: byKind(stats.lastSuccessAt, isoOrNull),
    oldestDueAt: isoOrNull(stats.oldestDueAt),
    workers: workers.map((w) => ({ ...w, startedAt: isoOrNull(w.startedAt), heartbeatAt: isoOrNull(w.heartbeatAt) })),
    referralCursor: cursor,
    backfill: backfill && {
      total: backfill.total,
      done: backfill.done,
      ratePerSecond: backfill.rate,
      etaSeconds: backfill.etaSeconds,
      complete: backfill.complete,
      startedAt: isoOrNull(backfill.startedAt),
    },
  };
  const perKind = (counts: Record<string, number | null>, format: (v: number | null) => string) =>
    WORK_KINDS.map((kind) => `${kind} ${format(counts[kind])}`).join(', ');
  const deadTotal = WORK_KINDS.reduce((sum, kind) => sum + stats.dead[kind], 0);
  const lines = [
    `Store:          ${where}`,
    `Queue:          ${perKind(stats.depth, String)} (${stats.running} running)`,
    `Oldest due:     ${stats.oldestDueAt === null ? 'nothing waiting' : `${iso(stats.oldestDueAt)} (${Math.round((now - stats.oldestDueAt) / 1000)} s ago)`}`,
    `Dead letters:   ${perKind(stats.dead, String)}${deadTotal > 0 ? '  — see `cosell dead-letters list`' : ''}`,
    `Last success:   ${perKind(stats.lastSuccessAt, iso)}`,
    `Workers:        ${workers.length === 0 ? 'none running' : workers.map((w) => `${w.workerId} (beat ${iso(w.heartbeatAt)}, ${Math.round((now - w.heartbeatAt) / 1000)} s ago)`).join('; ')}`,
    `Referral sweep: ${cursor ? `updated since ${cursor}` : 'not run yet (the first run is the backfill)'}`,
    ...(backfill ? [`Backfill:       ${formatBackfill(backfill)} (started ${iso(backfill.startedAt)})`] : []),
  ];
  return { store: where, text: lines.join('\n') + '\n', json };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    ...CONFIG_OPTIONS,
    ...STORE_OPTION,
    ...JSON_OPTION,
    watch: { type: 'boolean' },
    interval: { type: 'string' },
  });
  if (values.help) {
    io.stdout(HELP + '\n');
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}".`);
  const intervalSeconds = values.interval === undefined ? 2 : Number(values.interval);
  if (!Number.isFinite(intervalSeconds) || intervalSeconds <= 0) throw new UsageError('--interval must be a positive number of seconds.');
  if (values.interval !== undefined && !values.watch) throw new UsageError('--interval goes with --watch.');
  const { store, where } = await storeFrom(values, io);
  try {
    for (let first = true; ; first = false) {
      const shot = await snapshot(store, where);
      if (values.json) io.stdout(values.watch ? JSON.stringify(shot.json) + '\n' : JSON.stringify(shot.json, null, 2) + '\n');
      else if (values.watch && io.isTTY) io.stdout(`\x1b[H\x1b[2J${shot.text}`);
      else io.stdout(values.watch && !first ? `\n${shot.text}` : shot.text);
      if (!values.watch) return EXIT_OK;
      await sleep(intervalSeconds * 1000, io.signal);
      if (io.signal?.aborted) return EXIT_OK;
    }
  } finally {
    await store.close();
  }
}

export const statusCommand: Command = { name: 'status', summary: 'show queue depth, dead letters, last successful syncs and backfill progress', help: HELP, run };
