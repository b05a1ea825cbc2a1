/** What the scripts need to know about the SFDX project: the package directory, its package and namespace. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/paths.js';

export interface PackageDirectory {
  path: string;
  default?: boolean;
  package?: string;
  versionName?: string;
  versionNumber?: string;
  versionDescription?: string;
  ancestorVersion?: string;
  ancestorId?: string;
  /** Build-org definition for package versions (features and settings the package's metadata depends on). */
  definitionFile?: string;
}

export interface SfdxProject {
  packageDirectories: PackageDirectory[];
  namespace?: string;
  packageAliases?: Record<string, string>;
  sourceApiVersion?: string;
}

export const SCRATCH_DEFINITION = 'config/project-scratch-def.json';
/** The package version build org: Opportunity Teams and Notes, which the packaged Opportunity layout uses. */
export const PACKAGE_BUILD_DEFINITION = 'config/package-build-def.json';
export const ADMIN_PERMISSION_SET = 'Partner_Center_Admin';
export const CATALOG_PLAN = 'scripts/org/data/solution-catalog-plan.json';

export function readProject(root = ROOT): SfdxProject {
  return JSON.parse(readFileSync(path.join(root, 'sfdx-project.json'), 'utf8')) as SfdxProject;
}

/** The package directory that holds the managed package: the default one. */
export function packageDirectory(project: SfdxProject): PackageDirectory {
  const directory = project.packageDirectories.find((d) => d.default) ?? project.packageDirectories[0];
  if (!directory) throw new Error('sfdx-project.json lists no packageDirectories.');
  return directory;
}
