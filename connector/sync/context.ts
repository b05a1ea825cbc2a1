/**
 * The settings and org facts every sync needs, read from Salesforce and kept for a short while: an admin's
 * change in the setup page applies within `ttlMs`, and a burst of work costs one settings query.
 */
import type { OrgContext } from '../engine/salesforce-records.js';
import { settingsFromRecord, type Settings } from '../engine/org-settings.js';
import type { SalesforceGateway } from '../salesforce/gateway.js';

export interface SyncContext {
  settings: Settings;
  org: OrgContext;
}

export class SyncContextCache {
  #value: { context: SyncContext; at: number } | undefined;
  #org: OrgContext | undefined;

  constructor(
    private readonly salesforce: SalesforceGateway,
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<SyncContext> {
    const now = this.now();
    if (this.#value && now - this.#value.at < this.ttlMs) return this.#value.context;
    const record = await this.salesforce.settingsRecord();
    // Multi-currency cannot be switched off again and the corporate currency rarely changes: read them once.
    this.#org ??= await this.salesforce.orgContext();
    const context = { settings: settingsFromRecord(record ?? {}), org: this.#org };
    this.#value = { context, at: now };
    return context;
  }

  invalidate(): void {
    this.#value = undefined;
  }
}
