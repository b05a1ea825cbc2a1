import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/partnerCenterUtils';
import unknownError from '@salesforce/label/c.PC_Common_Unknown_Error';
import errorIconText from '@salesforce/label/c.PC_Common_Error_Icon';

/**
 * Shows what went wrong: a friendly sentence chosen by the parent plus the messages Salesforce returned
 * (reduced from any LDS, GraphQL or JavaScript error shape). Announced to screen readers as an alert.
 */
export default class PartnerCenterErrorPanel extends LightningElement {
  /** The sentence explaining what failed, in the parent's words. */
  @api friendlyMessage?: string;
  /** One error or a list of errors, in any shape reduceErrors understands. */
  @api errors?: unknown;

  labels = { errorIconText };

  get heading(): string {
    return this.friendlyMessage || unknownError;
  }

  get messages(): Array<{ key: string; text: string }> {
    return reduceErrors(this.errors).map((text, index) => ({ key: `${index}`, text }));
  }

  get hasMessages(): boolean {
    return this.messages.length > 0;
  }
}
