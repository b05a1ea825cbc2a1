/**
 * `npm run org:create`: a scratch org with what the package needs (Notes, Opportunity Teams, multi-currency,
 * from config/project-scratch-def.json), the source deployed, Partner_Center_Admin assigned to the org's admin
 * and a small solution catalog loaded, ready to try the card. Needs a Dev Hub.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../lib/paths.js';
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
  stringFlag,
  type Io,
  type OptionSpecs,
} from './args.js';
import { BUILD_STEP, assignPermsetStep, deploySourceSteps } from './deploy.js';
import { executePlan, timeoutFor, type Step } from './plan.js';
import { checkDevHub } from './preflight.js';
import { ADMIN_PERMISSION_SET, CATALOG_PLAN, SCRATCH_DEFINITION } from './project.js';
import { createRunner, type Runner } from './sf-runner.js';

export const DEFAULT_ALIAS = 'cosell-scratch';
const DEPLOY_WAIT_MINUTES = 30;

export const CREATE_HELP = `Usage: npm run org:create -- [--alias <name>] [--target-dev-hub <alias>] [--duration-days <n>] [options]

Creates a scratch org from ${SCRATCH_DEFINITION}, deploys force-app, assigns ${ADMIN_PERMISSION_SET}
to the org's admin and loads a sample solution catalog (${CATALOG_PLAN}).

Options:
  -a, --alias <name>              alias of the new scratch org (default ${DEFAULT_ALIAS})
  -v, --target-dev-hub <alias>    Dev Hub alias or username (default: sf's default Dev Hub)
  -y, --duration-days <n>         days before the org expires, 1-30 (default 7)
  -f, --definition-file <file>    scratch org definition (default ${SCRATCH_DEFINITION})
  -w, --wait <minutes>            how long to wait for the org, 2-120 (default 15)
  -d, --set-default               make the new org sf's default org
      --skip-build                deploy what the last \`npm run build\` produced
      --skip-data                 do not load the sample solution catalog
  -h, --help                      show this help

Needs a Dev Hub: sf org login web --set-default-dev-hub --alias devhub`;

const OPTIONS: OptionSpecs = {
  alias: { type: 'string', short: 'a' },
  'target-dev-hub': { type: 'string', short: 'v' },
  'duration-days': { type: 'string', short: 'y' },
  'definition-file': { type: 'string', short: 'f' },
  wait: { type: 'string', short: 'w' },
  'set-default': { type: 'boolean', short: 'd' },
  'skip-build': { type: 'boolean' },
  'skip-data': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export interface CreateOptions {
  alias: string;
  devHub?: string;
  durationDays: number;
  definitionFile: string;
  wait: number;
  setDefault: boolean;
  build: boolean;
  loadData: boolean;
  help: boolean;
}

export function parseCreateArgs(argv: string[], root = ROOT): CreateOptions {
  const parsed = parseFlags(argv, OPTIONS);
  const definitionFile = stringFlag(parsed, 'definition-file') ?? SCRATCH_DEFINITION;
  const options: CreateOptions = {
    alias: orgFlag(parsed, 'alias') ?? DEFAULT_ALIAS,
    devHub: orgFlag(parsed, 'target-dev-hub'),
    durationDays: integerFlag(parsed, 'duration-days', { min: 1, max: 30, default: 7 }),
    definitionFile,
    wait: integerFlag(parsed, 'wait', { min: 2, max: 120, default: 15 }),
    setDefault: booleanFlag(parsed, 'set-default'),
    build: !booleanFlag(parsed, 'skip-build'),
    loadData: !booleanFlag(parsed, 'skip-data'),
    help: booleanFlag(parsed, 'help'),
  };
  if (!options.help && !existsSync(path.resolve(root, definitionFile))) {
    throw new UsageError(`--definition-file ${definitionFile} does not exist.`);
  }
  return options;
}

export function createPlan(options: CreateOptions): Step[] {
  const { alias } = options;
  const createStep: Step = {
    kind: 'sf',
    title: `Create the scratch org "${alias}"`,
    args: [
      'org',
      'create',
      'scratch',
      '--definition-file',
      options.definitionFile,
      '--alias',
      alias,
      '--duration-days',
      String(options.durationDays),
      '--wait',
      String(options.wait),
      ...(options.devHub ? ['--target-dev-hub', options.devHub] : []),
      ...(options.setDefault ? ['--set-default'] : []),
      '--json',
    ],
    context: { doing: 'create the scratch org', devHub: options.devHub, needsDevHub: true },
    timeoutMs: timeoutFor(options.wait),
  };
  const dataStep: Step = {
    kind: 'sf',
    title: 'Load the sample solution catalog',
    args: ['data', 'import', 'tree', '--plan', CATALOG_PLAN, '--target-org', alias, '--json'],
    context: { doing: 'load the solution catalog', org: alias },
    timeoutMs: timeoutFor(5),
  };
  return [
    // Build before asking for an org: a broken build should not cost a scratch org.
    ...(options.build ? [BUILD_STEP] : []),
    createStep,
    ...deploySourceSteps(alias, DEPLOY_WAIT_MINUTES),
    assignPermsetStep(alias),
    ...(options.loadData ? [dataStep] : []),
  ];
}

export async function main(argv: string[], io: Io = processIo, runner: Runner = createRunner()): Promise<number> {
  return runMain(io, 'org:create', CREATE_HELP, async () => {
    const options = parseCreateArgs(argv);
    if (options.help) {
      io.out(CREATE_HELP + '\n');
      return EXIT_OK;
    }
    const hub = await checkDevHub(runner, options.devHub);
    if (!hub.ok) {
      io.err(`org:create: ${hub.message}\n`);
      return EXIT_FAILURE;
    }
    const { ok, outcomes } = await executePlan(createPlan(options), runner, io);
    if (!ok) return EXIT_FAILURE;
    const created = outcomes.find((o) => o.step.args[1] === 'create')?.json?.result as { username?: string } | undefined;
    io.err(`\nScratch org "${options.alias}" (${created?.username ?? 'username unknown'}) is ready: npx sf org open --target-org ${options.alias}\n`);
    return EXIT_OK;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
