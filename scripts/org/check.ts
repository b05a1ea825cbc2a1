/**
 * `npm run org:check -- --target-org <alias>`: checks a real org against force-app after a deploy or an install —
 * every custom field readable by the signed-in user, the platform events present, every flow the source marks
 * Active active in the org, Partner_Center_Admin assigned, and (optionally) the sample catalog loaded. Each check
 * is a query whose answer is judged by a pure function; all checks run and each failure is reported.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../lib/paths.js';
import { EXIT_FAILURE, EXIT_OK, booleanFlag, orgFlag, parseFlags, processIo, runMain, type Io, type OptionSpecs } from './args.js';
import { qualify, readPackageContents, type PackageContents } from './package-contents.js';
import { checkOrg, PREFLIGHT_TIMEOUT_MS } from './preflight.js';
import { ADMIN_PERMISSION_SET, CATALOG_PLAN, readProject } from './project.js';
import { describeSfFailure, parseSfJson, type SfJson } from './sf-errors.js';
import { createRunner, type Runner } from './sf-runner.js';

export const CHECK_HELP = `Usage: npm run org:check -- [--target-org <alias>] [--sample-catalog]

Checks an org where the package was deployed or installed: custom fields readable, platform events present,
flows active as in force-app, ${ADMIN_PERMISSION_SET} assigned to the signed-in user.

Options:
  -o, --target-org <alias>   org alias or username (default: sf's default org)
      --sample-catalog       also check that the sample solution catalog (${CATALOG_PLAN}) is loaded
  -h, --help                 show this help`;

const OPTIONS: OptionSpecs = {
  'target-org': { type: 'string', short: 'o' },
  'sample-catalog': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export interface CheckOptions {
  targetOrg?: string;
  sampleCatalog: boolean;
  help: boolean;
}

export function parseCheckArgs(argv: string[]): CheckOptions {
  const parsed = parseFlags(argv, OPTIONS);
  return { targetOrg: orgFlag(parsed, 'target-org'), sampleCatalog: booleanFlag(parsed, 'sample-catalog'), help: booleanFlag(parsed, 'help') };
}

export interface OrgCheck {
  title: string;
  args: string[];
  /** Problems found in sf's successful answer; empty when the check passes. */
  judge(result: unknown): string[];
}

type Records = { records?: Record<string, unknown>[]; totalSize?: number };

const soqlList = (values: string[]) => values.map((v) => `'${v.replaceAll("'", "\\'")}'`).join(', ');

function query(soql: string, targetOrg: string, tooling = false): string[] {
  return ['data', 'query', '--query', soql, ...(tooling ? ['--use-tooling-api'] : []), '--target-org', targetOrg, '--json'];
}

export function sampleCatalogIds(root = ROOT): string[] {
  const plan = JSON.parse(readFileSync(path.join(root, CATALOG_PLAN), 'utf8')) as { files: string[] }[];
  return plan.flatMap((entry) =>
    entry.files.flatMap((file) => {
      const data = JSON.parse(readFileSync(path.join(root, path.dirname(CATALOG_PLAN), file), 'utf8')) as { records: { Solution_Id__c?: string }[] };
      return data.records.map((r) => r.Solution_Id__c).filter((id): id is string => Boolean(id));
    }),
  );
}

export function orgChecks(
  contents: PackageContents,
  context: { targetOrg: string; username: string; namespace?: string; catalogIds?: string[] },
): OrgCheck[] {
  const { targetOrg, namespace } = context;
  const ns = (name: string) => qualify(name, namespace);
  const checks: OrgCheck[] = [];

  // A standard object's folder may hold only list views or validation rules: nothing of ours to read then.
  for (const object of contents.objects.filter((o) => !o.platformEvent && (o.fields.length > 0 || o.name.endsWith('__c')))) {
    const fields = ['Id', ...object.fields.map(ns)];
    checks.push({
      title: `${ns(object.name)}: ${object.fields.length} fields readable`,
      args: query(`SELECT ${fields.join(', ')} FROM ${ns(object.name)} LIMIT 1`, targetOrg),
      // The query succeeding is the check: a missing or unreadable field fails it with INVALID_FIELD.
      judge: () => [],
    });
  }

  for (const event of contents.objects.filter((o) => o.platformEvent)) {
    checks.push({
      title: `${ns(event.name)}: platform event with its fields`,
      args: ['sobject', 'describe', '--sobject', ns(event.name), '--target-org', targetOrg, '--json'],
      judge: (result) => {
        const present = new Set(((result as { fields?: { name: string }[] }).fields ?? []).map((f) => f.name));
        return event.fields.map(ns).filter((f) => !present.has(f)).map((f) => `field ${f} is missing`);
      },
    });
  }

  const activeFlows = contents.flows.filter((f) => f.active).map((f) => f.name);
  if (activeFlows.length) {
    checks.push({
      title: `${activeFlows.length} flows active`,
      args: query(`SELECT DeveloperName, ActiveVersionId FROM FlowDefinition WHERE DeveloperName IN (${soqlList(activeFlows)})`, targetOrg, true),
      judge: (result) => {
        const records = (result as Records).records ?? [];
        return activeFlows.flatMap((name) => {
          const found = records.find((r) => r.DeveloperName === name);
          if (!found) return [`flow ${name} is not in the org`];
          return found.ActiveVersionId ? [] : [`flow ${name} has no active version (activate it in Setup → Flows)`];
        });
      },
    });
  }

  checks.push({
    title: `${ADMIN_PERMISSION_SET} assigned to ${context.username}`,
    args: query(
      `SELECT Id FROM PermissionSetAssignment WHERE PermissionSet.Name = '${ADMIN_PERMISSION_SET}' AND Assignee.Username = ${soqlList([context.username])}`,
      targetOrg,
    ),
    judge: (result) =>
      ((result as Records).records ?? []).length > 0 ? [] : [`${ADMIN_PERMISSION_SET} is not assigned (npm run deploy -- --assign-permsets)`],
  });

  if (context.catalogIds?.length) {
    const ids = context.catalogIds;
    checks.push({
      title: `sample solution catalog loaded (${ids.length} entries)`,
      args: query(`SELECT ${ns('Solution_Id__c')} FROM ${ns('Microsoft_Solution_Detail__c')} WHERE ${ns('Solution_Id__c')} IN (${soqlList(ids)})`, targetOrg),
      judge: (result) => {
        const found = new Set(((result as Records).records ?? []).map((r) => r[ns('Solution_Id__c')]));
        return ids.filter((id) => !found.has(id)).map((id) => `catalog entry ${id} is missing`);
      },
    });
  }
  return checks;
}

/** One check's verdict from sf's answer: sf's own failure, in words, or the judge's problems. */
export function verdict(check: OrgCheck, outcome: { code: number; stdout: string; stderr: string; timedOut: boolean }, targetOrg: string): string[] {
  const json: SfJson | null = parseSfJson(outcome.stdout);
  if (outcome.code !== 0 || outcome.timedOut || !json || json.status !== 0) {
    return [describeSfFailure(outcome, { doing: 'run the check', org: targetOrg }, PREFLIGHT_TIMEOUT_MS)];
  }
  return check.judge(json.result);
}

export async function main(argv: string[], io: Io = processIo, runner: Runner = createRunner()): Promise<number> {
  return runMain(io, 'org:check', CHECK_HELP, async () => {
    const options = parseCheckArgs(argv);
    if (options.help) {
      io.out(CHECK_HELP + '\n');
      return EXIT_OK;
    }
    const org = await checkOrg(runner, options.targetOrg);
    if (!org.ok) {
      io.err(`org:check: ${org.message}\n`);
      return EXIT_FAILURE;
    }
    const targetOrg = options.targetOrg ?? org.username;
    const checks = orgChecks(readPackageContents(), {
      targetOrg,
      username: org.username,
      namespace: readProject().namespace || undefined,
      catalogIds: options.sampleCatalog ? sampleCatalogIds() : undefined,
    });
    let failed = 0;
    for (const check of checks) {
      const problems = verdict(check, await runner.sf(check.args, { timeoutMs: PREFLIGHT_TIMEOUT_MS }), targetOrg);
      if (problems.length) failed++;
      io.out(problems.length ? `✗ ${check.title}\n${problems.map((p) => `    ${p}\n`).join('')}` : `✓ ${check.title}\n`);
    }
    io.out(`\n${checks.length - failed} of ${checks.length} checks passed on ${targetOrg}.\n`);
    return failed ? EXIT_FAILURE : EXIT_OK;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
