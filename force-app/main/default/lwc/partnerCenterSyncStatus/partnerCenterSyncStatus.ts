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
  /** What went wrong, in the seller's words (error state only). */
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

  get errorText(): string {
    return this.errorMessage || errorNoDetails;
  }

  handleRetry(): void {
    this.dispatchEvent(new CustomEvent('retry'));
  }
}
