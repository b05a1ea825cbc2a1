/**
 * `cosell sync <opportunityId>`: queues an outbound sync and waits for its outcome. With a connector running on
 * the same store, that connector does the work; otherwise this process runs a worker until the item finishes.
 */
import { isOpportunityId, toId18 } from '../../model/salesforce-id.js';
import type { SyncRuntime } from '../../service.js';
import { storeLocation } from '../../store/open.js';
import type { Store, WorkItem } from '../../queue/types.js';
import { outboundRequest } from '../../queue/lanes.js';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliIo, type Command } from '../command.js';
import { CONFIG_HELP, CONFIG_OPTIONS, JSON_HELP, JSON_OPTION, STORE_HELP, STORE_OPTION, configFrom, openStore, parse, printJson, withStore } from './shared.js';

const HELP = `Usage: cosell sync <opportunityId> [--config <file>] [--store <file|url>] [--timeout <seconds>] [--json]

Syncs one opportunity to Partner Center now and prints the outcome: one line, or with --json
{"requestId":"...","status":"done","outcome":{...}} or {"status":"dead","error":{...}}.
A connector already running on the same store does the work; otherwise this command runs it itself.

Options:
      --timeout <seconds>  give up waiting after this long (default 120); the sync stays queued
${STORE_HELP}
${JSON_HELP}
${CONFIG_HELP}

Exit codes: 0 synced, 1 failed or still queued at the timeout, 2 usage or configuration error.`;

/** A worker that beat within this window is taken to be a running connector. */
const ALIVE_MS = 30_000;
const POLL_MS = 250;

async function waitForOutcome(store: Store, id: number, deadline: number, io: CliIo): Promise<WorkItem> {
  let lastError: string | undefined;
  for (;;) {
    const item = (await store.getItem(id))!;
    if (item.status === 'done' || item.status === 'dead' || Date.now() >= deadline) return item;
    if (item.lastError && item.lastError.message !== lastError) {
      lastError = item.lastError.message;
      io.stderr(`attempt ${item.attempts} failed: ${lastError}\n`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { ...CONFIG_OPTIONS, ...STORE_OPTION, ...JSON_OPTION, timeout: { type: 'string' } });
  if (values.help) {
    io.stdout(HELP + '\n');
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one opportunity id.');
  const [given] = positionals;
  if (!isOpportunityId(given)) throw new UsageError(`"${given}" is not an Opportunity id (15 or 18 characters starting with 006).`);
  const timeoutSeconds = values.timeout === undefined ? 120 : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError('--timeout must be a positive number of seconds.');
  const config = withStore(configFrom(values, io), values.store, io);
  const opportunityId = toId18(given)!;

  const store = await openStore(storeLocation(config.store), {
    retry: { baseMs: config.worker.retryBaseMs, capMs: config.worker.retryCapMs, maxAttempts: config.worker.maxAttempts },
  });
  let runtime: SyncRuntime | undefined;
  try {
    const alive = (await store.listHeartbeats()).some((beat) => Date.now() - beat.heartbeatAt < ALIVE_MS);
    if (!alive && config.mode === 'sandbox') {
      throw new UsageError('no sandbox connector is running on this store; start one with `cosell start --sandbox`.');
    }
    const queued = await store.enqueue(outboundRequest(opportunityId, { opportunityId, reason: 'Retry', eventUuid: null, publishedAt: null }, 'cli'));
    io.stderr(`queued ${queued.requestId}${queued.coalesced ? ' (joined a sync already waiting)' : ''}; ${alive ? 'the running connector syncs it' : 'syncing now'}\n`);
    if (!alive) {
      const { createSyncRuntime } = await import('../../service.js');
      runtime = await createSyncRuntime(config, { store });
      runtime.worker.start();
    }
    const item = await waitForOutcome(store, queued.id, Date.now() + timeoutSeconds * 1000, io);
    if (item.status === 'done') {
      if (values.json) printJson(io, { requestId: item.requestId, status: item.status, outcome: item.outcome });
      else io.stdout(`${opportunityId}: synced (${String(item.outcome?.result ?? 'done')}) [request-id ${item.requestId}]\n`);
      return EXIT_OK;
    }
    const waiting = `still ${item.status} after ${timeoutSeconds} s; it stays queued and is retried`;
    if (values.json) {
      printJson(io, {
        requestId: item.requestId,
        status: item.status,
        ...(item.lastError ? { error: { ...item.lastError, at: new Date(item.lastError.at).toISOString() } } : {}),
        ...(item.status === 'dead' ? {} : { message: waiting }),
      });
    } else {
      io.stdout(`${opportunityId}: ${item.status === 'dead' ? `failed: ${item.lastError?.message ?? 'no error recorded'}` : waiting} [request-id ${item.requestId}]\n`);
    }
    return EXIT_FAILURE;
  } finally {
    await runtime?.close();
    await store.close();
  }
}

export const syncCommand: Command = { name: 'sync', summary: 'sync one opportunity to Partner Center now and print the outcome', help: HELP, run };
