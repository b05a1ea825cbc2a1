/**
 * Runs the project's pinned Salesforce CLI (node_modules/@salesforce/cli) with the pinned Node that runs this
 * script, never whatever `sf` or `node` is first on PATH: current sf crashes on Node 20.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../lib/paths.js';

export const SF_RUN_JS = path.join(ROOT, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');
const BIN_DIR = path.join(ROOT, 'node_modules', '.bin');

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface Runner {
  /** `sf <args>`; the caller adds --json when it wants to read the answer. */
  sf(args: string[], options?: { timeoutMs?: number }): Promise<CommandResult>;
  /** `npm <args>` (the build), output passed through as it comes. */
  npm(args: string[], onOutput?: (text: string) => void): Promise<CommandResult>;
}

/**
 * The environment sf runs in. node_modules/.bin goes first on PATH because sf starts helpers by name (without
 * it sf warns "spawn sf ENOENT"). Telemetry and update checks are network calls a script does not need, and the
 * update check starts a detached `sf update --autoupdate` that outlives the command; a developer who sets these
 * variables keeps their own choice.
 *
 * Both auto-update names are needed. SF_AUTOUPDATE_DISABLE is the one the Salesforce CLI documents
 * ("Environment Variables", Salesforce CLI Setup Guide); the update plugin (@oclif/plugin-update's init hook)
 * reads only SF_DISABLE_AUTOUPDATE, and sf copies one to the other only when neither is set — so setting the
 * documented one alone switches auto-update back on for an npm-installed sf. SF_SKIP_NEW_VERSION_CHECK stops
 * @oclif/plugin-warn-if-update-available from spawning its background version refresh.
 */
export const SF_QUIET_ENV = {
  SF_DISABLE_TELEMETRY: 'true',
  SF_AUTOUPDATE_DISABLE: 'true',
  SF_DISABLE_AUTOUPDATE: 'true',
  SF_SKIP_NEW_VERSION_CHECK: 'true',
  SF_HIDE_RELEASE_NOTES: 'true',
} as const;

export function sfEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...SF_QUIET_ENV,
    ...base,
    PATH: [BIN_DIR, base.PATH].filter(Boolean).join(path.delimiter),
    // Colour codes would end up inside the JSON messages we print.
    FORCE_COLOR: '0',
  };
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number; onOutput?: (text: string) => void }) {
  return new Promise<CommandResult>((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGTERM');
          }, options.timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      options.onOutput?.(d.toString());
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      options.onOutput?.(d.toString());
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr, timedOut });
    });
  });
}

export function createRunner(options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Runner {
  const cwd = options.cwd ?? ROOT;
  const env = sfEnvironment(options.env ?? process.env);
  return {
    sf: (args, sfOptions = {}) => run(process.execPath, [SF_RUN_JS, ...args], { cwd, env, timeoutMs: sfOptions.timeoutMs }),
    npm: (args, onOutput) => {
      // Under `npm run`, npm_execpath is npm's own CLI: run it with this Node rather than relying on PATH.
      const npmCli = env.npm_execpath;
      return npmCli && /\.c?js$/.test(npmCli)
        ? run(process.execPath, [npmCli, ...args], { cwd, env, onOutput })
        : run('npm', args, { cwd, env, onOutput });
    },
  };
}
