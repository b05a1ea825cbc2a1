/**
 * `cosell start`: runs the connector until SIGTERM/SIGINT. The connector alone has no stand-ins, so `--sandbox`
 * works only where a caller supplies them: the checkout's `cosell` (sandbox/cosell.ts) builds this command with
 * the sandbox's starter.
 */
import type { ConnectorConfig } from '../../config/types.js';
import { SETTINGS } from '../../config/connector-settings.js';
import { showBackfillProgress } from '../backfill-progress.js';
import type { RunningConnector } from '../../service.js';
import { EXIT_FAILURE, EXIT_OK, type CliIo, type Command } from '../command.js';
import { CONFIG_HELP, CONFIG_OPTIONS, STORE_HELP, STORE_OPTION, configFrom, parse, withStore } from './shared.js';

const HELP = `Usage: cosell start [--config <file>] [--store <file|url>] [--sandbox]

Runs the connector: the HTTP endpoints for Salesforce sync requests and Partner Center webhooks, the sync
worker and the catch-up sweeps. Logs are JSON lines on stdout. SIGTERM or SIGINT shuts it down gracefully
(unfinished work goes back to the queue; nothing is lost).

Options:
      --sandbox          run against the local Partner Center emulator and local org (same as COSELL_MODE=sandbox)
${STORE_HELP}
${CONFIG_HELP}

On a terminal, a running backfill (the first referrals sweep) shows its progress on stderr: done / total, rate, ETA.

Settings (config file key, environment variable; secrets only from the environment or a *_FILE outside the repository;
defaults and examples in docs/connector-configuration.md):
${SETTINGS.map((s) => `  ${s.path.padEnd(40)} ${(s.secret ? `${s.env} / ${s.env}_FILE` : s.env).padEnd(48)} ${s.description}`).join('\n')}`;

/** Starts the connector for a configuration; `describe` says, for people, what else it started (the stand-ins). */
export type ConnectorStarter = (config: ConnectorConfig) => Promise<RunningConnector & { describe?: () => string }>;

const startProductConnector: ConnectorStarter = async (config) => (await import('../../service.js')).startConnector(config);

async function run(args: string[], io: CliIo, start: ConnectorStarter): Promise<number> {
  const { values } = parse(args, { ...CONFIG_OPTIONS, ...STORE_OPTION, sandbox: { type: 'boolean' } });
  if (values.help) {
    io.stdout(HELP + '\n');
    return EXIT_OK;
  }
  const config = withStore(configFrom(values, io, values.sandbox ? { overrides: { mode: 'sandbox' } } : {}), values.store, io);
  const { StartupError, closeOnSignals } = await import('../../service.js');
  let connector;
  try {
    connector = await start(config);
  } catch (error) {
    if (error instanceof StartupError) {
      io.stderr(`cosell start: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
  const described = connector.describe?.();
  if (described) io.stderr(`${described}\n`);
  // Logs go to stdout as JSON; a person at a terminal also sees the backfill's progress line on stderr.
  const stopProgress = process.stderr.isTTY ? showBackfillProgress(connector.store, io.stderr) : () => {};
  try {
    return await closeOnSignals(connector);
  } finally {
    stopProgress();
  }
}

/** The start command with another way to start the connector (the sandbox's, which adds the stand-ins). */
export function startCommandWith(start: ConnectorStarter): Command {
  return { name: 'start', summary: 'run the connector service (HTTP, worker, sweeps)', help: HELP, run: (args, io) => run(args, io, start) };
}

export const startCommand: Command = startCommandWith(startProductConnector);
