/** The chaos run's output: one table row per scenario as it finishes, a summary, and the JSON figures. */
import type { ChaosReport, FaultCounts, ScenarioResult } from './run.js';

const SHORT: Record<keyof FaultCounts, string> = {
  rateLimits: '429',
  serverErrors: '5xx',
  timeouts: 'timeout',
  concurrentEdits: '412',
  webhooksDropped: 'wh-drop',
  webhooksDuplicated: 'wh-dup',
  webhooksReordered: 'wh-reorder',
  rowLocks: 'row-lock',
  validationRules: 'val-rule',
  deliveriesFailed: 'callout-fail',
  editsDuringSync: 'mid-sync-edit',
  kills: 'SIGKILL',
  hostileDeliveries: 'hostile',
};

export function faultSummary(faults: FaultCounts): string {
  return (Object.keys(SHORT) as (keyof FaultCounts)[])
    .filter((k) => faults[k] > 0)
    .map((k) => `${SHORT[k]}×${faults[k]}`)
    .join(' ');
}

const COLUMNS = [10, 88, 14];

export function tableHeader(): string {
  const cells = ['scenario', 'faults injected', 'converged in', 'result'];
  const line = cells.map((c, i) => (i < COLUMNS.length ? c.padEnd(COLUMNS[i]) : c)).join(' ');
  return `${line}\n${'-'.repeat(line.length + 6)}`;
}

export function tableRow(r: ScenarioResult): string {
  const faults = `${String(r.faultsInjected).padStart(3)}: ${faultSummary(r.faults)}`;
  const converged = r.convergedSeconds === null ? 'no' : `${r.convergedSeconds.toFixed(1)} s`;
  const took = `(${r.durationSeconds.toFixed(0)} s in all)`;
  const result = r.ok ? 'ok' : `FAIL (${r.violations.length} violation${r.violations.length === 1 ? '' : 's'})`;
  return [`#${r.index}`.padEnd(COLUMNS[0]), faults.padEnd(COLUMNS[1]), converged.padEnd(COLUMNS[2]), `${result} ${took}`].join(' ');
}

/** What went wrong in a failed scenario, for the person reading the output. */
export function failureDetail(r: ScenarioResult): string {
  const lines = [`scenario #${r.index} (seed ${r.seed}):`];
  for (const v of r.violations.slice(0, 20)) lines.push(`  [${v.kind}] ${v.deal}: ${v.message}`);
  if (r.violations.length > 20) lines.push(`  … and ${r.violations.length - 20} more`);
  lines.push('  actions:');
  for (const a of r.actions) lines.push(`    ${a}`);
  return lines.join('\n');
}

/** The figures the brief asks for first, in that order; the rest after. */
export function summaryJson(report: ChaosReport): string {
  const { scenarios, faultsInjected, lost, duplicated, rejectedForgeries, maxConvergenceSeconds, ...rest } = report;
  return JSON.stringify({ scenarios, faultsInjected, lost, duplicated, rejectedForgeries, maxConvergenceSeconds, ...rest }, null, 2);
}

export function summaryText(report: ChaosReport): string {
  return [
    `${report.scenarios} scenarios (seed ${report.seed}) in ${report.durationSeconds} s: ${report.faultsInjected} faults injected (${faultSummary(report.faultsByKind)}), ` +
      `${report.deals} deals, ${report.connectorStarts} connector starts, ${report.deadLettersReplayed} injected dead letters replayed.`,
    `lost ${report.lost}, duplicated ${report.duplicated}, forgeries refused ${report.rejectedForgeries} of ${report.forgeries}, ` +
      `slowest convergence ${report.maxConvergenceSeconds} s, failed scenarios: ${report.failedScenarios.length ? report.failedScenarios.join(', ') : 'none'}.`,
    ...(report.finalAudit.length ? [`final audit: ${report.finalAudit.length} violation(s):`, ...report.finalAudit.slice(0, 20).map((v) => `  [${v.kind}] ${v.deal}: ${v.message}`)] : []),
    ...(report.workDir ? [`work directory kept: ${report.workDir} (connector.log, connector-store.sqlite)`] : []),
  ].join('\n');
}
