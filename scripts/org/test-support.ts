/**
 * Test helpers for the org and release scripts: an Io that records what a script printed, a Runner that answers
 * from a script of replies (recording every call), and an environment in which the real pinned sf sees no orgs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Io } from './args.js';
import type { CommandResult, Runner } from './sf-runner.js';

export function recordingIo(): Io & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => void (out += t), err: (t) => void (err += t), stdout: () => out, stderr: () => err };
}

export function sfReply(json: unknown, code = 0): CommandResult {
  return { code, stdout: JSON.stringify(json), stderr: '', timedOut: false };
}

/** Answers each call with the first reply whose key is a prefix of the joined arguments. */
export function scriptedRunner(replies: [string, CommandResult][]): Runner & { calls: string[][] } {
  const calls: string[][] = [];
  const answer = (args: string[]) => {
    calls.push(args);
    const joined = args.join(' ');
    const reply = replies.find(([prefix]) => joined.startsWith(prefix));
    if (!reply) throw new Error(`unexpected command: ${joined}`);
    return Promise.resolve(reply[1]);
  };
  return { calls, sf: (args) => answer(args), npm: (args) => answer(['npm', ...args]) };
}

/**
 * HOME, XDG and TMP directories that are empty, and a working directory with only an sfdx-project.json, so the
 * real sf sees neither a developer's logins (~/.sfdx, ~/.sf) nor a project-level default org (.sf/config.json).
 */
export function isolatedSfEnvironment(project: object = { packageDirectories: [{ path: 'force-app', default: true }], namespace: '' }): {
  env: NodeJS.ProcessEnv;
  cwd: string;
  home: string;
} {
  const home = mkdtempSync(path.join(tmpdir(), 'cosell-sf-home-'));
  const cwd = mkdtempSync(path.join(tmpdir(), 'cosell-sf-project-'));
  writeFileSync(path.join(cwd, 'sfdx-project.json'), JSON.stringify(project));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    TMPDIR: home,
    LANG: 'C.UTF-8',
  };
  return { env, cwd, home };
}
