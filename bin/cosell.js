#!/usr/bin/env node
// The `cosell` command. Runs the compiled CLI when `npm run build` has produced it; otherwise (right after
// `npm ci`) loads the TypeScript source through tsx, so the command works either way.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/connector/cli/index.js', import.meta.url);
let cli;
if (existsSync(fileURLToPath(built))) {
  cli = await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(new URL('../connector/cli/index.ts', import.meta.url).href);
}
cli.quietRuntimeWarnings();
process.exitCode = await cli.main(process.argv.slice(2));
