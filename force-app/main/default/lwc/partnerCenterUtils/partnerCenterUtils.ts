/**
 * Shared helpers for the Partner Center components (a service component: no template).
 * Import from `c/partnerCenterUtils`.
 */
export { reduceErrors } from './ldsErrors';
export { formatLabel, sameRecordId, cleanText, nonEmptyLines } from './format';
export { confirmAction, showToast } from './interaction';
export type { ConfirmOptions, ToastVariant } from './interaction';
export {
  SYNC_STATUS,
  SYNC_STATUS_CHANNEL,
  NAMESPACE_PREFIX,
  packageApiName,
  apiName,
  DEFAULT_COUNTRY_FIELD,
  DEFAULT_DEAL_VALUE_FIELD,
  DEFAULT_CURRENCY_FIELD,
} from './constants';
