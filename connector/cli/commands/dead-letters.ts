/** `cosell dead-letters list|replay`: what was parked and why, and putting it back in the queue. */
import { WORK_KINDS, type WorkKind } from '../../queue/types.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliIo, type Command } from '../command.js';
import { CONFIG_HELP, CONFIG_OPTIONS, JSON_HELP, JSON_OPTION, STORE_HELP, STORE_OPTION, iso, itemJson, parse, printJson, storeFrom } from './shared.js';

const HELP = `Usage:
  cosell dead-letters list [--kind <kind>] [--limit <n>] [--store <file|url>] [--json]
  cosell dead-letters replay <id>... | --all [--kind <kind>] [--store <file|url>] [--json]

A dead letter is a sync that failed for good: attempts ran out, or it needs a person to fix something (the
message says what and where). Fix the cause, then replay: the item goes back to the queue with a fresh set of
attempts. A later successful sync of the same opportunity or referral settles its dead letters by itself.

Options:
      --kind <kind>      outbound, inbound or sweep
      --limit <n>        list at most n (default 100)
      --all              replay every dead letter (of --kind, if given)
${STORE_HELP}
${JSON_HELP}
${CONFIG_HELP}

Exit codes: 0 done, 1 an id was not a dead letter, 2 a usage error or a store that is missing or unreadable.`;

function kindOf(value: string | undefined): WorkKind | undefined {
  if (value === undefined) return undefined;
  if (!(WORK_KINDS as readonly string[]).includes(value)) throw new UsageError(`--kind must be one of ${WORK_KINDS.join(', ')}.`);
  return value as WorkKind;
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    ...CONFIG_OPTIONS,
    ...STORE_OPTION,
    ...JSON_OPTION,
    kind: { type: 'string' },
    limit: { type: 'string' },
    all: { type: 'boolean' },
  });
  if (values.help) {
    io.stdout(HELP + '\n');
    return EXIT_OK;
  }
  const [action, ...ids] = positionals;
  if (action !== 'list' && action !== 'replay') throw new UsageError(action === undefined ? 'say list or replay.' : `unknown action "${action}"; use list or replay.`);
  const kind = kindOf(values.kind);
  const { store } = await storeFrom(values, io);
  try {
    if (action === 'list') {
      if (ids.length > 0) throw new UsageError(`list takes no ids (got ${ids.join(' ')}).`);
      const limit = values.limit === undefined ? 100 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number.');
      const dead = await store.listDeadLetters({ kind, limit });
      if (values.json) {
        printJson(io, dead.map(itemJson));
        return EXIT_OK;
      }
      if (dead.length === 0) {
        io.stdout('No dead letters.\n');
        return EXIT_OK;
      }
      for (const item of dead) {
        io.stdout(
          `#${item.id}  ${item.kind}  ${item.key}  ${item.attempts} attempt(s), parked ${iso(item.completedAt)}\n` +
            `    ${item.lastError?.message ?? 'no error recorded'}${item.lastError?.requestId ? ` [request-id ${item.lastError.requestId}]` : ''}\n`,
        );
      }
      return EXIT_OK;
    }
    if (values.all) {
      if (ids.length > 0) throw new UsageError('give ids or --all, not both.');
      const count = await store.replayAll(kind);
      if (values.json) printJson(io, { requeued: count });
      else io.stdout(`Requeued ${count} dead letter(s).\n`);
      return EXIT_OK;
    }
    if (ids.length === 0) throw new UsageError('give the id(s) to replay, or --all.');
    const numbers = ids.map((raw) => {
      const id = Number(raw.replace(/^#/, ''));
      if (!Number.isInteger(id) || id < 1) throw new UsageError(`"${raw}" is not a dead-letter id.`);
      return id;
    });
    const requeued: number[] = [];
    const notDead: number[] = [];
    for (const id of numbers) {
      if (await store.replay(id)) {
        requeued.push(id);
        if (!values.json) io.stdout(`Requeued #${id}.\n`);
      } else {
        notDead.push(id);
        io.stderr(`#${id} is not a dead letter (unknown, or already replayed or settled).\n`);
      }
    }
    if (values.json) printJson(io, { requeued, notDeadLetters: notDead });
    return notDead.length > 0 ? EXIT_FAILURE : EXIT_OK;
  } finally {
    await store.close();
  }
}

export const deadLettersCommand: Command = { name: 'dead-letters', summary: 'list parked syncs or replay them after fixing the cause', help: HELP, run };
