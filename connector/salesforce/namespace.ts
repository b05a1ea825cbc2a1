/**
 * A managed package's components carry its namespace prefix in a subscriber org (`cosell__Referral_Id__c`), and
 * the REST API only knows them by that name. The connector is written against the unprefixed names; the gateway
 * renames the package's own names on the way out (SOQL, sObject types, record fields) and back on the way in, so
 * the engine never sees a prefix. Names that are not the package's (standard fields, the admin's own custom fields
 * chosen in the settings) pass through untouched. An empty namespace (source deploys, scratch orgs without one,
 * the local org) makes every function the identity.
 */

/** Every API name the package defines that the connector can meet: objects, events, fields and relationships. */
export const PACKAGE_API_NAMES: ReadonlySet<string> = new Set([
  // objects and platform events
  'Microsoft_Solution__c',
  'Microsoft_Solution_Detail__c',
  'Partner_Center_Settings__c',
  'Partner_Center_Sync_Log__c',
  'Partner_Center_Sync_Request__e',
  'Partner_Center_Sync_Status__e',
  // fields (on Opportunity and on the package's objects)
  'Active_Stage_Name__c',
  'Active__c',
  'Country_Code_Field__c',
  'Currency_Field__c',
  'Deal_Value_Field__c',
  'Description__c',
  'Direction__c',
  'Display_Check_Mark__c',
  'Failure_Parameters__c',
  'Failure_Reason__c',
  'Lost_Stage_Name__c',
  'Message__c',
  'Microsoft_CRM_Id__c',
  'Microsoft_Help__c',
  'Occurred_At__c',
  'On_Hold_Stage_Name__c',
  'Operation__c',
  'Opportunity_Id__c',
  'Opportunity__c',
  'Outcome__c',
  'Partner_Center_Audit__c',
  'Partner_Center_Last_Sync__c',
  'Partner_Center_Status__c',
  'Partner_Center_Sync_Status__c',
  'Publisher_Name__c',
  'Reason_Code__c',
  'Reason__c',
  'Referral_Id__c',
  'Referral_Link__c',
  'Request_Id__c',
  'Solution_Detail__c',
  'Solution_Id__c',
  'Solution_Name__c',
  'Solution_Type__c',
  'Sync_Co_Sell_Only__c',
  'Sync_Status__c',
  'Sync_With_Partner_Center__c',
  'Visible_To_Microsoft_Sellers__c',
  'Won_Stage_Name__c',
  // relationships: child (Opportunity → rows) and parent (row → Opportunity, row → catalog entry)
  'Microsoft_Solutions__r',
  'Partner_Center_Sync_Logs__r',
  'Opportunity__r',
  'Solution_Detail__r',
]);

/** A namespace prefix as Salesforce allows it: 1–15 letters, digits, starting with a letter, no double underscore. */
export const NAMESPACE_PATTERN = /^[A-Za-z][A-Za-z0-9]{0,14}$/;

// A custom API name as a whole token: not preceded or followed by another identifier character or a dot-less prefix.
const CUSTOM_NAME = /(?<![A-Za-z0-9_])([A-Za-z][A-Za-z0-9_]*?__[cre])(?![A-Za-z0-9_])/g;

export interface NamespaceMapper {
  readonly namespace: string;
  /** A SOQL statement with the package's names prefixed. */
  soql(statement: string): string;
  /** An sObject type or field name, prefixed if it is the package's. */
  name(apiName: string): string;
  /** A record about to be written: its field names prefixed. */
  outgoing<T extends Record<string, unknown>>(record: T): Record<string, unknown>;
  /** A record (with parent and child relationships) as read: the namespace taken off the package's names. */
  incoming<T>(value: T): T;
}

const IDENTITY: NamespaceMapper = {
  namespace: '',
  soql: (statement) => statement,
  name: (apiName) => apiName,
  outgoing: (record) => record,
  incoming: (value) => value,
};

export function namespaceMapper(namespace: string | undefined): NamespaceMapper {
  if (!namespace) return IDENTITY;
  if (!NAMESPACE_PATTERN.test(namespace)) {
    throw new Error(`"${namespace}" is not a Salesforce namespace prefix: use 1–15 letters and digits, starting with a letter.`);
  }
  const prefix = `${namespace}__`;
  const name = (apiName: string): string => (PACKAGE_API_NAMES.has(apiName) ? prefix + apiName : apiName);
  const strip = (apiName: string): string => {
    if (!apiName.startsWith(prefix)) return apiName;
    const bare = apiName.slice(prefix.length);
    return PACKAGE_API_NAMES.has(bare) ? bare : apiName;
  };
  const incoming = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(incoming);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      // attributes.type names the sObject: unprefix it too, so callers compare types as written in the code.
      out[strip(key)] = key === 'type' && typeof inner === 'string' ? strip(inner) : incoming(inner);
    }
    return out;
  };
  return {
    namespace,
    soql: (statement) => statement.replace(CUSTOM_NAME, (token: string) => name(token)),
    name,
    outgoing: (record) => Object.fromEntries(Object.entries(record).map(([key, value]) => [name(key), value])),
    incoming: <T>(value: T) => incoming(value) as T,
  };
}
