/**
 * Platform event bus. Events are stored with a replay id (so a late subscriber can catch up) and handed to
 * subscribers in the shape lightning/empApi delivers: `{channel, data: {schema, payload, event: {replayId, EventUuid}}}`.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from './store.js';
import { formatDatetime, type StoredRecord } from './values.js';

export interface EventMessage {
  channel: string;
  data: {
    schema: string;
    payload: StoredRecord;
    event: { replayId: number; EventUuid: string };
  };
}

export type EventHandler = (message: EventMessage) => void;

export interface PublishInput {
  /** Event API name, e.g. Partner_Center_Sync_Request__e. */
  type: string;
  /** The id returned to the publisher (minted before commit). */
  id: string;
  fields: StoredRecord;
  userId: string;
}

export const channelOf = (type: string): string => `/event/${type}`;

export class EventBus {
  private readonly handlers = new Map<string, Set<EventHandler>>();

  constructor(private readonly store: Store, private readonly now: () => number) {}

  /** Stores the event and notifies subscribers; call it once the publishing transaction has committed. */
  publish(input: PublishInput): EventMessage {
    const uuid = randomUUID();
    const payload: StoredRecord = {
      ...input.fields,
      CreatedDate: formatDatetime(this.now()),
      CreatedById: input.userId,
    };
    const replayId = this.store.insertEvent(input.type, uuid, payload);
    const message = toMessage(input.type, replayId, uuid, payload);
    for (const handler of this.handlers.get(input.type) ?? []) {
      // One failing subscriber must not keep the event from the others (or fail the publisher).
      try {
        handler(message);
      } catch (err) {
        process.emitWarning(`event subscriber failed: ${(err as Error).message}`);
      }
    }
    return message;
  }

  subscribe(type: string, handler: EventHandler): () => void {
    const set = this.handlers.get(type) ?? new Set<EventHandler>();
    set.add(handler);
    this.handlers.set(type, set);
    return () => set.delete(handler);
  }

  /** Stored events after a replay id (0: from the start), oldest first. */
  list(type: string, afterReplayId = 0): EventMessage[] {
    return this.store.listEvents(type, afterReplayId).map((e) => toMessage(type, e.replayId, e.uuid, e.payload));
  }
}

function toMessage(type: string, replayId: number, uuid: string, payload: StoredRecord): EventMessage {
  return { channel: channelOf(type), data: { schema: `local-${type}`, payload, event: { replayId, EventUuid: uuid } } };
}
