/**
 * Stand-in for `@salesforce/apex`: only refreshApex, which re-runs a wire adapter (here: the preview's Lightning
 * Data Service stand-ins). Apex methods themselves (`@salesforce/apex/Class.method`) fail the preview's bundle: the
 * package contains no Apex.
 */
import { refreshValue } from './wire';

export function refreshApex(wiredValue) {
  return refreshValue(wiredValue);
}

export function getSObjectValue(record, field) {
  const name = typeof field === 'string' ? field : field?.fieldApiName;
  return record ? record[name] : undefined;
}
