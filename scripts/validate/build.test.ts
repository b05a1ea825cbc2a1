/**
 * `npm run validate` on a fresh clone: the components have no JavaScript until built, and the platform-compiler
 * step reads the JavaScript. The build step that validate runs first produces it.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { lwcTypeScriptSources } from '../build/lwc.js';
import { LWC_DIR } from '../lib/paths.js';
import { validateBuild } from './build.js';
import { validateLwcBundles } from './lwc-compile.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cosell-fresh-lwc-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('validate builds what it checks', () => {
  it('a clone without component JavaScript fails the compiler step until the build step has run', async () => {
    // A fresh clone: sources only (the .js files are build outputs, not committed).
    cpSync(LWC_DIR, dir, { recursive: true, filter: (source) => !source.endsWith('.js') || source.includes('__tests__') });
    const sources = await lwcTypeScriptSources(dir);
    assert.ok(sources.length > 0);
    assert.ok(sources.every((file) => !existsSync(file.replace(/\.ts$/, '.js'))));
    assert.equal((await validateLwcBundles(dir)).ok, false, 'without a build the platform compiler has nothing to compile');

    const built = await validateBuild(dir);
    assert.equal(built.ok, true);
    assert.ok(sources.every((file) => existsSync(file.replace(/\.ts$/, '.js'))), 'every component source is built');
    const compiled = await validateLwcBundles(dir);
    assert.equal(compiled.ok, true, compiled.report);
  });
});
