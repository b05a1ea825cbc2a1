import { LightningElement, api } from 'lwc';
import readOnly from '@salesforce/label/c.PC_Card_Read_Only';
import readOnlyIcon from '@salesforce/label/c.PC_Card_Read_Only_Icon';
import syncLabel from '@salesforce/label/c.PC_Card_Sync_Label';
import syncHelp from '@salesforce/label/c.PC_Card_Sync_Help';
import toggleOn from '@salesforce/label/c.PC_Common_Toggle_On';
import toggleOff from '@salesforce/label/c.PC_Common_Toggle_Off';
import helpLabel from '@salesforce/label/c.PC_Card_Help_Label';
import helpFieldHelp from '@salesforce/label/c.PC_Card_Help_Field_Help';
import visibleLabel from '@salesforce/label/c.PC_Card_Visible_Label';
import visibleHelp from '@salesforce/label/c.PC_Card_Visible_Help';
import visibleLocked from '@salesforce/label/c.PC_Card_Visible_Locked';

interface ComboboxOption {
  label: string;
  value: string;
}

type Control = HTMLElement & Record<string, unknown>;

/**
 * The seller's three co-sell choices: sync with Partner Center, how Microsoft can help, visible to Microsoft sellers.
 * It shows the values and access the card gives it and fires `syncchange` / `helpchange` / `visiblechange` with what
 * the seller picked; the card decides, asks and saves. A user who cannot change one of them is told why instead of
 * facing unexplained disabled controls.
 */
export default class PartnerCenterCoSellChoices extends LightningElement {
  @api sync = false;
  @api help = '';
  @api visible = false;
  /** Whether the deal is already shared with Microsoft sellers (saved): sharing can't be undone, so it is locked. */
  @api shared = false;
  @api helpOptions: ComboboxOption[] = [];
  @api canEditSync = false;
  @api canEditHelp = false;
  @api canEditVisible = false;
  /** A save is under way: nothing can be changed until it ends. */
  @api saving = false;

  labels = { readOnly, readOnlyIcon, syncLabel, syncHelp, toggleOn, toggleOff, helpLabel, helpFieldHelp, visibleLabel, visibleHelp, visibleLocked };

  get showReadOnlyNotice(): boolean {
    return !this.canEditSync || !this.canEditHelp || (!this.shared && !this.canEditVisible);
  }

  get syncDisabled(): boolean {
    return this.saving || !this.canEditSync;
  }

  get helpDisabled(): boolean {
    return this.saving || !this.canEditHelp;
  }

  get visibleDisabled(): boolean {
    return this.saving || this.shared || !this.canEditVisible;
  }

  /**
   * Puts the controls back to the given values (the card's, which may be newer than the properties it bound, as
   * those reach this component on the next render). A base component keeps what the user picked; when the value
   * bound to it does not change (a co-sell request held back, a refused save of a value it already showed), the
   * engine does not write it again, and the control would keep showing a choice that was not saved.
   */
  @api
  restore(values: { sync: boolean; help: string; visible: boolean }): void {
    const controls: Array<[string, 'value' | 'checked', unknown]> = [
      ['.help-combobox', 'value', values.help],
      ['.sync-toggle', 'checked', values.sync],
      ['.visible-toggle', 'checked', values.visible],
    ];
    for (const [selector, property, value] of controls) {
      const control = this.template?.querySelector(selector) as Control | null;
      if (control && control[property] !== value) control[property] = value;
    }
  }

  handleSyncChange(event: CustomEvent<{ checked: boolean }>): void {
    event.stopPropagation();
    this.dispatchEvent(new CustomEvent('syncchange', { detail: { checked: Boolean(event.detail?.checked) } }));
  }

  handleHelpChange(event: CustomEvent<{ value: string }>): void {
    event.stopPropagation();
    this.dispatchEvent(new CustomEvent('helpchange', { detail: { value: event.detail?.value ?? '' } }));
  }

  handleVisibleChange(event: CustomEvent<{ checked: boolean }>): void {
    event.stopPropagation();
    this.dispatchEvent(new CustomEvent('visiblechange', { detail: { checked: Boolean(event.detail?.checked) } }));
  }
}
