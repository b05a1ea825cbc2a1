import { LightningElement, api } from 'lwc';
import statusHeading from '@salesforce/label/c.PC_Card_Status_Heading';
import statusOff from '@salesforce/label/c.PC_Card_Status_Off';
import statusNotSynced from '@salesforce/label/c.PC_Card_Status_Not_Synced';
import statusPending from '@salesforce/label/c.PC_Card_Status_Pending';
import statusSynced from '@salesforce/label/c.PC_Card_Status_Synced';
import statusError from '@salesforce/label/c.PC_Card_Status_Error';
import statusPaused from '@salesforce/label/c.PC_Card_Status_Paused';
import iconNotSynced from '@salesforce/label/c.PC_Card_Icon_Not_Synced';
import iconPending from '@salesforce/label/c.PC_Card_Icon_Pending';
import iconSynced from '@salesforce/label/c.PC_Card_Icon_Synced';
import iconError from '@salesforce/label/c.PC_Card_Icon_Error';
import lastError from '@salesforce/label/c.PC_Card_Last_Error';
import errorNoDetails from '@salesforce/label/c.PC_Card_Error_No_Details';
import retry from '@salesforce/label/c.PC_Card_Retry';
import liveUpdatesOff from '@salesforce/label/c.PC_Card_Live_Updates_Off';
import { describeReason, type FixAction, type Reason } from './reasons';

export type { FixAction, Reason } from './reasons';
/** Shared with the card (the reason of its last sync) and the setup page's failed-syncs list. */
export { describeReason, fieldLabelOf, reasonOf } from './reasons';

/** The card's sync states (see partnerCenterCard/syncStatus.ts). */
type SyncState = 'off' | 'notSynced' | 'pending' | 'synced' | 'error';

const STATUS_TEXT: Record<SyncState, string> = {
  off: statusOff,
  notSynced: statusNotSynced,
  pending: statusPending,
  synced: statusSynced,
  error: statusError,
};

/**
 * The sync status line of the Partner Center card: an icon or spinner with the state in words, the last error with
 * a Retry button, and notes when sync is paused or live updates are off. It shows what the card tells it and fires
 * `retry`; the card saves.
 */
export default class PartnerCenterSyncStatus extends LightningElement {
  /** One of off, notSynced, pending, synced, error. */
  @api state: SyncState = 'off';
  /**
   * Why the last sync failed, as the connector's code and parameters: shown in the user's language with the action
   * that fixes it. Without one (an older connector), `errorMessage` is shown as recorded.
   */
  @api reason?: Reason;
  /** What went wrong as the connector recorded it (the newest audit line), used only without a reason. */
  @api errorMessage?: string;
  @api retryDisabled = false;
  /** The sync switch; off on a deal Partner Center already knows about, the card says sync is paused. */
  @api syncOn = false;
  @api liveUpdatesPaused = false;

  labels = { statusHeading, statusPaused, iconNotSynced, iconPending, iconSynced, iconError, lastError, retry, liveUpdatesOff };

  get isPending(): boolean {
    return this.state === 'pending';
  }

  get isSynced(): boolean {
    return this.state === 'synced';
  }

  get isError(): boolean {
    return this.state === 'error';
  }

  get syncPaused(): boolean {
    return !this.syncOn && this.state !== 'off' && this.state !== 'notSynced';
  }

  get statusText(): string {
    return STATUS_TEXT[this.state] ?? statusOff;
  }

  get described(): { text: string; fix?: FixAction; fixLabel?: string } | undefined {
    return this.reason?.code ? describeReason(this.reason) : undefined;
  }

  get errorText(): string {
    return this.described?.text || this.errorMessage || errorNoDetails;
  }

  get fixLabel(): string | undefined {
    return this.described?.fixLabel;
  }

  handleRetry(): void {
    this.dispatchEvent(new CustomEvent('retry'));
  }

  /** The card does the fix (navigation, the solutions catalog): this only says which. */
  handleFix(): void {
    const action = this.described?.fix;
    if (action) this.dispatchEvent(new CustomEvent('fix', { detail: { action } }));
  }
}
