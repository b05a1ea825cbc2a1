/**
 * The local org's engine without HTTP: storage, schema, users, saves with automation, platform events, the
 * delivery flow and queries. The REST layer and the control API both drive this object.
 */
import { Automation, SYNC_REQUEST_EVENT, type Actor } from './automation.js';
import { DeliveryRunner, type ConnectorTarget, type DeliveryOptions } from './delivery.js';
import { Dml } from './dml.js';
import { EventBus } from './events.js';
import { Faults, type FaultOptions } from './faults.js';
import { mintId } from './ids.js';
import { gramEntries, indexEntries } from './indexes.js';
import { QueryService } from './query-service.js';
import { createSchema, type ExtraFieldSpec, type Schema } from './schema.js';
import { SYNC_STATUS } from './schema-package.js';
import { OrgNamespace } from './namespace.js';
import { Store } from './store.js';
import { DEFAULT_USERS, Users, type OrgUser, type UserSpec } from './users.js';
import { formatDatetime, type StoredRecord } from './values.js';

export interface OrgOptions {
  dbPath?: string;
  connector?: ConnectorTarget | null;
  delivery?: DeliveryOptions;
  faults?: FaultOptions;
  users?: UserSpec[];
  now?: () => number;
  extraFields?: Record<string, ExtraFieldSpec[]>;
  /** The managed package's namespace prefix: the REST API then speaks `<ns>__` names (namespace.ts). */
  namespace?: string;
}

/** Organization id: stable per database so identity URLs survive restarts on a file database. */
const ORG_PREFIX = '00D';

export class Org {
  readonly schema: Schema;
  readonly store: Store;
  readonly users: Users;
  readonly events: EventBus;
  readonly faults: Faults;
  readonly dml: Dml;
  readonly queries: QueryService;
  readonly delivery: DeliveryRunner;
  readonly orgId: string;
  readonly now: () => number;
  /** Set when the org stands for a subscriber org of the namespaced package. */
  readonly namespace: OrgNamespace | null;

  constructor(options: OrgOptions = {}) {
    this.now = options.now ?? Date.now;
    this.namespace = options.namespace ? new OrgNamespace(options.namespace) : null;
    this.schema = createSchema(options.extraFields);
    this.store = new Store(options.dbPath);
    this.faults = new Faults(options.faults);
    this.events = new EventBus(this.store, this.now);
    this.orgId = mintId(ORG_PREFIX, 1);
    this.users = new Users(this.provisionUsers(options.users ?? DEFAULT_USERS));
    this.dml = new Dml({ schema: this.schema, store: this.store, users: this.users, faults: this.faults, events: this.events, now: this.now });
    this.dml.setAutomation(new Automation({
      users: this.users,
      read: (id) => {
        const row = this.store.get(id);
        return row && !row.deleted ? row.data : null;
      },
      publishAfterCommit: (type, fields, actor) => this.publishAfterCommit(type, fields, actor),
      // Mark Parent Pending of the solution flows: an update of the parent as the running user, whose own flows run.
      markPending: (opportunityId, actor) => this.dml.update({ user: actor.user }, 'Opportunity', opportunityId, { Partner_Center_Sync_Status__c: SYNC_STATUS.pending }),
    }));
    if (this.store.needsReindex) this.dml.reindex();
    this.queries = new QueryService(this.store, this.schema, this.now);
    this.delivery = new DeliveryRunner(this.store, this.events, SYNC_REQUEST_EVENT, options.connector ?? null, options.delivery, this.now);
    this.delivery.onFailure = (message) => this.markPendingAfterFailedDelivery(message.data.payload);
  }

  /**
   * The delivery flow's fault path (Mark Opportunity Pending): as the user who published the event, set a syncing
   * opportunity Pending unless it already is. That save runs the opportunity flows, which publish a Retry request;
   * if that delivery fails too the status is already Pending and nothing more happens, so it cannot loop.
   */
  private markPendingAfterFailedDelivery(event: StoredRecord): void {
    const id = String(event.Opportunity_Id__c);
    const row = this.store.get(id);
    if (!row || row.deleted || row.type !== 'Opportunity') return;
    if (row.data.Sync_With_Partner_Center__c !== true || row.data.Partner_Center_Sync_Status__c === 'Pending') return;
    const user = this.users.byId(String(event.CreatedById));
    if (!user) return;
    this.dml.update({ user }, 'Opportunity', id, { Partner_Center_Sync_Status__c: 'Pending' });
  }

  /** An actor for a user key ('integration', 'seller', 'admin') or id. */
  actor(userKeyOrId: string): Actor {
    const user = this.users.byId(userKeyOrId) ?? this.users.byKey(userKeyOrId);
    return { user };
  }

  /** Platform-internal writes: seeding and provisioning (no field security, no flows). */
  systemActor(): Actor {
    return { user: this.users.byKey('admin'), system: true };
  }

  close(): void {
    this.delivery.close();
    this.store.close();
  }

  private publishAfterCommit(type: string, fields: StoredRecord, actor: Actor): void {
    const obj = this.schema.require(type);
    const id = this.dml.mintId(obj);
    this.store.afterCommit(() => this.events.publish({ type, id, fields, userId: actor.user.id }));
  }

  /** Users exist in every org, seeded or not; on a reused database they are found by username. */
  private provisionUsers(specs: UserSpec[]): OrgUser[] {
    const userObj = this.schema.require('User');
    return this.store.transaction(() => specs.map((spec) => {
      const name = `${spec.firstName} ${spec.lastName}`;
      const existing = this.store.findByKey('User', 'Username', spec.username.toLowerCase())[0];
      if (existing) return { ...spec, id: existing, name };
      const id = mintId(userObj.keyPrefix, this.store.nextSeq(`id:${userObj.keyPrefix}`));
      const now = formatDatetime(this.now());
      const rec: StoredRecord = {
        Id: id, IsDeleted: false, CreatedDate: now, CreatedById: id, LastModifiedDate: now, LastModifiedById: id, SystemModstamp: now,
        Username: spec.username, FirstName: spec.firstName, LastName: spec.lastName, Name: name, Email: spec.email,
        Alias: spec.alias, IsActive: true, TimeZoneSidKey: 'GMT', LanguageLocaleKey: 'en_US',
      };
      this.store.insert('User', id, rec);
      this.store.setKeys('User', id, indexEntries(userObj, rec));
      this.store.setGrams('User', id, gramEntries(userObj, rec));
      return { ...spec, id, name };
    }));
  }
}
