/**
 * Salesforce Code Analyzer on the Lightning Web Components, as a security review would run it: the ESLint engine
 * (Salesforce's LWC and Lightning rules) over the JavaScript the platform receives, the Regex engine (e.g. stray
 * trailing whitespace, hard-coded Salesforce ids, insecure URLs), and RetireJS (known-vulnerable JavaScript
 * libraries), with the Recommended rules `sf code-analyzer run` selects by default. Findings rated High or Critical
 * fail the run; moderate and lower ones are listed.
 */
import { SeverityLevel } from '@salesforce/code-analyzer-core';
import { createEnginePlugin as eslintEngine } from '@salesforce/code-analyzer-eslint-engine';
import { createEnginePlugin as regexEngine } from '@salesforce/code-analyzer-regex-engine';
import { createEnginePlugin as retireJsEngine } from '@salesforce/code-analyzer-retirejs-engine';
import { LWC_DIR } from '../lib/paths.js';
import { runCodeAnalyzer } from './code-analyzer.js';
import type { StepResult } from './step.js';

export async function validateComponents(lwcDir = LWC_DIR): Promise<StepResult> {
  const result = await runCodeAnalyzer({
    plugins: [eslintEngine(), regexEngine(), retireJsEngine()],
    engines: ['eslint', 'regex', 'retire-js'],
    // Code Analyzer's default selection (`sf code-analyzer run` with no --rule-selector): each engine's
    // Recommended rules, not its optional style rules such as sort-imports.
    selectors: ['eslint:Recommended', 'regex:Recommended', 'retire-js:Recommended'],
    targets: [lwcDir],
    failAtOrAbove: SeverityLevel.High,
    // The repository's own eslint.config.js targets TypeScript sources; Code Analyzer judges the shipped JavaScript.
    engineConfig: { eslint: { auto_discover_eslint_config: false } },
  });
  return { ok: result.ok, report: `Code Analyzer on ${lwcDir} (${result.summary.join(', ')})\n${result.report}` };
}
