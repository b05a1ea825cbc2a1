/**
 * Compiles every LWC bundle with the platform's own compiler (@lwc/sfdc-lwc-compiler, `type: 'platform'`): the
 * same verdict a deploy would give, offline. Bundles are compiled from the JavaScript `npm run build:lwc` emits,
 * so this also fails when a bundle was never built or its .js is older than its TypeScript.
 */
import { compile } from '@lwc/sfdc-lwc-compiler';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GENERATED_HEADER, lwcTypeScriptSources, transpileLwcSource } from '../build/lwc.js';
import { LWC_DIR } from '../lib/paths.js';
import type { StepResult } from './step.js';

const BUNDLE_FILE = /\.(js|html|css|svg)$|\.js-meta\.xml$/;

export async function listBundles(lwcDir = LWC_DIR): Promise<string[]> {
  const entries = await fs.readdir(lwcDir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('_')).map((e) => e.name).sort();
}

/** Each TypeScript module must have a current compiled .js beside it, or the platform would get stale code. */
async function staleBuildOutputs(lwcDir: string): Promise<string[]> {
  const stale: string[] = [];
  for (const ts of await lwcTypeScriptSources(lwcDir)) {
    const js = ts.replace(/\.ts$/, '.js');
    const actual = await fs.readFile(js, 'utf8').catch(() => undefined);
    const expected = await transpileLwcSource(await fs.readFile(ts, 'utf8'), ts);
    if (actual !== expected) stale.push(`${path.relative(lwcDir, js)} is missing or out of date: run npm run build:lwc`);
  }
  return stale;
}

export async function validateLwcBundles(lwcDir = LWC_DIR): Promise<StepResult> {
  const problems = await staleBuildOutputs(lwcDir);
  const bundles = await listBundles(lwcDir);
  for (const name of bundles) {
    const dir = path.join(lwcDir, name);
    const files: Record<string, string> = {};
    for (const file of await fs.readdir(dir)) {
      if (BUNDLE_FILE.test(file)) files[file] = await fs.readFile(path.join(dir, file), 'utf8');
    }
    if (!files[`${name}.js`]) {
      problems.push(`${name}: no ${name}.js (write ${name}.ts and run npm run build:lwc)`);
      continue;
    }
    if (!files[`${name}.js`].startsWith(GENERATED_HEADER)) {
      problems.push(`${name}: ${name}.js is hand-written; components are written in TypeScript (${name}.ts)`);
    }
    const output = await compile({ bundle: { type: 'platform', name, namespace: 'c', files } });
    const errors = output.diagnostics.filter((d) => d.level <= 1);
    if (!output.success || errors.length > 0) {
      for (const d of errors.length ? errors : output.diagnostics) {
        const where = d.location ? `:${d.location.line}:${d.location.column}` : '';
        problems.push(`${name}${d.filename ? `/${path.basename(d.filename)}` : ''}${where}: ${d.message}`);
      }
      if (!errors.length && !output.diagnostics.length) problems.push(`${name}: the platform compiler rejected the bundle`);
    }
  }
  return {
    ok: problems.length === 0,
    report: problems.join('\n') || `${bundles.length} LWC bundle(s) accepted by the platform compiler`,
  };
}
