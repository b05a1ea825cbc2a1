/**
 * `npm run bench -- [--json file] [--changes N] [--backfill N] [--no-targets] [--verbose]`: the connector's
 * latency, backfill time and API consumption against the sandbox on loopback (local org, Partner Center
 * emulator and connector in this process, no faults). Prints a table, writes the JSON result when asked, and
 * exits 1 when a target is missed (unless --no-targets).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checks, details, table, toResult } from './report.js';
import { runBenchmark } from './run.js';

const USAGE = 'usage: npm run bench -- [--json <file>] [--changes <n, default 200>] [--backfill <n, default 10000>] [--no-targets] [--verbose]';

function count(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} must be a whole number of at least 1, got "${value}".\n${USAGE}`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      json: { type: 'string' },
      changes: { type: 'string', default: '200' },
      backfill: { type: 'string', default: '10000' },
      'no-targets': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const changes = count(values.changes, 'changes');
  const backfill = count(values.backfill, 'backfill');
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const started = Date.now();
  const run = await runBenchmark({ changes, backfill, log });
  const result = toResult(run);
  const rows = checks(result, run);
  console.log(`\nConnector benchmark: sandbox on loopback, no faults (${((Date.now() - started) / 1000).toFixed(0)} s in all)\n`);
  console.log(table(rows));
  console.log(`\n${details(run)}`);
  if (values.verbose) {
    console.log('\nCalls by route, outbound changes:', JSON.stringify(run.outbound.byRoute, null, 2));
    console.log('Calls by route, inbound changes:', JSON.stringify(run.inbound.byRoute, null, 2));
    console.log('Calls by route, backfill:', JSON.stringify(run.backfill.byRoute, null, 2));
  }
  if (values.json) {
    writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`\nWrote ${values.json}`);
  }
  const missed = rows.filter((r) => !r.met);
  if (missed.length === 0) return 0;
  if (values['no-targets']) {
    console.log(`\n${missed.length} target(s) missed; reported only (--no-targets).`);
    return 0;
  }
  console.error(`\n${missed.length} target(s) missed: ${missed.map((m) => m.measure).join('; ')}.`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
