/**
 * Waiting on an observable outcome: poll a check until it yields a value, the time is up, or the caller stops.
 * The demo never sleeps for a fixed time; every pause ends as soon as the org or the emulator shows the result.
 */

/** A wait that ended without its outcome: timed out, stopped, or the check saw a different final state. */
export class WaitError extends Error {
  override name = 'WaitError';
}

export interface WaitOptions {
  timeoutMs: number;
  /** How often the check runs; the org and the emulator answer in-process, so this is cheap. */
  intervalMs?: number;
  signal?: AbortSignal;
  now?: () => number;
}

export interface Waited<T> {
  value: T;
  elapsedMs: number;
}

/**
 * Resolves with the first value `check` returns that is not undefined, null or false. `check` may throw a WaitError
 * to end the wait early (e.g. the sync failed instead of succeeding).
 */
export async function waitFor<T>(what: string, check: () => T | undefined | null | false, options: WaitOptions): Promise<Waited<T>> {
  const now = options.now ?? Date.now;
  const started = now();
  const interval = options.intervalMs ?? 20;
  for (;;) {
    if (options.signal?.aborted) throw new WaitError(`stopped while waiting for ${what}`);
    const value = check();
    if (value !== undefined && value !== null && value !== false) return { value, elapsedMs: now() - started };
    if (now() - started >= options.timeoutMs) throw new WaitError(`timed out after ${options.timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
