/**
 * `npm run package:version -- --installation-key <key> | --installation-key-bypass`: a new version of the
 * second-generation managed package named in sfdx-project.json, built by the Dev Hub, then its install URLs.
 *
 * Always computes code coverage: Salesforce refuses to promote (release) a version created without it, even
 * when, as here, there is no Apex to cover. The first run also creates the package itself (`sf package create`),
 * which records its 0Ho id under packageAliases in sfdx-project.json — commit that change.
 */
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
} from '../org/args.js';
import { BUILD_STEP } from '../org/deploy.js';
import { executePlan, timeoutFor, type Step } from '../org/plan.js';
import { checkDevHub } from '../org/preflight.js';
import { packageDirectory, readProject, type SfdxProject } from '../org/project.js';
import { createRunner, type Runner } from '../org/sf-runner.js';
import { formatInstallUrls, installUrls } from './install-url.js';

export const PACKAGE_VERSION_HELP = `Usage: npm run package:version -- (--installation-key <key> | --installation-key-bypass) [options]

Creates a version of the managed package named in sfdx-project.json and prints its install URLs.
Needs a Dev Hub with the package's namespace linked to it (docs/UPGRADING.md).

Options:
  -k, --installation-key <key>    key admins must enter to install the version
  -x, --installation-key-bypass   anyone with the URL may install the version
  -v, --target-dev-hub <alias>    Dev Hub alias or username (default: sf's default Dev Hub)
  -n, --version-number <x.y.z.b>  override versionNumber from sfdx-project.json (build may be NEXT)
  -w, --wait <minutes>            how long to wait for the version, 1-240 (default 60)
      --skip-build                package what the last \`npm run build\` produced
  -h, --help                      show this help

Release a version after testing it: npx sf package version promote --package <04t id>`;

const OPTIONS: OptionSpecs = {
  'installation-key': { type: 'string', short: 'k' },
  'installation-key-bypass': { type: 'boolean', short: 'x' },
  'target-dev-hub': { type: 'string', short: 'v' },
  'version-number': { type: 'string', short: 'n' },
  wait: { type: 'string', short: 'w' },
  'skip-build': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export interface PackageVersionOptions {
  installationKey?: string;
  bypassKey: boolean;
  devHub?: string;
  versionNumber?: string;
  wait: number;
  build: boolean;
  help: boolean;
}

export function parsePackageVersionArgs(argv: string[]): PackageVersionOptions {
  const parsed = parseFlags(argv, OPTIONS);
  const options: PackageVersionOptions = {
    installationKey: stringFlag(parsed, 'installation-key'),
    bypassKey: booleanFlag(parsed, 'installation-key-bypass'),
    devHub: orgFlag(parsed, 'target-dev-hub'),
    versionNumber: stringFlag(parsed, 'version-number'),
    wait: integerFlag(parsed, 'wait', { min: 1, max: 240, default: 60 }),
    build: !booleanFlag(parsed, 'skip-build'),
    help: booleanFlag(parsed, 'help'),
  };
  if (options.help) return options;
  if (options.installationKey !== undefined && options.bypassKey) {
    throw new UsageError('pass --installation-key or --installation-key-bypass, not both.');
  }
  if (options.installationKey === undefined && !options.bypassKey) {
    throw new UsageError('--installation-key <key> or --installation-key-bypass is required (who may install this version?).');
  }
  if (options.versionNumber !== undefined && !/^\d+\.\d+\.\d+\.(\d+|NEXT)$/.test(options.versionNumber)) {
    throw new UsageError(`--version-number must look like 1.2.0.NEXT or 1.2.0.4; got "${options.versionNumber}".`);
  }
  return options;
}

/** What sfdx-project.json must hold before a managed version can be created; the problems in words. */
export function projectProblems(project: SfdxProject): string[] {
  const problems: string[] = [];
  const directory = packageDirectory(project);
  if (!directory.package) problems.push(`sfdx-project.json: the package directory "${directory.path}" names no "package".`);
  if (!project.namespace) {
    problems.push(
      'sfdx-project.json has no "namespace": a managed package needs one. Register a namespace in a Developer Edition org, ' +
        'link it to your Dev Hub and set "namespace" (docs/UPGRADING.md, "Before the first managed version").',
    );
  }
  return problems;
}

export function packageVersionPlan(options: PackageVersionOptions, project: SfdxProject): Step[] {
  const directory = packageDirectory(project);
  const name = directory.package!;
  const hub = options.devHub ? ['--target-dev-hub', options.devHub] : [];
  const context = { devHub: options.devHub, needsDevHub: true };
  const steps: Step[] = options.build ? [BUILD_STEP] : [];
  if (!project.packageAliases?.[name]) {
    steps.push({
      kind: 'sf',
      title: `Create the managed package "${name}" in the Dev Hub (first time only)`,
      args: ['package', 'create', '--name', name, '--package-type', 'Managed', '--path', directory.path, ...(directory.versionDescription ? ['--description', directory.versionDescription] : []), ...hub, '--json'],
      context: { ...context, doing: 'create the package' },
      timeoutMs: timeoutFor(5),
    });
  }
  const key = options.installationKey !== undefined ? ['--installation-key', options.installationKey] : ['--installation-key-bypass'];
  steps.push({
    kind: 'sf',
    title: `Create a version of "${name}"`,
    args: [
      'package',
      'version',
      'create',
      '--package',
      name,
      ...key,
      '--code-coverage',
      ...(options.versionNumber ? ['--version-number', options.versionNumber] : []),
      '--wait',
      String(options.wait),
      ...hub,
      '--json',
    ],
    context: { ...context, doing: 'create the package version' },
    timeoutMs: timeoutFor(options.wait),
    secretFlags: ['--installation-key'],
  });
  return steps;
}

interface VersionResult {
  Id?: string;
  Status?: string;
  SubscriberPackageVersionId?: string;
  Error?: string[];
}

export async function main(argv: string[], io: Io = processIo, runner: Runner = createRunner(), root = ROOT): Promise<number> {
  return runMain(io, 'package:version', PACKAGE_VERSION_HELP, async () => {
    const options = parsePackageVersionArgs(argv);
    if (options.help) {
      io.out(PACKAGE_VERSION_HELP + '\n');
      return EXIT_OK;
    }
    const project = readProject(root);
    const problems = projectProblems(project);
    if (problems.length) {
      io.err(`package:version: ${problems.join('\n')}\n`);
      return EXIT_FAILURE;
    }
    const hub = await checkDevHub(runner, options.devHub);
    if (!hub.ok) {
      io.err(`package:version: ${hub.message}\n`);
      return EXIT_FAILURE;
    }
    const { ok, outcomes } = await executePlan(packageVersionPlan(options, project), runner, io);
    if (!ok) return EXIT_FAILURE;
    const version = outcomes.at(-1)?.json?.result as VersionResult | undefined;
    if (!version?.SubscriberPackageVersionId) {
      io.err(
        `package:version: the version is not ready (status ${version?.Status ?? 'unknown'}). ` +
          `Follow it with: npx sf package version create report --package-create-request-id ${version?.Id ?? '<08c id>'}\n`,
      );
      return EXIT_FAILURE;
    }
    io.out(formatInstallUrls(installUrls(version.SubscriberPackageVersionId)));
    io.err(`Test it in a sandbox or scratch org, then release it: npx sf package version promote --package ${version.SubscriberPackageVersionId}\n`);
    return EXIT_OK;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
