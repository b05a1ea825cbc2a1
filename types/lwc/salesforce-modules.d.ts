/**
 * Declarations for the `@salesforce/*` scoped modules that Lightning Web Components import and that
 * `@salesforce/lightning-types` does not declare. The platform resolves these imports at compile time;
 * sfdx-lwc-jest replaces them with test doubles.
 */

/** A custom label: `import title from '@salesforce/label/c.PC_Card_Title'`. */
declare module '@salesforce/label/*' {
  const label: string;
  export default label;
}

/**
 * A schema reference. Field imports (`@salesforce/schema/Opportunity.Referral_Id__c`) carry both names;
 * object imports (`@salesforce/schema/Opportunity`) carry only `objectApiName`, so `fieldApiName` is optional.
 */
declare module '@salesforce/schema/*' {
  const schemaId: { objectApiName: string; fieldApiName?: string };
  export default schemaId;
}

/** Whether the running user has a custom permission. */
declare module '@salesforce/customPermission/*' {
  const hasPermission: boolean | undefined;
  export default hasPermission;
}

/** Whether the running user has a standard user permission. */
declare module '@salesforce/userPermission/*' {
  const hasPermission: boolean | undefined;
  export default hasPermission;
}

/** Locale information of the running user (`@salesforce/i18n/locale`, `.../timeZone`, ...). */
declare module '@salesforce/i18n/*' {
  const value: string;
  export default value;
}

/**
 * Only `refreshApex` is used: it re-runs a Lightning Data Service wire adapter (for example a related list)
 * and involves no Apex class.
 */
declare module '@salesforce/apex' {
  export function refreshApex(wiredValue: unknown): Promise<void>;
}
