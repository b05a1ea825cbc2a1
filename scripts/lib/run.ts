import { spawn } from 'node:child_process';
import { ROOT } from './paths.js';

/**
 * Runs a Node script from a dependency with the project's pinned Node (the one running this script), capturing
 * output, so tools never fall back to whatever `node` happens to be first on PATH.
 */
export function runNode(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}
