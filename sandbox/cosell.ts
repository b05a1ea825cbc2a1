/**
 * The `cosell` command of a source checkout (bin/cosell.js): the connector's own command line, with `start
 * --sandbox` (or COSELL_MODE=sandbox) composing the connector with the local stand-ins. The image and
 * `node dist/connector/cli/index.js` run the connector's command line alone, which has no stand-ins to start.
 */
import { pathToFileURL } from 'node:url';
import { startCommandWith } from '../connector/cli/commands/start.js';
import { main as connectorMain, processIo, quietRuntimeWarnings, type CliIo } from '../connector/cli/index.js';
import { startConnector } from '../connector/service.js';
import { startSandboxConnector } from './stack/connector.js';

const sandboxAwareStart = startCommandWith(async (config) => {
  if (config.mode !== 'sandbox') return startConnector(config);
  const connector = await startSandboxConnector(config);
  return Object.assign(connector, {
    describe: () =>
      `Sandbox connector on ${connector.url}\n  local org:                 ${connector.sandbox.org.url}\n` +
      `  Partner Center emulator:   ${connector.sandbox.partnerCenter.url}\nPress Ctrl+C to stop.`,
  });
});

export { quietRuntimeWarnings };

export function main(argv: string[] = process.argv.slice(2), io: CliIo = processIo): Promise<number> {
  return connectorMain(argv, io, [sandboxAwareStart]);
}

// Run when started directly (`tsx sandbox/cosell.ts ...`); bin/cosell.js imports this module and calls main.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  quietRuntimeWarnings();
  process.exitCode = await main();
}
