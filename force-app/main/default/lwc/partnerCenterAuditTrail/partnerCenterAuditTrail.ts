import { LightningElement, api } from 'lwc';
import { nonEmptyLines } from 'c/partnerCenterUtils';
import auditHeading from '@salesforce/label/c.PC_Card_Audit_Heading';
import auditEmpty from '@salesforce/label/c.PC_Card_Audit_Empty';

/**
 * The opportunity's Partner Center audit trail (newest line first) in a collapsed accordion section, so it costs one
 * line of the sidebar until the seller opens it.
 */
export default class PartnerCenterAuditTrail extends LightningElement {
  /** The audit field's text, one entry a line. */
  @api audit?: string | null;

  labels = { auditHeading, auditEmpty };
  /** No section open at first. */
  openSections: string[] = [];

  get lines(): Array<{ key: string; text: string }> {
    return nonEmptyLines(this.audit).map((text, index) => ({ key: `${index}`, text }));
  }

  get hasLines(): boolean {
    return this.lines.length > 0;
  }
}
