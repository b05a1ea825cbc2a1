/**
 * Stand-in for `lightning/uiRecordApi` (Lightning Data Service records), answered by the preview server from the
 * local org as the running user: getRecord → SOQL for the requested fields; updateRecord / createRecord /
 * deleteRecord → the sObject REST API. After a write, wires showing the record re-fetch it, as LDS's cache does.
 *
 * Not provided (the package's components do not use them): getRecords, getRecordUi, layoutTypes/modes,
 * generateRecordInputFor*, createRecordInputFilteredByEditedFields.
 */
import { request } from './transport';
import { createAdapter, fieldPaths, refreshRecords } from './wire';

function ids(config) {
  return config.recordId ? [config.recordId] : [];
}

export const getRecord = createAdapter({
  key(config) {
    if (!config || !config.recordId) return undefined;
    if (config.layoutTypes || config.modes) {
      return JSON.stringify(['unsupported', config.layoutTypes, config.modes]);
    }
    const fields = fieldPaths(config.fields);
    const optionalFields = fieldPaths(config.optionalFields);
    if (fields.length === 0 && optionalFields.length === 0) return undefined;
    return JSON.stringify([config.recordId, fields, optionalFields]);
  },
  fetch(config) {
    if (config.layoutTypes || config.modes) {
      return Promise.reject({ ok: false, status: 400, statusText: 'Bad Request', body: [{ errorCode: 'NOT_SUPPORTED', message: 'layoutTypes and modes are not supported by the preview; request fields' }] });
    }
    return request('GET', `/ui-api/records/${encodeURIComponent(config.recordId)}`, {
      params: { fields: fieldPaths(config.fields).join(','), optionalFields: fieldPaths(config.optionalFields).join(',') },
    });
  },
  recordIds: ids,
});

function valueAt(record, reference) {
  if (!record) return undefined;
  const [path] = fieldPaths(reference);
  const parts = path.split('.');
  // `Opportunity.Account.Name` on an Opportunity record: the first part names the record's object.
  if (parts.length > 1 && parts[0] === record.apiName) parts.shift();
  let current = record;
  for (let i = 0; i < parts.length; i += 1) {
    const field = current?.fields?.[parts[i]];
    if (field === undefined) return undefined;
    if (i === parts.length - 1) return field;
    current = field.value;
    if (current === null) return null;
  }
  return undefined;
}

export function getFieldValue(record, field) {
  const entry = valueAt(record, field);
  if (entry === null) return null;
  return entry === undefined ? undefined : entry.value;
}

export function getFieldDisplayValue(record, field) {
  const entry = valueAt(record, field);
  if (entry === null) return null;
  return entry === undefined ? undefined : entry.displayValue;
}

export async function updateRecord(recordInput, clientOptions) {
  const { Id, ...fields } = recordInput?.fields ?? {};
  if (!Id) throw { ok: false, status: 400, statusText: 'Bad Request', body: { message: 'updateRecord needs fields.Id' } };
  const record = await request('PATCH', `/ui-api/records/${encodeURIComponent(Id)}`, {
    body: { fields, ifUnmodifiedSince: clientOptions?.ifUnmodifiedSince },
  });
  await refreshRecords([Id]);
  return record;
}

export async function createRecord(recordInput) {
  return request('POST', '/ui-api/records', { body: { apiName: recordInput?.apiName, fields: recordInput?.fields ?? {} } });
}

export async function deleteRecord(recordId) {
  await request('DELETE', `/ui-api/records/${encodeURIComponent(recordId)}`);
  await refreshRecords([recordId]);
}

/** Tells LDS that records changed outside it: every wire showing them re-fetches. */
export async function notifyRecordUpdateAvailable(recordIds) {
  await refreshRecords((recordIds ?? []).map((entry) => entry?.recordId));
}

/** The deprecated name of notifyRecordUpdateAvailable. */
export function getRecordNotifyChange(recordIds) {
  notifyRecordUpdateAvailable(recordIds);
}
