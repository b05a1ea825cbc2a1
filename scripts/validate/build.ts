/**
 * First step of `npm run validate`: builds the components' JavaScript from their TypeScript, so the later steps
 * (platform compiler, Code Analyzer) judge what the org would receive even on a fresh clone with no build output.
 */
import path from 'node:path';
import { buildLwc } from '../build/lwc.js';
import { LWC_DIR } from '../lib/paths.js';
import type { StepResult } from './step.js';

export async function validateBuild(lwcDir = LWC_DIR): Promise<StepResult> {
  const written = await buildLwc(lwcDir);
  return { ok: true, report: `${written.length} component file(s) built from TypeScript in ${path.relative(process.cwd(), lwcDir) || lwcDir}` };
}
