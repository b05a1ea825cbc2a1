/** Counts API calls by route (method + route pattern), the way benchmarks compare API consumption. */

export interface StatsSnapshot {
  /** Every API call, OAuth included. */
  total: number;
  /** e.g. `GET /services/data/vXX.X/query`, `PATCH /services/data/vXX.X/sobjects/:type/:id`. */
  byRoute: Record<string, number>;
  /** Subrequests executed inside /composite calls; Salesforce bills the composite call once. */
  compositeSubrequests: number;
}

export class Stats {
  private byRoute = new Map<string, number>();
  private total = 0;
  private subrequests = 0;

  record(route: string): void {
    this.total += 1;
    this.byRoute.set(route, (this.byRoute.get(route) ?? 0) + 1);
  }

  recordSubrequest(): void {
    this.subrequests += 1;
  }

  snapshot(): StatsSnapshot {
    return {
      total: this.total,
      byRoute: Object.fromEntries([...this.byRoute.entries()].sort(([a], [b]) => a.localeCompare(b))),
      compositeSubrequests: this.subrequests,
    };
  }

  reset(): void {
    this.byRoute.clear();
    this.total = 0;
    this.subrequests = 0;
  }
}
