import { LightningElement, api } from 'lwc';
import checklistHeading from '@salesforce/label/c.PC_Card_Checklist_Heading';
import checklistIntro from '@salesforce/label/c.PC_Card_Checklist_Intro';
import checklistBlocked from '@salesforce/label/c.PC_Card_Checklist_Blocked';

/** One checklist row as the card evaluates it (partnerCenterCard/prerequisites.ts). */
export interface ChecklistItem {
  key: string;
  state: string;
  label: string;
  hint: string;
  statusText: string;
  iconName: string;
  iconVariant: string;
  className: string;
}

/**
 * The co-sell checklist: what Microsoft needs before a deal can be shared as a co-sell request, each row met,
 * missing or unknown. The card evaluates the rows and decides whether a request is held back (`blocked`).
 */
export default class PartnerCenterPrerequisites extends LightningElement {
  @api items: ChecklistItem[] = [];
  /** A co-sell request was just held back: while something is still missing, say so as an alert. */
  @api blocked = false;

  labels = { checklistHeading, checklistIntro, checklistBlocked };

  get showBlocked(): boolean {
    return this.blocked && (this.items ?? []).some((item) => item.state === 'missing');
  }
}
