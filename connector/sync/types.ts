/** What the sync processors need and what they hand back to the worker. */
import type { Logger } from '../observability/logger.js';
import type { PartnerCenterClient } from '../partner-center/client.js';
import type { SalesforceGateway } from '../salesforce/gateway.js';
import type { EnqueueRequest, JsonObject, Store, SyncStateUpdate } from '../queue/types.js';
import type { SyncContextCache } from './context.js';
import type { SyncFailure } from './failures.js';
import type { AttemptReport, OutcomeWriter } from './writeback.js';

export interface SyncDeps {
  store: Store;
  salesforce: SalesforceGateway;
  partnerCenter: PartnerCenterClient;
  context: SyncContextCache;
  writer: OutcomeWriter;
  logger: Logger;
  now: () => number;
  /** Work was queued outside a completion (a sweep's page): the worker looks now instead of at its next poll. */
  onEnqueued?: () => void;
  /** The runtime's one redaction (service.ts): failure messages pass through it before the audit trail, sync log, store and health. */
  redact: (text: string) => string;
}

/** Enough to write the failure where the seller looks: the opportunity (if any), the referral, the operation. */
export type FailureContext = Pick<AttemptReport, 'direction' | 'opportunity' | 'referralId' | 'operation' | 'requestId'>;

export type ItemResult =
  | {
      status: 'done';
      outcome: JsonObject;
      /** False for skips and re-routes: only a real success settles the lane's earlier dead letters. */
      settles?: boolean;
      syncState?: SyncStateUpdate[];
      enqueue?: EnqueueRequest[];
      cursors?: Record<string, string>;
    }
  | {
      status: 'failed';
      failure: SyncFailure;
      context: FailureContext;
      /** Progress to keep even though the item failed (e.g. the referral was created, the write-back failed). */
      syncState?: SyncStateUpdate[];
    };
