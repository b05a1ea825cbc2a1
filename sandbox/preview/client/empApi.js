/**
 * Stand-in for `lightning/empApi`: subscribes to platform events through the preview server, which streams the
 * local org's event bus (server-sent events) as the running user. Messages have the platform's shape:
 * `{ channel, data: { schema, payload, event: { replayId } } }`.
 *
 * replayId -1 receives new events only, -2 every stored event and then new ones, n the events after replay id n.
 */
import { apiUrl, request } from './transport';

const errorListeners = new Set();
const subscriptions = new Map();
let nextId = 1;
let debug = false;

function reportError(error) {
  for (const listener of errorListeners) {
    try {
      listener(error);
    } catch (e) {
      console.error('empApi onError listener failed', e);
    }
  }
}

export async function isEmpEnabled() {
  try {
    const status = await request('GET', '/events/status');
    return status?.enabled === true;
  } catch {
    return false;
  }
}

export function onError(callback) {
  if (typeof callback === 'function') errorListeners.add(callback);
}

export function setDebugFlag(flag) {
  debug = Boolean(flag);
  return Promise.resolve(true);
}

export function subscribe(channel, replayId, onMessageCallback) {
  return new Promise((resolve, reject) => {
    if (typeof channel !== 'string' || !channel.startsWith('/event/')) {
      reject(new Error(`empApi: only platform event channels (/event/Name__e) are provided by the preview, got ${channel}`));
      return;
    }
    const source = new EventSource(apiUrl('/events/stream', { channel, replayId: String(replayId ?? -1) }));
    const id = nextId++;
    const subscription = { id: String(id), channel, replayId };
    let opened = false;
    source.addEventListener('open', () => {
      opened = true;
      subscriptions.set(subscription.id, source);
      resolve(subscription);
    });
    source.addEventListener('message', (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        reportError({ channel, error: String(error) });
        return;
      }
      if (debug) console.log('empApi message', message);
      onMessageCallback(message);
    });
    source.addEventListener('error', () => {
      if (!opened) {
        source.close();
        reject(new Error(`empApi: could not subscribe to ${channel}`));
        return;
      }
      if (source.readyState === EventSource.CLOSED) reportError({ channel, error: 'connection closed' });
    });
  });
}

export function unsubscribe(subscription) {
  const source = subscription ? subscriptions.get(subscription.id) : undefined;
  if (!source) return Promise.resolve(false);
  source.close();
  subscriptions.delete(subscription.id);
  return Promise.resolve(true);
}
