/** `cosell status`: queue depth, dead letters, last successes and running workers, from the store. */
import { WORK_KINDS } from '../../store/types.js';
import { REFERRAL_CURSOR } from '../../sync/lanes.js';
import { EXIT_OK, type CliIo, type Command } from '../command.js';
import { CONFIG_HELP, CONFIG_OPTIONS, iso, parse, printJson, storeFrom } from './shared.js';

const HELP = `Usage: cosell status [--config <file> | --store <file>] [--json]

Shows the connector's queue: items waiting or running by kind, dead letters, when each kind last succeeded,
the workers that are running and the Partner Center sweep cursor. Needs only the store, not the secrets.

Options:
      --store <file|url> the SQLite store file or Postgres URL (default: store.url or store.path from --config,
                         COSELL_STORE_URL or COSELL_STORE_PATH)
      --json             print JSON
${CONFIG_HELP}`;

async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { ...CONFIG_OPTIONS, store: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) {
    io.stdout(HELP + '\n');
    return EXIT_OK;
  }
  const { store, where } = await storeFrom(values, io);
  try {
    const [stats, workers, cursor] = await Promise.all([store.stats(), store.listHeartbeats(), store.getCursor(REFERRAL_CURSOR)]);
    const now = Date.now();
    if (values.json) {
      printJson(io, { store: where, ...stats, workers, referralCursor: cursor });
      return EXIT_OK;
    }
    const perKind = (counts: Record<string, number | null>, format: (v: number | null) => string) =>
      WORK_KINDS.map((kind) => `${kind} ${format(counts[kind])}`).join(', ');
    const deadTotal = WORK_KINDS.reduce((sum, kind) => sum + stats.dead[kind], 0);
    const lines = [
      `Store:          ${where}`,
      `Queue:          ${perKind(stats.depth, String)} (${stats.running} running)`,
      `Oldest due:     ${stats.oldestDueAt === null ? 'nothing waiting' : `${iso(stats.oldestDueAt)} (${Math.round((now - stats.oldestDueAt) / 1000)} s ago)`}`,
      `Dead letters:   ${perKind(stats.dead, String)}${deadTotal > 0 ? '  — see `cosell dead-letters list`' : ''}`,
      `Last success:   ${perKind(stats.lastSuccessAt, iso)}`,
      `Workers:        ${workers.length === 0 ? 'none running' : workers.map((w) => `${w.workerId} (beat ${Math.round((now - w.heartbeatAt) / 1000)} s ago)`).join('; ')}`,
      `Referral sweep: ${cursor ? `updated since ${cursor}` : 'not run yet (the first run is the backfill)'}`,
    ];
    io.stdout(lines.join('\n') + '\n');
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

export const statusCommand: Command = { name: 'status', summary: 'show queue depth, dead letters and last successful syncs', help: HELP, run };
