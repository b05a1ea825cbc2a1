/** The opportunity as the card sees it: its values and what this user may read and change, from LDS. */
import { getFieldValue, type RecordRepresentation } from 'lightning/uiRecordApi';
import type { ObjectInfo } from 'lightning/uiObjectInfoApi';
import { cleanText } from 'c/partnerCenterUtils';
import {
  ACCOUNT_ID_FIELD,
  AUDIT_FIELD,
  HELP_FIELD,
  REFERRAL_FIELDS,
  SYNC_FIELD,
  SYNC_STATUS_FIELD,
  VISIBLE_FIELD,
  apiName,
} from './fields';
import { latestAuditLine, syncStateOf, type SyncState } from './syncStatus';

type FieldRef = { objectApiName: string; fieldApiName?: string };

/**
 * Reads a record Lightning Data Service returned, with the user's access from the object info: a field the user
 * cannot read is absent from the record (it was requested as optional), and one they can edit is updateable in the
 * object info as well as readable.
 */
export class RecordView {
  constructor(
    private readonly record: RecordRepresentation | undefined,
    private readonly info: ObjectInfo | undefined
  ) {}

  get loaded(): boolean {
    return this.record !== undefined;
  }

  fieldDisplayValue(field: FieldRef): string | null | undefined {
    return this.record?.fields?.[apiName(field)]?.displayValue;
  }

  value(field: FieldRef): unknown {
    return this.record ? getFieldValue(this.record, field) : undefined;
  }

  text(field: FieldRef): string {
    return cleanText(this.value(field));
  }

  canRead(field: FieldRef): boolean {
    return Boolean(this.record?.fields && apiName(field) in this.record.fields);
  }

  canUpdate(field: FieldRef): boolean {
    return Boolean(this.info?.updateable && this.info.fields?.[apiName(field)]?.updateable && this.canRead(field));
  }
}

export class OpportunityView extends RecordView {
  get accountId(): string | undefined {
    return this.text(ACCOUNT_ID_FIELD) || undefined;
  }

  /** Whether the account is known: undefined while the opportunity is loading or its account can't be read. */
  get hasAccount(): boolean | undefined {
    return this.loaded && this.canRead(ACCOUNT_ID_FIELD) ? this.accountId !== undefined : undefined;
  }

  get syncOn(): boolean {
    return this.value(SYNC_FIELD) === true;
  }

  get isVisible(): boolean {
    return this.value(VISIBLE_FIELD) === true;
  }

  get savedHelp(): string {
    return this.text(HELP_FIELD);
  }

  /** The saved help value in the user's language (the picklist label UI API returns). */
  get savedHelpLabel(): string | null | undefined {
    return this.fieldDisplayValue(HELP_FIELD);
  }

  get syncState(): SyncState {
    return syncStateOf({ syncOn: this.syncOn, status: this.value(SYNC_STATUS_FIELD) as string | null });
  }

  get canEditSync(): boolean {
    return this.canUpdate(SYNC_FIELD);
  }

  get canEditVisible(): boolean {
    return this.canUpdate(VISIBLE_FIELD);
  }

  /** Help needs visibility (validation rule), so a user who can't share the deal can't ask for help on it either. */
  get canEditHelp(): boolean {
    return this.canUpdate(HELP_FIELD) && (this.isVisible || this.canEditVisible);
  }

  /** Retry sets the sync status back to Pending. */
  get canRetry(): boolean {
    return this.canUpdate(SYNC_STATUS_FIELD);
  }

  get lastErrorText(): string | undefined {
    return latestAuditLine(this.value(AUDIT_FIELD));
  }

  get audit(): string {
    return this.text(AUDIT_FIELD);
  }

  get canReadAudit(): boolean {
    return this.canRead(AUDIT_FIELD);
  }

  get hasReferralDetails(): boolean {
    return REFERRAL_FIELDS.some((field) => this.text(field) !== '');
  }
}
