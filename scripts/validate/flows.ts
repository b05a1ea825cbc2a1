/**
 * Runs Salesforce Code Analyzer's Flow engine (Flow Scanner) over every flow in force-app, offline, as a library:
 * @salesforce/code-analyzer-core drives the engine from @salesforce/code-analyzer-flow-engine, which runs the
 * Python Flow Scanner (needs python3 >= 3.10). This is the same engine `sf code-analyzer run` uses, without the
 * CLI plugin install.
 *
 * Threshold: any violation fails, whatever its severity. The Flow engine's rules are all security rules about
 * user-controlled data reaching record operations in flows that run in system context; the with-sharing
 * variant is rated Low, but every flow in this package runs in system context (record- and event-triggered), so
 * a Low finding here is still a real data-exposure path, and a clean baseline costs nothing to keep.
 *
 * Run: `npx tsx scripts/validate/flows.ts [folder]` (prints the findings; exits 1 on any violation or engine error).
 */
import { SeverityLevel } from '@salesforce/code-analyzer-core';
import { createEnginePlugin } from '@salesforce/code-analyzer-flow-engine';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FORCE_APP, ROOT } from '../lib/paths.js';
import { runCodeAnalyzer } from './code-analyzer.js';
import type { StepResult } from './step.js';

/** The Code Analyzer engine name of Flow Scanner; selecting it selects every rule the engine has. */
const ENGINE = 'flow';

/** Violations at or above this severity fail the run (Info is the lowest, so this means "all of them"). */
const FAIL_AT_OR_ABOVE = SeverityLevel.Info;

const FLOWS_DIR = path.join(FORCE_APP, 'flows');

/** Lists the flow files the engine must see, so "found nothing" can be told apart from "scanned nothing". */
function flowFiles(flowsDir: string): string[] {
  if (!existsSync(flowsDir)) return [];
  return readdirSync(flowsDir)
    .filter((name) => name.endsWith('.flow-meta.xml'))
    .map((name) => path.join(flowsDir, name))
    .sort();
}

/** Scans the package's flows; `flowsDir` exists so tests can prove the check fails on a known-bad flow. */
export async function validateFlows(flowsDir = FLOWS_DIR): Promise<StepResult> {
  const files = flowFiles(flowsDir);
  if (files.length === 0) return { ok: false, report: `no flows found in ${path.relative(ROOT, flowsDir)}` };

  const result = await runCodeAnalyzer({
    plugins: [createEnginePlugin()],
    engines: [ENGINE],
    targets: [flowsDir],
    failAtOrAbove: FAIL_AT_OR_ABOVE,
  });
  const scanned = `Flow Scanner (${result.summary.join(', ')}) on ${files.length} flows: ${files.map((f) => path.basename(f, '.flow-meta.xml')).join(', ')}`;
  return { ok: result.ok, report: `${scanned}\n${result.report}` };
}

// Runnable on its own: print the report and fail the process on any finding. An optional argument scans another
// folder of .flow-meta.xml files instead of the package's.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await validateFlows(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(result.report);
  process.exitCode = result.ok ? 0 : 1;
}
