/**
 * `npm run bench -- [--latency none|realistic] [--json file] [--changes N] [--backfill N] [--reference N,...]
 * [--concurrency N] [--no-targets] [--verbose]`: the connector's latency over the whole path both ways, backfill
 * time, per-referral cost against smaller backfills, memory and API consumption, against the sandbox on loopback
 * (local org and Partner Center emulator in this process, the connector in its own), each figure beside its
 * physical limit. Prints a table, writes the JSON result when asked, and exits 1 when a target is missed
 * (unless --no-targets).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { isLatencyProfile, LATENCY_PROFILES } from './profiles.js';
import { checks, details, table, toResult } from './report.js';
import { runBenchmark } from './run.js';

const USAGE =
  'usage: npm run bench -- [--latency none|realistic] [--json <file>] [--changes <n, default 200>] [--backfill <n, default 10000>] ' +
  '[--reference <n,..., default 1000; 0 for none>] [--concurrency <n, default the connector\'s>] [--no-targets] [--verbose]';

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
      latency: { type: 'string', default: 'none' },
      reference: { type: 'string', default: '1000' },
      concurrency: { type: 'string' },
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
  if (!isLatencyProfile(values.latency)) throw new Error(`--latency must be one of ${Object.keys(LATENCY_PROFILES).join(', ')}, got "${values.latency}".\n${USAGE}`);
  const references = values.reference === '0' ? [] : values.reference.split(',').map((n) => count(n.trim(), 'reference'));
  const concurrency = values.concurrency === undefined ? undefined : count(values.concurrency, 'concurrency');
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const started = Date.now();
  const loadBefore = loadavg()[0];
  const run = await runBenchmark({ changes, backfill, latency: values.latency, references, concurrency, log });
  const result = toResult(run);
  const rows = checks(result, run);
  const load = `load average ${loadBefore.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end`;
  console.log(`\nConnector benchmark: sandbox on loopback, ${values.latency} latency, connector in its own process (${((Date.now() - started) / 1000).toFixed(0)} s in all; ${load})\n`);
  console.log(table(rows));
  console.log(`\n${details(run)}`);
  if (values.verbose) {
    console.log('\nCalls by route, outbound changes:', JSON.stringify(run.outbound.byRoute, null, 2));
    console.log('Calls by route, inbound changes:', JSON.stringify(run.inbound.byRoute, null, 2));
    console.log('Calls by route, backfill:', JSON.stringify(run.backfill.byRoute, null, 2));
    for (const ref of run.references) console.log(`Calls by route, backfill of ${ref.referrals}:`, JSON.stringify(ref.byRoute, null, 2));
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
