/**
 * The control API: how tests, benchmarks and the preview reach into the local org without going through its
 * REST surface — read and write records (as a chosen user, so flows run as they would for that user), watch
 * platform events and connector deliveries, turn fault knobs and end sessions.
 */
import type { Actor } from './automation.js';
import { CONNECTION_CHECK_FLOW, FlowAccessError, runConnectionCheck, type FlowOutputs } from './connection-check.js';
import type { ConnectorTarget, DeliveryAttempt } from './delivery.js';
import type { EventHandler, EventMessage } from './events.js';
import type { FaultOptions, InjectedOrgFaults } from './faults.js';
import type { Auth } from './oauth.js';
import type { Org } from './org.js';
import { seedDemoData, type SeedResult } from './seed.js';
import type { ShapedRecord } from './soql-run.js';
import type { OrgUser } from './users.js';
import type { StoredRecord } from './values.js';

export interface WriteOptions {
  /** Run as this user key ('seller', 'integration', 'admin'); omitted: a platform-internal write (no flows). */
  as?: string;
}

export interface LocalOrgControl {
  records: {
    /** Runs SOQL as the admin would and returns every matching record (no paging). */
    query(soql: string, options?: { includeDeleted?: boolean }): ShapedRecord[];
    /** The stored field values of a live record, or null. */
    get(id: string): StoredRecord | null;
    create(type: string, fields: Record<string, unknown>, options?: WriteOptions): string;
    update(type: string, id: string, fields: Record<string, unknown>, options?: WriteOptions): void;
    delete(type: string, id: string, options?: WriteOptions): void;
  };
  users: {
    list(): OrgUser[];
    /** By key: 'integration', 'seller', 'admin'. */
    get(key: string): OrgUser;
  };
  events: {
    list(type: string, afterReplayId?: number): EventMessage[];
    subscribe(type: string, handler: EventHandler): () => void;
    /** Resolves with the first event (already published or future) that matches. */
    waitFor(type: string, predicate: (m: EventMessage) => boolean, timeoutMs?: number): Promise<EventMessage>;
  };
  deliveries: {
    /** Every delivery attempt to the connector, oldest first. */
    list(): DeliveryAttempt[];
    /** Resolves when no delivery is waiting for a retry or in flight. */
    idle(): Promise<void>;
    waitFor(predicate: (a: DeliveryAttempt) => boolean, timeoutMs?: number): Promise<DeliveryAttempt>;
    /** Points the delivery flow at a connector (the named credential's URL and secret); null turns it off. */
    configure(target: ConnectorTarget | null): void;
    target(): ConnectorTarget | null;
  };
  faults: {
    set(options: FaultOptions): void;
    get(): Required<FaultOptions>;
    reset(): void;
    /** Faults injected so far, by kind. */
    injected(): InjectedOrgFaults;
  };
  auth: {
    /** Ends all sessions: the next API call with an old token gets 401 INVALID_SESSION_ID. */
    expireSessions(): void;
    /** Rotates a client app's consumer secret (e.g. the connector's): its logins with the old secret fail. */
    setClientSecret(clientId: string, clientSecret: string): void;
    /** Every access token issued so far (tests check that none of them is logged). */
    issuedTokens(): string[];
  };
  flows: {
    /**
     * Runs a screen flow as lightning-flow does for a user on a page and resolves with its output variables; a user
     * the flow does not grant access to gets a FlowAccessError. Only Partner_Center_Connection_Check is modelled.
     */
    run(name: string, inputs: Record<string, unknown>, options: { as: string }): Promise<FlowOutputs>;
  };
  /** Seeds the demo data if the database has none yet. */
  seed(): SeedResult | null;
}

const POLL_MS = 10;

function poll<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      const hit = find();
      if (hit !== undefined) return resolve(hit);
      if (Date.now() - started >= timeoutMs) return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      setTimeout(tick, POLL_MS);
    };
    tick();
  });
}

export function createControl(org: Org, auth: Auth): LocalOrgControl {
  const actorFor = (options?: WriteOptions): Actor => (options?.as ? org.actor(options.as) : org.systemActor());
  return {
    records: {
      query: (soql, options) => {
        // A result over one batch (2,000) comes back under a query locator: follow it to the end.
        let page = org.queries.execute(soql, { includeDeleted: options?.includeDeleted, version: '64.0' });
        const records = [...page.records];
        while (!page.done && page.nextRecordsUrl) {
          page = org.queries.more(page.nextRecordsUrl.slice(page.nextRecordsUrl.lastIndexOf('/') + 1), '64.0');
          records.push(...page.records);
        }
        return records;
      },
      get: (id) => {
        const row = org.store.get(id);
        return row && !row.deleted ? { ...row.data } : null;
      },
      create: (type, fields, options) => org.dml.create(actorFor(options), type, fields),
      update: (type, id, fields, options) => org.dml.update(actorFor(options), type, id, fields),
      delete: (type, id, options) => org.dml.remove(actorFor(options), type, id),
    },
    users: {
      list: () => org.users.list(),
      get: (key) => org.users.byKey(key),
    },
    events: {
      list: (type, after) => org.events.list(type, after),
      subscribe: (type, handler) => org.events.subscribe(type, handler),
      waitFor: (type, predicate, timeoutMs = 5000) => poll(() => org.events.list(type).find(predicate), timeoutMs, `a ${type} event`),
    },
    deliveries: {
      list: () => org.delivery.log(),
      idle: () => org.delivery.idle(),
      waitFor: (predicate, timeoutMs = 5000) => poll(() => org.delivery.log().find(predicate), timeoutMs, 'a delivery attempt'),
      configure: (target) => org.delivery.configure(target),
      target: () => org.delivery.getTarget(),
    },
    faults: {
      set: (options) => org.faults.set(options),
      get: () => org.faults.get(),
      reset: () => org.faults.reset(),
      injected: () => ({ ...org.faults.injected }),
    },
    auth: {
      expireSessions: () => auth.expireAll(),
      setClientSecret: (clientId, clientSecret) => auth.setClientSecret(clientId, clientSecret),
      issuedTokens: () => auth.issuedTokens(),
    },
    flows: {
      run: async (name, inputs, options) => {
        if (name !== CONNECTION_CHECK_FLOW) throw new FlowAccessError(`The local org has no screen flow ${name}.`);
        const user = org.users.byKey(options.as);
        if (!(user.flowAccess ?? []).includes(name)) {
          throw new FlowAccessError(`${user.username} has no access to the flow ${name}: assign the Partner Center Admin permission set.`);
        }
        return runConnectionCheck(org.delivery.getTarget(), inputs);
      },
    },
    seed: () => seedDemoData(org),
  };
}
