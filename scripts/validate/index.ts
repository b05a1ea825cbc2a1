/**
 * `npm run validate`: every offline check that stands in for "would this deploy and pass review", each failing
 * the run on error. Steps run one after another so their reports read in order; the first builds what the others
 * check, so validate needs no earlier `npm run build`.
 */
import { validateBuild } from './build.js';
import { validateComponents } from './components.js';
import { validateConversion } from './convert.js';
import { validateLint } from './eslint.js';
import { validateFlows } from './flows.js';
import { validateLwcBundles } from './lwc-compile.js';
import { validateMetadataLimits } from './metadata-limits.js';
import type { StepResult } from './step.js';
import { validateTypes } from './typecheck.js';

const STEPS: [string, () => Promise<StepResult>][] = [
  // First: a fresh clone has no component JavaScript, and the compiler and Code Analyzer steps read it.
  ['components build from TypeScript (npm run build:lwc)', validateBuild],
  ['metadata converts to Metadata API format (source-deploy-retrieve)', validateConversion],
  ['metadata within documented Salesforce limits (scripts/validate/metadata-limits.ts)', validateMetadataLimits],
  ['LWC bundles compile for the platform (@lwc/sfdc-lwc-compiler)', validateLwcBundles],
  ['flows pass Salesforce Code Analyzer flow rules', validateFlows],
  ['components pass Salesforce Code Analyzer (ESLint, Regex, RetireJS engines)', validateComponents],
  ['scripts and tests type-check (tsc)', validateTypes],
  ['ESLint: LWC and TypeScript rules', validateLint],
];

let failed = 0;
for (const [title, step] of STEPS) {
  const started = Date.now();
  let result: StepResult;
  try {
    result = await step();
  } catch (error) {
    result = { ok: false, report: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${result.ok ? '✔' : '✖'} ${title} (${seconds}s)`);
  console.log(result.report.replace(/^/gm, '    '));
  if (!result.ok) failed++;
}
if (failed) {
  console.error(`validate: ${failed} of ${STEPS.length} checks failed`);
  process.exit(1);
}
console.log(`validate: all ${STEPS.length} checks passed`);
