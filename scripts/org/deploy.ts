/**
 * `npm run deploy -- --target-org <alias> [--assign-permsets] [--dry-run]`: builds the components' JavaScript
 * (the org gets <name>.js, never the .ts) and deploys force-app to any org sf is logged in to.
 */
import { pathToFileURL } from 'node:url';
import {
  EXIT_FAILURE,
  EXIT_OK,
  UsageError,
  booleanFlag,
  integerFlag,
  orgFlag,
  parseFlags,
  processIo,
  runMain,
  type Io,
  type OptionSpecs,
} from './args.js';
import { executePlan, timeoutFor, type Step } from './plan.js';
import { checkOrg } from './preflight.js';
import { ADMIN_PERMISSION_SET } from './project.js';
import { createRunner, type Runner } from './sf-runner.js';
import type { SfJson } from './sf-errors.js';

export const DEPLOY_HELP = `Usage: npm run deploy -- [--target-org <alias>] [--assign-permsets] [--dry-run] [--wait <minutes>] [--skip-build]

Builds the Lightning components' JavaScript and deploys force-app to an org you are logged in to with sf.

Options:
  -o, --target-org <alias>   org alias or username (default: sf's default org)
      --assign-permsets      assign ${ADMIN_PERMISSION_SET} to the user sf is logged in as
      --dry-run              validate the deploy without saving it (sf project deploy start --dry-run)
  -w, --wait <minutes>       how long to wait for the deploy, 1-600 (default 30)
      --skip-build           deploy what the last \`npm run build\` produced
  -h, --help                 show this help

Log in first: sf org login web --alias my-org (add --instance-url https://test.salesforce.com for a sandbox).`;

const OPTIONS: OptionSpecs = {
  'target-org': { type: 'string', short: 'o' },
  'assign-permsets': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  wait: { type: 'string', short: 'w' },
  'skip-build': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export interface DeployOptions {
  targetOrg?: string;
  assignPermsets: boolean;
  dryRun: boolean;
  wait: number;
  build: boolean;
  help: boolean;
}

export function parseDeployArgs(argv: string[]): DeployOptions {
  const parsed = parseFlags(argv, OPTIONS);
  const options: DeployOptions = {
    targetOrg: orgFlag(parsed, 'target-org'),
    assignPermsets: booleanFlag(parsed, 'assign-permsets'),
    dryRun: booleanFlag(parsed, 'dry-run'),
    wait: integerFlag(parsed, 'wait', { min: 1, max: 600, default: 30 }),
    build: !booleanFlag(parsed, 'skip-build'),
    help: booleanFlag(parsed, 'help'),
  };
  if (options.dryRun && options.assignPermsets) {
    throw new UsageError('--assign-permsets cannot be combined with --dry-run: a dry run saves nothing, so the permission set may not exist yet.');
  }
  return options;
}

export const BUILD_STEP: Step = { kind: 'npm', title: 'Build the components', args: ['run', 'build'] };

/** sf reports an assignment that exists already as a failure; re-running a deploy must not fail on it. */
export function permsetAlreadyAssigned(json: SfJson): boolean {
  const result = json.result as { successes?: unknown[]; failures?: { message?: string }[] } | undefined;
  const failures = result?.failures ?? [];
  return failures.length > 0 && failures.every((f) => /duplicate/i.test(f.message ?? ''));
}

export function assignPermsetStep(targetOrg: string): Step {
  return {
    kind: 'sf',
    title: `Assign ${ADMIN_PERMISSION_SET}`,
    args: ['org', 'assign', 'permset', '--name', ADMIN_PERMISSION_SET, '--target-org', targetOrg, '--json'],
    context: { doing: `assign ${ADMIN_PERMISSION_SET}`, org: targetOrg },
    timeoutMs: timeoutFor(5),
    alreadyDone: permsetAlreadyAssigned,
  };
}

export function deploySourceStep(targetOrg: string, wait: number, dryRun = false): Step {
  return {
    kind: 'sf',
    title: dryRun ? 'Validate the deploy (dry run)' : 'Deploy force-app',
    args: ['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', targetOrg, '--wait', String(wait), ...(dryRun ? ['--dry-run'] : []), '--json'],
    context: { doing: dryRun ? 'validate the deploy' : 'deploy force-app', org: targetOrg },
    timeoutMs: timeoutFor(wait),
  };
}

/**
 * What the flows' HTTP callout action is generated from: the External Service registration and the credentials it
 * names. A flow that uses the registration's types fails to deploy when the registration arrives in the same
 * deploy ("\"apexClass\" is invalid", forcedotcom/cli issue 2233; the reported way through is to deploy the
 * registration and its credentials first, then the flows), so they go in a deploy of their own before the rest.
 */
export const CALLOUT_SOURCE_DIRS = [
  'force-app/main/default/externalCredentials',
  'force-app/main/default/namedCredentials',
  'force-app/main/default/externalServiceRegistrations',
];

export function deployCalloutStep(targetOrg: string, wait: number): Step {
  return {
    kind: 'sf',
    title: 'Deploy the External Service and its credentials (before the flows that use it)',
    args: ['project', 'deploy', 'start', ...CALLOUT_SOURCE_DIRS.flatMap((dir) => ['--source-dir', dir]), '--target-org', targetOrg, '--wait', String(wait), '--json'],
    context: { doing: 'deploy the External Service registration', org: targetOrg },
    timeoutMs: timeoutFor(wait),
  };
}

/**
 * The source deploy: the callout metadata first, then force-app. A dry run saves nothing, so it cannot be split;
 * it validates force-app in one pass (against an org that has no registration yet it may report issue 2233).
 */
export function deploySourceSteps(targetOrg: string, wait: number, dryRun = false): Step[] {
  if (dryRun) return [deploySourceStep(targetOrg, wait, true)];
  return [deployCalloutStep(targetOrg, wait), deploySourceStep(targetOrg, wait)];
}

/** `targetOrg` is the alias given, or the username of sf's default org found by the preflight. */
export function deployPlan(options: DeployOptions, targetOrg: string): Step[] {
  return [
    ...(options.build ? [BUILD_STEP] : []),
    ...deploySourceSteps(targetOrg, options.wait, options.dryRun),
    ...(options.assignPermsets ? [assignPermsetStep(targetOrg)] : []),
  ];
}

export async function main(argv: string[], io: Io = processIo, runner: Runner = createRunner()): Promise<number> {
  return runMain(io, 'deploy', DEPLOY_HELP, async () => {
    const options = parseDeployArgs(argv);
    if (options.help) {
      io.out(DEPLOY_HELP + '\n');
      return EXIT_OK;
    }
    const org = await checkOrg(runner, options.targetOrg);
    if (!org.ok) {
      io.err(`deploy: ${org.message}\n`);
      return EXIT_FAILURE;
    }
    const target = options.targetOrg ?? org.username;
    const { ok } = await executePlan(deployPlan(options, target), runner, io);
    if (ok) io.err(`\n${options.dryRun ? 'The deploy would succeed on' : 'Deployed to'} ${target} (${org.username}).\n`);
    return ok ? EXIT_OK : EXIT_FAILURE;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
