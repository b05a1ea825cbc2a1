/**
 * Converts force-app from source format to Metadata API format with Salesforce's own library
 * (@salesforce/source-deploy-retrieve, the engine behind `sf project convert source`), offline. Malformed or
 * unknown metadata fails here exactly as it would fail a deploy's conversion step. Also enforces "no Apex".
 */
import { ComponentSetBuilder, MetadataConverter } from '@salesforce/source-deploy-retrieve';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../lib/paths.js';
import type { StepResult } from './step.js';

/** Metadata types that would mean Apex crept into a package that promises none. */
const FORBIDDEN_TYPES = new Set(['ApexClass', 'ApexTrigger', 'ApexPage', 'ApexComponent', 'ApexTestSuite']);

export async function validateConversion(sourcePath = path.join(ROOT, 'force-app')): Promise<StepResult> {
  const components = await ComponentSetBuilder.build({ sourcepath: [sourcePath] });
  const all = components.getSourceComponents().toArray();
  const problems = all
    .filter((c) => FORBIDDEN_TYPES.has(c.type.name))
    .map((c) => `${c.type.name} ${c.fullName}: the package must contain no Apex (${c.xml ?? c.content})`);

  const outputDirectory = await mkdtemp(path.join(os.tmpdir(), 'cosell-mdapi-'));
  try {
    const result = await new MetadataConverter().convert(components, 'metadata', {
      type: 'directory',
      outputDirectory,
      genUniqueDir: false,
    });
    const byType = new Map<string, number>();
    for (const c of all) byType.set(c.type.name, (byType.get(c.type.name) ?? 0) + 1);
    const summary = [...byType].sort().map(([type, n]) => `${type}: ${n}`).join(', ');
    return {
      ok: problems.length === 0 && all.length > 0,
      report:
        problems.join('\n') ||
        (all.length === 0
          ? 'no metadata found under force-app'
          : `${all.length} components converted to Metadata API format (${summary}) in ${result.packagePath ?? outputDirectory}`),
    };
  } finally {
    await rm(outputDirectory, { recursive: true, force: true });
  }
}
