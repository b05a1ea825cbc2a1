/**
 * Salesforce Code Analyzer, offline, as a library: @salesforce/code-analyzer-core drives the engines the
 * `sf code-analyzer run` CLI uses, without the CLI plugin install. One runner serves every scan the package needs
 * (flows with Flow Scanner; components with the ESLint, Regex and RetireJS engines).
 */
import { CodeAnalyzer, CodeAnalyzerConfig, EventType, LogLevel, SeverityLevel } from '@salesforce/code-analyzer-core';
import type { LogEvent, Violation } from '@salesforce/code-analyzer-core';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../lib/paths.js';
import type { StepResult } from './step.js';

/** The core does not re-export the engine API's plugin type; its own method signature names it. */
type EnginePlugin = Parameters<CodeAnalyzer['addEnginePlugin']>[0];

export interface CodeAnalyzerScan {
  /** Engine plugins to load, and the engine names whose rules are selected (every rule of each engine). */
  plugins: EnginePlugin[];
  engines: string[];
  /** Files or folders to scan. */
  targets: string[];
  /** Violations at or above this severity fail the scan (Critical = 1 … Info = 5). */
  failAtOrAbove: SeverityLevel;
  /** Rule-selector extras (e.g. a tag) to narrow an engine's rules; default: all of each engine's rules. */
  selectors?: string[];
  /** Per-engine configuration as Code Analyzer's config file would hold it under `engines`. */
  engineConfig?: Record<string, unknown>;
}

function describeViolation(violation: Violation): string {
  const rule = violation.getRule();
  const where = violation.getPrimaryLocation();
  const file = where.getFile() ? path.relative(ROOT, where.getFile() as string) : '(no file)';
  const line = where.getStartLine() ? `:${where.getStartLine()}` : '';
  return `${SeverityLevel[rule.getSeverityLevel()]} ${rule.getEngineName()}/${rule.getName()} ${file}${line}: ${violation.getMessage()}`;
}

export async function runCodeAnalyzer(scan: CodeAnalyzerScan): Promise<StepResult & { summary: string[] }> {
  // The engines write their own log files; keep them out of the repository.
  const logFolder = await mkdtemp(path.join(os.tmpdir(), 'cosell-code-analyzer-'));
  const errors: string[] = [];
  try {
    const config = CodeAnalyzerConfig.fromObject(
      { log_folder: logFolder, log_level: LogLevel.Warn, engines: scan.engineConfig ?? {} },
      ROOT,
    );
    const analyzer = new CodeAnalyzer(config);
    analyzer.onEvent<LogEvent>(EventType.LogEvent, (event) => {
      if (event.logLevel === LogLevel.Error) errors.push(event.message);
    });
    for (const plugin of scan.plugins) await analyzer.addEnginePlugin(plugin);
    const missing = scan.engines.filter((e) => !analyzer.getEngineNames().includes(e));
    if (missing.length) {
      return { ok: false, summary: [], report: `Code Analyzer did not load ${missing.join(', ')}: ${errors.join('; ') || 'no reason given'}` };
    }

    const workspace = await analyzer.createWorkspace(scan.targets);
    const selectors = scan.selectors ?? scan.engines;
    const rules = await analyzer.selectRules(selectors, { workspace });
    const summary: string[] = [];
    for (const engine of scan.engines) {
      const count = rules.getRulesFor(engine).length;
      if (count === 0) return { ok: false, summary, report: `the ${engine} engine offered no rules` };
      summary.push(`${engine}: ${count} rules`);
    }
    const results = await analyzer.run(rules, { workspace });
    const violations = scan.engines.flatMap((e) => results.getEngineRunResults(e).getViolations());
    const failing = violations.filter((v) => v.getRule().getSeverityLevel() <= scan.failAtOrAbove);
    const lines = [
      ...violations.map(describeViolation),
      ...errors.map((message) => `engine error: ${message}`),
    ];
    if (violations.length === 0) lines.push('no violations');
    return { ok: failing.length === 0 && errors.length === 0, summary, report: lines.join('\n') };
  } finally {
    await rm(logFolder, { recursive: true, force: true });
  }
}
