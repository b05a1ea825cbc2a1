/**
 * `npm start`: the connector against the local stand-ins, with no configuration at all. It starts the connector in
 * sandbox mode exactly as `cosell start --sandbox` does (startSandboxConnector starts the Partner Center emulator and
 * the local org and hands the connector their backends), prints where everything listens, runs a short narrated demo of both sync
 * directions, and keeps running until Ctrl+C.
 *
 * Clean state every run: the org and the emulator keep their data in memory, the connector's queue lives in a new
 * temporary directory that is deleted on exit. Nothing leaves the machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ConfigError, loadConfig, type DeepPartial } from '../connector/config/load.js';
import type { ConnectorConfig } from '../connector/config/types.js';
import { StartupError, closeOnSignals } from '../connector/service.js';
import { createNarrator } from './demo/narrator.js';
import { runDemo, type DemoResult } from './demo/scenario.js';
import { startSandboxConnector, type SandboxConnector } from './stack/connector.js';

const HELP = `Usage: npm start [-- [--port <port>] [--no-demo]]

Runs the connector against a local Partner Center emulator and a local Salesforce org (no org, tenant or
network needed), shows a narrated demo of both sync directions, and keeps running until Ctrl+C.

Options:
  --port <port>   connector port (default 8787, or COSELL_PORT); 0 picks a free one
  --no-demo       start everything but skip the demo
  -h, --help      show this help

The connector's JSON logs go to connector.log in the sandbox's data directory; COSELL_LOG_LEVEL=info (or
debug, warn, ...) prints them here instead.`;

const SHUTDOWN_DEADLINE_MS = 15_000;

export interface SandboxIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface SandboxOptions {
  port?: number;
  env?: Record<string, string | undefined>;
}

export interface RunningSandbox {
  connector: SandboxConnector;
  /** Temporary directory with the connector's queue; removed by close(). */
  dataDir: string;
  /** Where the connector logs, or null when it logs to stdout (COSELL_LOG_LEVEL set). */
  logFile: string | null;
  close(): Promise<void>;
}

/** The port is taken: says so, naming the settings that choose another. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const env = options.env ?? process.env;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cosell-sandbox-'));
  const overrides: DeepPartial<ConnectorConfig> = {
    mode: 'sandbox',
    // Loopback only: the sandbox is for this machine.
    http: { host: '127.0.0.1', ...(options.port === undefined ? {} : { port: options.port }) },
    store: { path: path.join(dataDir, 'connector.sqlite') },
  };
  // The narration owns the terminal; the connector's logs (the demo's deliberate failure is an error there) go
  // to a file unless asked for.
  const logFile = env.COSELL_LOG_LEVEL ? null : path.join(dataDir, 'connector.log');
  if (logFile) overrides.log = { level: 'info' };
  const logDestination = logFile ? pino.destination({ dest: logFile, sync: true }) : undefined;
  let removed = false;
  const removeData = () => {
    if (removed) return;
    removed = true;
    logDestination?.end();
    rmSync(dataDir, { recursive: true, force: true });
  };
  let connector: SandboxConnector;
  try {
    // No config file: a live configuration in the environment must not leak into the sandbox, only tuning does.
    const config = loadConfig({ env, overrides });
    try {
      connector = await startSandboxConnector(config, logDestination ? { logDestination } : {});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new PortInUseError(
          `Port ${config.http.port} on ${config.http.host} is already in use, so the connector cannot listen there. Stop whatever uses it ` +
            `(another \`npm start\`?) or choose another port: COSELL_PORT=${config.http.port + 1} npm start, or npm start -- --port ${config.http.port + 1}.`,
        );
      }
      throw error;
    }
  } catch (error) {
    removeData();
    throw error;
  }
  return {
    connector,
    dataDir,
    logFile,
    /** Idempotent, like the connector's own close. */
    close: async () => {
      await connector.close();
      removeData();
    },
  };
}

export function describeSandbox(sandbox: RunningSandbox): string {
  const { connector, dataDir, logFile } = sandbox;
  const rows: [string, string][] = [
    ['local org (Salesforce REST)', connector.sandbox.org.url],
    ['Partner Center emulator', connector.sandbox.partnerCenter.url],
    ['health', `${connector.url}/healthz`],
    ['metrics', `${connector.url}/metrics`],
    ['data', `${dataDir} (the connector's queue; deleted on exit — the org and the emulator keep theirs in memory)`],
    ...(logFile ? [['connector log', `${logFile} (COSELL_LOG_LEVEL=info prints it here instead)`] as [string, string]] : []),
  ];
  return [
    'Partner Center co-sell sandbox: the connector against a local Partner Center emulator and a local org (nothing leaves this machine)',
    `connector listening on ${connector.url}`,
    ...rows.map(([label, value]) => `  ${label.padEnd(28)} ${value}`),
  ].join('\n');
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, 'no-demo': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length) throw new Error(`unexpected argument "${positionals[0]}"`);
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) throw new Error(`--port must be a port number (0-65535); got "${values.port}"`);
  }
  return { port, demo: values['no-demo'] !== true, help: values.help === true };
}

function summary(result: DemoResult, logFile: string | null): string {
  const passed = result.steps.filter((s) => s.ok).length;
  const total = result.steps.reduce((sum, s) => sum + s.elapsedMs, 0);
  return result.ok
    ? `\nDemo finished: ${passed} of ${result.steps.length} steps succeeded in ${total} ms.`
    : `\nDemo stopped at "${result.steps.at(-1)?.title}": ${result.steps.at(-1)?.error}\nThe sandbox keeps running so you can look around` +
        (logFile ? `; the connector's log is ${logFile}.` : '.');
}

export async function main(argv: string[] = process.argv.slice(2), io: SandboxIo = defaultIo, env: Record<string, string | undefined> = process.env): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    io.stderr(`npm start: ${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(`${HELP}\n`);
    return 0;
  }

  let sandbox: RunningSandbox;
  try {
    sandbox = await startSandbox({ port: args.port, env });
  } catch (error) {
    if (error instanceof PortInUseError || error instanceof StartupError) io.stderr(`✖ ${error.message}\n`);
    else if (error instanceof ConfigError) {
      io.stderr(`✖ The environment sets something the sandbox cannot use:\n${error.message}\n`);
      return 2;
    } else throw error;
    return 1;
  }
  const { connector } = sandbox;
  io.stdout(`${describeSandbox(sandbox)}\n`);

  // Ctrl+C at any time, also during the demo: stop the demo, then close everything. A repeated signal (a terminal
  // and a wrapper such as npm or tsx may each deliver one) must not cut the shutdown short, so it is ignored; a
  // shutdown that hangs ends after a deadline instead.
  const stop = new AbortController();
  let deadline: NodeJS.Timeout | undefined;
  const onSignal = () => {
    if (stop.signal.aborted) return;
    stop.abort();
    io.stdout('\nStopping: work in flight goes back to the queue, then the servers close...\n');
    deadline = setTimeout(() => {
      io.stderr(`✖ The sandbox did not stop within ${SHUTDOWN_DEADLINE_MS / 1000} s; exiting anyway.\n`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const stopped = closeOnSignals(connector);

  if (args.demo) {
    const narrator = createNarrator((line) => io.stdout(`${line}\n`));
    const result = await runDemo(connector.sandbox, narrator, { signal: stop.signal });
    if (!stop.signal.aborted) io.stdout(`${summary(result, sandbox.logFile)}\n`);
  }
  if (!stop.signal.aborted) {
    const seller = `${connector.sandbox.partnerCenter.url}/_emulator/seller/referrals`;
    io.stdout(
      `\nRunning. Share another referral as the Microsoft seller:\n  curl -X POST ${seller} -H 'content-type: application/json' -d '{"name":"My deal"}'\nPress Ctrl+C to stop.\n`,
    );
  }
  const code = await stopped;
  await sandbox.close();
  clearTimeout(deadline);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  io.stdout(code === 0 ? 'Stopped cleanly.\n' : "Stopped, but closing something failed (see the connector's log).\n");
  return code;
}

const defaultIo: SandboxIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

// Run when started directly (`tsx sandbox/start.ts`, as `npm start` does); tests import main.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
