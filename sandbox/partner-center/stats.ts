/** Counts every call the emulator serves, by route template and status; benchmarks read these. */

export interface RouteStats {
  total: number;
  byStatus: Record<string, number>;
}

export interface WebhookStats {
  /** Notifications created by referral changes and self-tests. */
  notifications: number;
  /** POSTs to a callback that got a 2xx. */
  delivered: number;
  /** POSTs that failed (non-2xx, timeout, connection error). */
  failedAttempts: number;
  parked: number;
  dropped: number;
  duplicated: number;
  reordered: number;
}

export interface EmulatorStats {
  total: number;
  byRoute: Record<string, RouteStats>;
  byStatus: Record<string, number>;
  webhooks: WebhookStats;
}

const emptyWebhooks = (): WebhookStats => ({
  notifications: 0,
  delivered: 0,
  failedAttempts: 0,
  parked: 0,
  dropped: 0,
  duplicated: 0,
  reordered: 0,
});

export class StatsRecorder {
  #routes = new Map<string, RouteStats>();
  #byStatus: Record<string, number> = {};
  #total = 0;
  readonly webhooks: WebhookStats = emptyWebhooks();

  record(method: string, route: string, status: number): void {
    const key = `${method} ${route}`;
    let entry = this.#routes.get(key);
    if (!entry) {
      entry = { total: 0, byStatus: {} };
      this.#routes.set(key, entry);
    }
    entry.total += 1;
    entry.byStatus[status] = (entry.byStatus[status] ?? 0) + 1;
    this.#byStatus[status] = (this.#byStatus[status] ?? 0) + 1;
    this.#total += 1;
  }

  snapshot(): EmulatorStats {
    const byRoute: Record<string, RouteStats> = {};
    for (const [key, value] of [...this.#routes].sort(([a], [b]) => a.localeCompare(b))) {
      byRoute[key] = { total: value.total, byStatus: { ...value.byStatus } };
    }
    return { total: this.#total, byRoute, byStatus: { ...this.#byStatus }, webhooks: { ...this.webhooks } };
  }

  reset(): void {
    this.#routes.clear();
    this.#byStatus = {};
    this.#total = 0;
    Object.assign(this.webhooks, emptyWebhooks());
  }
}
