/**
 * Stand-in for `lightning/uiRelatedListApi`: getRelatedListRecords → a SOQL child sub-query on the parent record
 * (relatedListId is the child relationship name, e.g. OpportunityContactRoles), as the running user.
 *
 * Not provided: getRelatedListInfo(s), getRelatedListCount, getRelatedListsInfo, `where` filters.
 */
import { request } from './transport';
import { createAdapter, fieldPaths } from './wire';

export const getRelatedListRecords = createAdapter({
  key(config) {
    if (!config?.parentRecordId || !config.relatedListId) return undefined;
    return JSON.stringify([
      config.parentRecordId,
      config.relatedListId,
      fieldPaths(config.fields),
      fieldPaths(config.optionalFields),
      config.sortBy ?? [],
      config.pageSize ?? null,
      config.where ?? null,
    ]);
  },
  fetch(config) {
    return request(
      'POST',
      `/ui-api/related-list-records/${encodeURIComponent(config.parentRecordId)}/${encodeURIComponent(config.relatedListId)}`,
      {
        body: {
          fields: fieldPaths(config.fields),
          optionalFields: fieldPaths(config.optionalFields),
          sortBy: config.sortBy ?? [],
          pageSize: config.pageSize,
          where: config.where,
        },
      }
    );
  },
});
