/**
 * What the package's declarative automation does in a real org, run at the same points of the save. Mirrors
 * force-app/main/default: validation rules on Opportunity (after before-save flows, per the order of execution)
 * and the record-triggered flows
 * - Partner Center: Mark Opportunity Pending (before save) and Request Opportunity Sync (after save): a person's
 *   change to a syncing opportunity sets Pending in the same save and publishes Partner_Center_Sync_Request__e
 *   (reason Created, Updated or Retry) after commit;
 * - Partner Center: Solution Added or Changed / Solution Removed: a person's change to the solutions of a syncing
 *   opportunity sets the parent Pending in the same transaction (that save runs the opportunity flows, which publish
 *   reason Retry), or, when the parent is Pending already, publishes the request with reason SolutionsChanged.
 *   Either way the parent is Pending, so the connector's sweep recovers a request that is never delivered.
 * Users holding the Partner_Center_Integration custom permission (the connector) are ignored: no sync loops.
 */
import { DmlError } from './errors.js';
import { INTEGRATION_PERMISSION, SYNC_STATUS } from './schema-package.js';
import type { ObjectDef } from './schema-types.js';
import type { OrgUser, Users } from './users.js';
import { sameValue, type StoredRecord } from './values.js';

export type SyncReason = 'Created' | 'Updated' | 'SolutionsChanged' | 'Retry';

export interface Actor {
  user: OrgUser;
  /** Platform-internal writes (seeding, provisioning): no field security and no flows. */
  system?: boolean;
}

/** Opportunity fields whose change by a person means Partner Center must hear about it (CurrencyIsoCode is not). */
export const WATCHED_OPPORTUNITY_FIELDS = [
  'Name',
  'Amount',
  'CloseDate',
  'StageName',
  'Description',
  'Microsoft_Help__c',
  'Visible_To_Microsoft_Sellers__c',
];

export const SYNC_REQUEST_EVENT = 'Partner_Center_Sync_Request__e';
export const SYNC_STATUS_EVENT = 'Partner_Center_Sync_Status__e';

interface RuleContext {
  /** $Permission.Partner_Center_Integration of the running user. */
  integration: boolean;
}

interface ValidationRule {
  object: string;
  name: string;
  /** errorDisplayField: where the platform shows the message (the `fields` of the error). */
  field: string;
  message: string;
  failsWhen: (rec: StoredRecord, old: StoredRecord | null, ctx: RuleContext) => boolean;
}

/** The package's validation rules (objects/Opportunity/validationRules), formula for formula. */
export const VALIDATION_RULES: ValidationRule[] = [
  {
    object: 'Opportunity',
    name: 'Visible_To_Microsoft_Cannot_Be_Undone',
    field: 'Visible_To_Microsoft_Sellers__c',
    message: 'Visible to Microsoft Sellers cannot be turned off once saved: this deal has been shared with Microsoft sellers in Partner Center, and that sharing cannot be withdrawn.',
    // AND(NOT(ISNEW()), PRIORVALUE(Visible_To_Microsoft_Sellers__c), NOT(Visible_To_Microsoft_Sellers__c))
    failsWhen: (rec, old) => old !== null && old.Visible_To_Microsoft_Sellers__c === true && rec.Visible_To_Microsoft_Sellers__c !== true,
  },
  {
    object: 'Opportunity',
    name: 'Microsoft_Help_Requires_Visibility',
    field: 'Visible_To_Microsoft_Sellers__c',
    message: 'How Can Microsoft Help? needs Visible to Microsoft Sellers: select Visible to Microsoft Sellers to ask Microsoft for help, or clear How Can Microsoft Help?.',
    // AND(NOT(ISBLANK(TEXT(Microsoft_Help__c))), NOT(Visible_To_Microsoft_Sellers__c))
    failsWhen: (rec) => rec.Microsoft_Help__c !== null && rec.Microsoft_Help__c !== undefined && rec.Visible_To_Microsoft_Sellers__c !== true,
  },
  {
    object: 'Opportunity',
    name: 'Sync_Status_Set_Only_By_Connector',
    field: 'Partner_Center_Sync_Status__c',
    message: 'Partner Center Sync Status is set by the connector: you can only change it to Pending to retry the sync. Use Retry sync on the Microsoft Partner Center card.',
    // AND(ISCHANGED(Partner_Center_Sync_Status__c), NOT(ISPICKVAL(..., 'Pending')), NOT($Permission.Partner_Center_Integration))
    failsWhen: (rec, old, ctx) =>
      old !== null && !sameValue(rec.Partner_Center_Sync_Status__c, old.Partner_Center_Sync_Status__c)
      && rec.Partner_Center_Sync_Status__c !== SYNC_STATUS.pending && !ctx.integration,
  },
];

export interface AutomationDeps {
  users: Users;
  /** Reads a live record (null when missing or deleted). */
  read: (id: string) => StoredRecord | null;
  /** Publishes a platform event once the current transaction commits (the events are Publish After Commit). */
  publishAfterCommit: (type: string, fields: StoredRecord, actor: Actor) => void;
  /** A flow's record update of an opportunity's sync status to Pending, in the running transaction, with automation. */
  markPending: (opportunityId: string, actor: Actor) => void;
}

export class Automation {
  constructor(private readonly deps: AutomationDeps) {}

  /** Runs the validation rules of an object; all failing rules are reported together, as the platform does. */
  validate(actor: Actor, obj: ObjectDef, rec: StoredRecord, old: StoredRecord | null): DmlError | null {
    const ctx = { integration: Boolean(actor.system) || this.deps.users.hasPermission(actor.user, INTEGRATION_PERMISSION) };
    const failed = VALIDATION_RULES.filter((r) => r.object === obj.name && r.failsWhen(rec, old, ctx));
    if (failed.length === 0) return null;
    return DmlError.of(failed.map((r) => ({ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: r.message, fields: [r.field] })));
  }

  /**
   * Before save: Mark Opportunity Pending sets Pending in the same save; returns the reason Request Opportunity
   * Sync will publish after the save (checked in the flow's order: Created, then Updated, else Retry).
   */
  beforeSave(actor: Actor, obj: ObjectDef, rec: StoredRecord, old: StoredRecord | null): SyncReason | null {
    if (obj.name !== 'Opportunity' || this.ignores(actor) || rec.Sync_With_Partner_Center__c !== true) return null;
    let reason: SyncReason | null = null;
    if (!old || !sameValue(rec.Sync_With_Partner_Center__c, old.Sync_With_Partner_Center__c)) reason = 'Created';
    else if (WATCHED_OPPORTUNITY_FIELDS.some((f) => !sameValue(rec[f], old[f]))) reason = 'Updated';
    else if (rec.Partner_Center_Sync_Status__c === SYNC_STATUS.pending && old.Partner_Center_Sync_Status__c !== SYNC_STATUS.pending) {
      reason = 'Retry';
    }
    if (reason && reason !== 'Retry') rec.Partner_Center_Sync_Status__c = SYNC_STATUS.pending;
    return reason;
  }

  /** After save: publish for the opportunity; a solution added or re-pointed publishes for its parent. */
  afterSave(actor: Actor, obj: ObjectDef, rec: StoredRecord, old: StoredRecord | null, reason: SyncReason | null): void {
    if (reason) this.requestSync(actor, String(rec.Id), reason);
    if (obj.name === 'Microsoft_Solution__c' && (!old || !sameValue(rec.Solution_Id__c, old.Solution_Id__c))) this.solutionsChanged(actor, rec);
  }

  /** Before delete: removing a solution flags the parent; a cascade from a deleted opportunity runs no flow. */
  beforeDelete(actor: Actor, obj: ObjectDef, old: StoredRecord, cascaded: boolean): void {
    if (obj.name === 'Microsoft_Solution__c' && !cascaded) this.solutionsChanged(actor, old);
  }

  private ignores(actor: Actor): boolean {
    return Boolean(actor.system) || this.deps.users.hasPermission(actor.user, INTEGRATION_PERMISSION);
  }

  private solutionsChanged(actor: Actor, solution: StoredRecord): void {
    if (this.ignores(actor)) return;
    const parentId = String(solution.Opportunity__c);
    const parent = this.deps.read(parentId);
    if (!parent || parent.Sync_With_Partner_Center__c !== true) return;
    if (parent.Partner_Center_Sync_Status__c === SYNC_STATUS.pending) this.requestSync(actor, parentId, 'SolutionsChanged');
    else this.deps.markPending(parentId, actor);
  }

  private requestSync(actor: Actor, opportunityId: string, reason: SyncReason): void {
    this.deps.publishAfterCommit(SYNC_REQUEST_EVENT, { Opportunity_Id__c: opportunityId, Reason__c: reason }, actor);
  }
}
