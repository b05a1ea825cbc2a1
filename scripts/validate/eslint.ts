/** Runs ESLint (eslint.config.js: Salesforce's LWC rules on components, typescript-eslint elsewhere, the layer rules). */
import { ESLint } from 'eslint';
import { ROOT } from '../lib/paths.js';
import type { StepResult } from './step.js';

/** `patterns`: what to lint, the whole repository by default (tests narrow it to the files they wrote). */
export async function validateLint(patterns: string[] = ['.']): Promise<StepResult> {
  const eslint = new ESLint({ cwd: ROOT });
  const results = await eslint.lintFiles(patterns);
  const errors = results.reduce((n, r) => n + r.errorCount + r.fatalErrorCount, 0);
  const warnings = results.reduce((n, r) => n + r.warningCount, 0);
  const text = String(await (await eslint.loadFormatter('stylish')).format(results)).trim();
  return {
    ok: errors === 0,
    report: text ? `${text}\n(${errors} errors, ${warnings} warnings)` : `${results.length} files linted: no problems`,
  };
}
