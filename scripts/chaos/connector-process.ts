/**
 * The chaos run's handle on its connector process: start it (and wait until it listens), SIGKILL it, start it
 * again on the same port and store, and stop it gracefully at the end. Its JSON logs go to a file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CHILD_SPEC_ENV, type ChildReady, type ConnectorChildSpec } from './connector-spec.js';

const ENTRY = fileURLToPath(new URL('./connector-child.ts', import.meta.url));
const START_TIMEOUT_MS = 60_000;

/** A port the OS has just confirmed free; the connector keeps it across restarts so webhooks and callouts find it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class ConnectorProcess {
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #starting: Promise<ChildReady> | undefined;
  starts = 0;
  kills = 0;

  constructor(
    private readonly spec: () => ConnectorChildSpec,
    private readonly logFile: string,
  ) {}

  get running(): boolean {
    return this.#child !== undefined && this.#starting === undefined;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Resolves once the connector listens (a start in progress is shared). */
  start(): Promise<ChildReady> {
    this.#starting ??= this.#spawn().finally(() => (this.#starting = undefined));
    return this.#starting;
  }

  /** Waits for a start in progress, if any. */
  async ready(): Promise<void> {
    if (this.#starting) await this.#starting;
  }

  async #spawn(): Promise<ChildReady> {
    await this.#exited;
    const log = openSync(this.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
        stdio: ['ignore', log, log, 'ipc'],
        env: { ...process.env, NODE_NO_WARNINGS: '1', [CHILD_SPEC_ENV]: JSON.stringify(this.spec()) },
      });
    } finally {
      closeSync(log);
    }
    this.starts += 1;
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    return new Promise<ChildReady>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the connector did not start within ${START_TIMEOUT_MS} ms (log: ${this.logFile})`));
      }, START_TIMEOUT_MS);
      child.once('message', (message: ChildReady) => {
        clearTimeout(timer);
        resolve(message);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (this.#child === child) this.#child = undefined;
        reject(new Error(`the connector exited during start-up (code ${code}, signal ${signal}); see ${this.logFile}`));
      });
    });
  }

  /** SIGKILL: no shutdown hooks, leases left behind, whatever was in flight is cut off. */
  async kill(): Promise<void> {
    await this.ready().catch(() => undefined);
    const child = this.#child;
    if (!child) return;
    this.kills += 1;
    this.#child = undefined;
    child.kill('SIGKILL');
    await this.#exited;
  }

  /** SIGTERM and wait: the connector's graceful shutdown. */
  async stop(): Promise<void> {
    await this.ready().catch(() => undefined);
    const child = this.#child;
    if (!child) return;
    this.#child = undefined;
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await this.#exited;
    clearTimeout(forced);
  }
}
