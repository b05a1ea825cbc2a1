/**
 * Stand-in for `lightning/uiObjectInfoApi`: getObjectInfo → the local org's describe (as the running user, so
 * createable/updateable reflect the user's permissions); getPicklistValues → the describe's picklist values, with
 * the stage attributes (closed, won, probability) from OpportunityStage for Opportunity.StageName.
 *
 * Not provided: getObjectInfos, getPicklistValuesByRecordType (unused by the package).
 */
import { request } from './transport';
import { createAdapter, fieldPath, objectName } from './wire';

export const getObjectInfo = createAdapter({
  key(config) {
    const name = objectName(config?.objectApiName);
    return name ? name : undefined;
  },
  fetch(config) {
    return request('GET', `/ui-api/object-info/${encodeURIComponent(objectName(config.objectApiName))}`);
  },
});

export const getPicklistValues = createAdapter({
  key(config) {
    if (!config?.recordTypeId || !config.fieldApiName) return undefined;
    return `${config.recordTypeId}:${fieldPath(config.fieldApiName)}`;
  },
  fetch(config) {
    const path = fieldPath(config.fieldApiName);
    const dot = path.indexOf('.');
    if (dot < 0) {
      return Promise.reject({ ok: false, status: 400, statusText: 'Bad Request', body: [{ errorCode: 'INVALID_FIELD', message: `fieldApiName must be Object.Field, got ${path}` }] });
    }
    const object = path.slice(0, dot);
    const field = path.slice(dot + 1);
    return request(
      'GET',
      `/ui-api/object-info/${encodeURIComponent(object)}/picklist-values/${encodeURIComponent(config.recordTypeId)}/${encodeURIComponent(field)}`
    );
  },
});
