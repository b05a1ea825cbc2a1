/**
 * The `cosell` command. Subcommands live in one registry so the connector can add its own (start, sync, status,
 * dead-letters, register-webhooks, partner-center) with `registerCommand` without touching the dispatcher.
 */
import { LogSecrets } from '../observability/redact.js';
import { pathToFileURL } from 'node:url';
import { CommandError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliIo, type Command } from './command.js';
import { deadLettersCommand } from './commands/dead-letters.js';
import { partnerCenterCommand } from './commands/partner-center.js';
import { registerWebhooksCommand } from './commands/register-webhooks.js';
import { startCommand } from './commands/start.js';
import { statusCommand } from './commands/status.js';
import { syncCommand } from './commands/sync.js';
import { mapCommand } from './map.js';
import { quietRuntimeWarnings } from './warnings.js';

export type { CliIo, Command } from './command.js';
export { UsageError } from './command.js';
export { quietRuntimeWarnings } from './warnings.js';

const COMMANDS = new Map<string, Command>();

export function registerCommand(command: Command): void {
  if (COMMANDS.has(command.name)) throw new Error(`cosell: the command "${command.name}" is registered twice.`);
  COMMANDS.set(command.name, command);
}

export function registeredCommands(): Command[] {
  return [...COMMANDS.values()].sort((a, b) => a.name.localeCompare(b.name));
}

registerCommand(mapCommand);
registerCommand(startCommand);
registerCommand(syncCommand);
registerCommand(statusCommand);
registerCommand(deadLettersCommand);
registerCommand(registerWebhooksCommand);
registerCommand(partnerCenterCommand);

function usage(): string {
  const width = Math.max(...registeredCommands().map((c) => c.name.length));
  const lines = registeredCommands().map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: cosell <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "cosell <command> --help" for a command's options.`;
}

export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  cwd: process.cwd(),
  isTTY: process.stdout.isTTY === true,
};

/** `replacing`: commands that stand in for registered ones of the same name (the checkout's sandbox `start`). */
export async function main(argv: string[] = process.argv.slice(2), io: CliIo = processIo, replacing: Command[] = []): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    io.stderr(usage() + '\n');
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage() + '\n');
    return EXIT_OK;
  }
  const command = replacing.find((c) => c.name === name) ?? COMMANDS.get(name);
  if (!command) {
    io.stderr(`cosell: unknown command "${name}".\n\n${usage()}\n`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`cosell ${name}: ${error.message}\nRun "cosell ${name} --help" for usage.\n`);
      return EXIT_USAGE;
    }
    if (error instanceof CommandError) {
      io.stderr(`cosell ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    // An unexpected failure is still one line for the person at the terminal (the connector's log keeps stacks).
    // Credential-shaped values are scrubbed as in the log (the configured secrets are not known here).
    const message = new LogSecrets().scrub(error instanceof Error ? error.message : String(error));
    io.stderr(`cosell ${name}: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return EXIT_FAILURE;
  }
}

// Run when started directly (`tsx connector/cli/index.ts ...` or `node dist/connector/cli/index.js ...`);
// sandbox/cosell.ts (the checkout's `cosell`, bin/cosell.js) imports this module and calls main itself.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  quietRuntimeWarnings();
  process.exitCode = await main();
}
