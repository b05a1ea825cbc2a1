/**
 * Live updates for the card: a subscription to Partner_Center_Sync_Status__e (the event the connector publishes after
 * each sync attempt) through lightning/empApi. The card is told when an event is for its record and whether live
 * updates are paused (streaming unavailable or failing), so it can say so instead of silently going stale.
 */
import { subscribe, unsubscribe, onError, isEmpEnabled } from 'lightning/empApi';
import type { EmpMessage, EmpSubscription } from 'lightning/empApi';
import { SYNC_STATUS_CHANNEL, sameRecordId } from 'c/partnerCenterUtils';
import { EVENT_OPPORTUNITY_ID_FIELD, apiName } from './fields';

/** A Partner_Center_Sync_Status__e payload, keyed by the event's (namespaced) field API names. */
export type StatusEventPayload = Record<string, unknown>;

export interface LiveUpdateHandlers {
  /** The record the card shows (events for other records are ignored). */
  recordId(): string | undefined;
  /** The connector synced this record: re-read what it may have changed. */
  onRecordChanged(): Promise<void>;
  onPaused(paused: boolean): void;
}

export class LiveUpdates {
  private subscription?: EmpSubscription;
  private active = false;

  constructor(private readonly handlers: LiveUpdateHandlers) {}

  async start(): Promise<void> {
    this.active = true;
    try {
      if (!(await isEmpEnabled())) {
        this.handlers.onPaused(true);
        return;
      }
      onError(() => this.handlers.onPaused(true));
      const subscription = await subscribe<StatusEventPayload>(SYNC_STATUS_CHANNEL, -1, (message: EmpMessage<StatusEventPayload>) => {
        const recordId = this.handlers.recordId();
        if (!recordId || !sameRecordId(message?.data?.payload?.[apiName(EVENT_OPPORTUNITY_ID_FIELD)] as string | undefined, recordId)) return;
        this.handlers.onRecordChanged().catch(() => {
          // A failed refresh leaves the last values on screen; the next event or page load refreshes again.
        });
      });
      // The component may have been removed while the subscription was being made.
      if (this.active) {
        this.subscription = subscription;
        this.handlers.onPaused(false);
      } else {
        release(subscription);
      }
    } catch {
      this.handlers.onPaused(true);
    }
  }

  stop(): void {
    this.active = false;
    if (this.subscription) release(this.subscription);
    this.subscription = undefined;
  }
}

function release(subscription: EmpSubscription): void {
  unsubscribe(subscription).catch(() => {
    // Already gone (for example the streaming connection closed): nothing to release.
  });
}
