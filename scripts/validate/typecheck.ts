/**
 * Type-checks what the build does not emit: scripts and tests (root tsconfig). The connector and sandbox are
 * checked by `npm run build:connector`, the components by `npm run build:lwc`.
 */
import { createRequire } from 'node:module';
import { runNode } from '../lib/run.js';
import type { StepResult } from './step.js';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

export async function validateTypes(): Promise<StepResult> {
  const { code, output } = await runNode([tsc, '-p', 'tsconfig.json', '--noEmit', '--pretty', 'false']);
  return { ok: code === 0, report: output.trim() || 'scripts and tests type-check' };
}
