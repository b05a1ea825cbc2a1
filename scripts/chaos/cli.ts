/**
 * `npm run chaos -- [--seed N] [--scenarios N] [--only i,j] [--races N] [--json file] [--deadline seconds] [--keep]`:
 * first the race suite (seller edits during syncs, races.ts), then randomised fault scenarios through the local
 * sandbox with the connector as a child process; prints a table and a summary, writes the JSON figures, and exits
 * non-zero if anything was lost, applied twice, or did not converge.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { failureDetail, summaryJson, summaryText, tableHeader, tableRow } from './report.js';
import { DEFAULT_OPTIONS, passed, runChaos } from './run.js';
import { DEFAULT_RACE_OPTIONS, raceSummary, runRaces, type RaceReport } from './races.js';

const HELP = `Usage: npm run chaos -- [options]

Runs randomised scenarios (seller and Microsoft actions under Partner Center 429/5xx/timeouts, 412 conflicts,
dropped/duplicated/reordered webhooks, Salesforce row locks and validation-rule rejections, a SIGKILLed
connector, hostile webhook deliveries), then checks both sides converge with nothing lost or applied twice.

Options:
  --seed <n>          seed of the run (default ${DEFAULT_OPTIONS.seed}); the same seed replays the same choices
  --scenarios <n>     how many scenarios (default ${DEFAULT_OPTIONS.scenarios})
  --only <i,j,...>    run only these scenario indices of the seed (e.g. failed ones from a full run)
  --races <n>         rounds of each race of the race suite, run first on the same seed (default ${DEFAULT_RACE_OPTIONS.rounds}; 0 skips it)
  --json <file>       write the figures as JSON
  --deadline <s>      seconds a scenario may take to converge once faults are off (default ${DEFAULT_OPTIONS.deadlineMs / 1000})
  --keep              keep the work directory (connector log and store) even when everything passed
  -h, --help          this help`;

function wholeNumber(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${value}".`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      scenarios: { type: 'string' },
      only: { type: 'string' },
      races: { type: 'string' },
      json: { type: 'string' },
      deadline: { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const scenarios = wholeNumber('scenarios', values.scenarios, DEFAULT_OPTIONS.scenarios);
  if (scenarios < 1) throw new Error('--scenarios must be at least 1.');
  const only = values.only?.split(',').map((part) => wholeNumber('only', part.trim(), 0));
  const seed = wholeNumber('seed', values.seed, DEFAULT_OPTIONS.seed);
  const rounds = wholeNumber('races', values.races, only ? 0 : DEFAULT_RACE_OPTIONS.rounds);
  let races: RaceReport | null = null;
  if (rounds > 0) {
    races = await runRaces({ seed, rounds });
    process.stdout.write(`${raceSummary(races)}\n\n`);
  }
  process.stdout.write(`${tableHeader()}\n`);
  const report = await runChaos({
    seed,
    scenarios,
    ...(only ? { only } : {}),
    deadlineMs: wholeNumber('deadline', values.deadline, DEFAULT_OPTIONS.deadlineMs / 1000) * 1000,
    keepWorkDir: values.keep === true,
    onScenario: (result) => process.stdout.write(`${tableRow(result)}\n`),
  });
  process.stdout.write('\n');
  for (const result of report.results.filter((r) => !r.ok)) process.stdout.write(`${failureDetail(result)}\n`);
  process.stdout.write(`${summaryText(report)}\n`);
  if (values.json) {
    writeFileSync(values.json, `${JSON.stringify({ ...JSON.parse(summaryJson(report)), races }, null, 2)}\n`);
    process.stdout.write(`figures written to ${values.json}\n`);
  }
  return passed(report) && (races === null || races.losses.length === 0) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`chaos: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
