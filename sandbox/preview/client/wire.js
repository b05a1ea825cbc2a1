/**
 * The wire adapters' common machinery, after Lightning Data Service's behaviour:
 * - an adapter emits `{ data: undefined, error: undefined }` when it connects, then `{ data }` or `{ error }`;
 * - it does not fetch while a required parameter is still undefined (a `$property` not yet set);
 * - values are frozen (LDS data is read-only);
 * - `refreshApex(value)` re-fetches the adapter that emitted `value`, and record changes re-fetch the adapters that
 *   show that record (see notifyRecordUpdateAvailable).
 */

const live = new Set();
const emitters = new WeakMap();

export function deepFreeze(value) {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze(value[key]);
  }
  return value;
}

/**
 * @param {object} spec
 * @param {(config: any) => string | undefined} spec.key   identity of a request; undefined = not ready to fetch
 * @param {(config: any) => Promise<any>} spec.fetch
 * @param {(config: any) => string[]} [spec.recordIds]      records the value shows (refreshed when they change)
 * @param {(result: { data?: any, error?: any }, adapter: any) => any} [spec.shape] builds the emitted value
 */
export function createAdapter(spec) {
  return class PreviewWireAdapter {
    constructor(dataCallback) {
      this.dataCallback = dataCallback;
      this.config = undefined;
      this.currentKey = undefined;
      this.sequence = 0;
      this.connected = false;
    }

    connect() {
      this.connected = true;
      live.add(this);
      this.emit({ data: undefined, error: undefined });
      if (this.config) this.load();
    }

    disconnect() {
      this.connected = false;
      live.delete(this);
    }

    update(config) {
      this.config = config;
      const key = spec.key(config);
      if (key === undefined || key === this.currentKey) return;
      this.currentKey = key;
      if (this.connected) this.load();
    }

    recordIds() {
      return this.config && spec.recordIds ? spec.recordIds(this.config) : [];
    }

    refresh() {
      return this.load();
    }

    async load() {
      if (!this.config || spec.key(this.config) === undefined) return;
      const sequence = ++this.sequence;
      let result;
      try {
        result = { data: deepFreeze(await spec.fetch(this.config)), error: undefined };
      } catch (error) {
        result = { data: undefined, error: deepFreeze(error) };
      }
      // A newer request (changed parameters or a refresh) answers instead.
      if (sequence !== this.sequence || !this.connected) return;
      this.emit(result);
    }

    emit(result) {
      const value = spec.shape ? spec.shape(result, this) : result;
      emitters.set(value, this);
      this.dataCallback(value);
    }
  };
}

/** `refreshApex(value)`: re-fetches what emitted `value`. */
export function refreshValue(value) {
  const adapter = value && typeof value === 'object' ? emitters.get(value) : undefined;
  if (!adapter) return Promise.resolve(undefined);
  return adapter.refresh();
}

/** Re-fetches every live adapter that shows one of these records. */
export function refreshRecords(recordIds) {
  const wanted = new Set(recordIds.filter(Boolean).map((id) => String(id).slice(0, 15)));
  const work = [];
  for (const adapter of live) {
    if (adapter.recordIds().some((id) => wanted.has(String(id).slice(0, 15)))) work.push(adapter.refresh());
  }
  return Promise.all(work).then(() => undefined);
}

/** `Opportunity.Name` for a field reference or a string. */
export function fieldPath(reference) {
  if (typeof reference === 'string') return reference;
  if (reference && typeof reference === 'object' && reference.objectApiName && reference.fieldApiName) {
    return `${reference.objectApiName}.${reference.fieldApiName}`;
  }
  throw new Error(`not a field reference: ${JSON.stringify(reference)}`);
}

export function fieldPaths(value) {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(fieldPath);
}

/** The API name for an object reference or a string. */
export function objectName(reference) {
  if (typeof reference === 'string') return reference;
  if (reference && typeof reference === 'object' && reference.objectApiName) return reference.objectApiName;
  return undefined;
}
