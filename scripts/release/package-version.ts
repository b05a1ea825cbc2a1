/**
 * `npm run package:version -- --installation-key <key> | --installation-key-bypass`: a new version of the
 * second-generation managed package named in sfdx-project.json, built by the Dev Hub, then its install URLs.
 *
 * Always computes code coverage: Salesforce refuses to promote (release) a version created without it, even
 * when, as here, there is no Apex to cover. The first run also creates the package itself (`sf package create`),
 * which records its 0Ho id under packageAliases in sfdx-project.json — commit that change.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
} from '../org/args.js';
import { BUILD_STEP } from '../org/deploy.js';
import { executePlan, timeoutFor, type Step } from '../org/plan.js';
import { checkDevHub } from '../org/preflight.js';
import { PACKAGE_BUILD_DEFINITION, packageDirectory, readProject, type SfdxProject } from '../org/project.js';
import { createRunner, type Runner } from '../org/sf-runner.js';
import { formatInstallUrls, installUrls } from './install-url.js';

export const PACKAGE_VERSION_HELP = `Usage: npm run package:version -- (--installation-key <key> | --installation-key-bypass) [options]

Creates a version of the managed package named in sfdx-project.json and prints its install URLs.
Needs a Dev Hub with the package's namespace linked to it (docs/UPGRADING.md).

Options:
      --namespace <prefix>        the package's namespace prefix (1-15 letters and digits, starting with a
                                  letter, linked to the Dev Hub); written to sfdx-project.json when it has
                                  none, refused when it names another (default: sfdx-project.json's)
  -k, --installation-key <key>    key admins must enter to install the version
  -x, --installation-key-bypass   anyone with the URL may install the version
  -v, --target-dev-hub <alias>    Dev Hub alias or username (default: sf's default Dev Hub)
  -n, --version-number <x.y.z.b>  override versionNumber from sfdx-project.json (build may be NEXT)
  -w, --wait <minutes>            how long to wait for the version, 1-240 (default 60)
      --skip-build                package what the last \`npm run build\` produced
  -h, --help                      show this help

The build org is defined by the package directory's definitionFile (${PACKAGE_BUILD_DEFINITION}: Opportunity
Teams and Notes, which the packaged Opportunity layout needs).

Release a version after testing it: npx sf package version promote --package <04t id>`;

const OPTIONS: OptionSpecs = {
  namespace: { type: 'string' },
  'installation-key': { type: 'string', short: 'k' },
  'installation-key-bypass': { type: 'boolean', short: 'x' },
  'target-dev-hub': { type: 'string', short: 'v' },
  'version-number': { type: 'string', short: 'n' },
  wait: { type: 'string', short: 'w' },
  'skip-build': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export interface PackageVersionOptions {
  /** --namespace: the managed package's prefix; undefined = sfdx-project.json's. */
  namespace?: string;
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
    namespace: stringFlag(parsed, 'namespace'),
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
  if (options.namespace !== undefined && !NAMESPACE_PATTERN.test(options.namespace)) {
    throw new UsageError(`--namespace must be 1-15 letters and digits starting with a letter (no "__"); got "${options.namespace}".`);
  }
  if (options.versionNumber !== undefined && !/^\d+\.\d+\.\d+\.(\d+|NEXT)$/.test(options.versionNumber)) {
    throw new UsageError(`--version-number must look like 1.2.0.NEXT or 1.2.0.4; got "${options.versionNumber}".`);
  }
  return options;
}

/** A Salesforce namespace prefix: 1-15 letters and digits, starting with a letter (so no double underscore). */
export const NAMESPACE_PATTERN = /^[A-Za-z][A-Za-z0-9]{0,14}$/;

/** The namespace the version is built with: --namespace, else sfdx-project.json's (empty = none). */
export function effectiveNamespace(project: SfdxProject, namespace?: string): string {
  return namespace ?? project.namespace ?? '';
}

/** The build-org definition file the version is created with (relative to the project root). */
export function buildDefinitionFile(project: SfdxProject): string {
  return packageDirectory(project).definitionFile ?? PACKAGE_BUILD_DEFINITION;
}

/** What sfdx-project.json must hold before a managed version can be created; the problems in words. */
export function projectProblems(project: SfdxProject, namespace?: string, root?: string): string[] {
  const problems: string[] = [];
  const directory = packageDirectory(project);
  if (!directory.package) problems.push(`sfdx-project.json: the package directory "${directory.path}" names no "package".`);
  if (namespace !== undefined && project.namespace && project.namespace !== namespace) {
    problems.push(`--namespace ${namespace} differs from sfdx-project.json's "namespace": "${project.namespace}"; a package keeps its namespace for life.`);
  }
  if (root !== undefined && !existsSync(path.join(root, buildDefinitionFile(project)))) {
    problems.push(`the build-org definition file ${buildDefinitionFile(project)} (packageDirectories definitionFile) does not exist.`);
  }
  if (!effectiveNamespace(project, namespace)) {
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
      '--definition-file',
      buildDefinitionFile(project),
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

/** Sets "namespace" in sfdx-project.json, keeping the rest of the file as it is. */
export function writeNamespace(root: string, namespace: string): void {
  const file = path.join(root, 'sfdx-project.json');
  const project = JSON.parse(readFileSync(file, 'utf8')) as SfdxProject;
  project.namespace = namespace;
  writeFileSync(file, `${JSON.stringify(project, null, 2)}\n`);
}

export async function main(argv: string[], io: Io = processIo, runner: Runner = createRunner(), root = ROOT): Promise<number> {
  return runMain(io, 'package:version', PACKAGE_VERSION_HELP, async () => {
    const options = parsePackageVersionArgs(argv);
    if (options.help) {
      io.out(PACKAGE_VERSION_HELP + '\n');
      return EXIT_OK;
    }
    const project = readProject(root);
    const problems = projectProblems(project, options.namespace, root);
    if (problems.length) {
      io.err(`package:version: ${problems.join('\n')}\n`);
      return EXIT_FAILURE;
    }
    const hub = await checkDevHub(runner, options.devHub);
    if (!hub.ok) {
      io.err(`package:version: ${hub.message}\n`);
      return EXIT_FAILURE;
    }
    if (options.namespace && !project.namespace) {
      // sf reads the namespace from sfdx-project.json only: record it there (and keep it: it is the package's for life).
      writeNamespace(root, options.namespace);
      project.namespace = options.namespace;
      io.err(`package:version: set "namespace": "${options.namespace}" in sfdx-project.json; commit that change.\n`);
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
