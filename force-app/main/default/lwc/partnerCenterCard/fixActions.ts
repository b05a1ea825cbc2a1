/** Where each fix action of a sync failure takes the seller (Lightning page references). */
import type { FixAction } from 'c/partnerCenterSyncStatus';

export interface PageReference {
  type: string;
  attributes: Record<string, string>;
}

/**
 * Open the customer account (to set its country), the opportunity's Contact Roles related list, or the opportunity
 * in edit mode. "Add solution" stays on the card (its solutions section); undefined when the record is unknown.
 */
export function fixPage(action: FixAction, opportunityId?: string, accountId?: string): PageReference | undefined {
  switch (action) {
    case 'openAccount':
      return accountId ? { type: 'standard__recordPage', attributes: { recordId: accountId, objectApiName: 'Account', actionName: 'view' } } : undefined;
    case 'addContactRole':
      return opportunityId
        ? { type: 'standard__recordRelationshipPage', attributes: { recordId: opportunityId, objectApiName: 'Opportunity', relationshipApiName: 'OpportunityContactRoles', actionName: 'view' } }
        : undefined;
    case 'editOpportunity':
      return opportunityId ? { type: 'standard__recordPage', attributes: { recordId: opportunityId, objectApiName: 'Opportunity', actionName: 'edit' } } : undefined;
    default:
      return undefined;
  }
}
