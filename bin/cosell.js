#!/usr/bin/env node
// The `cosell` command of a source checkout: the connector's command line plus the local sandbox (`cosell start
// --sandbox`), loaded from the TypeScript source through tsx. dist/ holds the connector alone (the image runs
// `node dist/connector/cli/index.js`), so the checkout's command always runs the source, sandbox included.
const { register } = await import('tsx/esm/api');
register();
const cli = await import(new URL('../sandbox/cosell.ts', import.meta.url).href);
cli.quietRuntimeWarnings();
process.exitCode = await cli.main(process.argv.slice(2));
