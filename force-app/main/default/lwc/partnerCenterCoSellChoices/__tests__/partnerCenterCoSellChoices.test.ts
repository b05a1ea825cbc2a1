import { createElement } from 'lwc';
import PartnerCenterCoSellChoices from 'c/partnerCenterCoSellChoices';
import READ_ONLY from '@salesforce/label/c.PC_Card_Read_Only';

type Choices = HTMLElement & Record<string, unknown> & { restore(values: object): void };

const OPTIONS = [
  { label: 'No help needed', value: '' },
  { label: 'General or other', value: 'GeneralOrOther' },
];

function render(props: Record<string, unknown> = {}): Choices {
  const element = createElement('c-partner-center-co-sell-choices', { is: PartnerCenterCoSellChoices }) as unknown as Choices;
  Object.assign(element, { helpOptions: OPTIONS, canEditSync: true, canEditHelp: true, canEditVisible: true, ...props });
  document.body.appendChild(element);
  return element;
}

const $ = (element: HTMLElement, selector: string) => element.shadowRoot?.querySelector(selector) as (HTMLElement & Record<string, unknown>) | null;

describe('c-partner-center-co-sell-choices', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('shows the values it is given, no read-only notice for a seller who can change everything', async () => {
    const element = render({ sync: true, help: 'GeneralOrOther', visible: true });
    await Promise.resolve();
    expect($(element, '.sync-toggle')?.checked).toBe(true);
    expect($(element, '.help-combobox')?.value).toBe('GeneralOrOther');
    expect($(element, '.visible-toggle')?.checked).toBe(true);
    expect($(element, '.read-only-notice')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('fires what the seller picked, without deciding anything itself', async () => {
    const element = render();
    const events: Array<[string, unknown]> = [];
    for (const name of ['syncchange', 'helpchange', 'visiblechange']) {
      element.addEventListener(name, (event) => events.push([name, (event as CustomEvent).detail]));
    }
    await Promise.resolve();
    $(element, '.sync-toggle')?.dispatchEvent(new CustomEvent('change', { detail: { checked: true } }));
    $(element, '.help-combobox')?.dispatchEvent(new CustomEvent('change', { detail: { value: 'GeneralOrOther' } }));
    $(element, '.visible-toggle')?.dispatchEvent(new CustomEvent('change', { detail: { checked: true } }));
    expect(events).toEqual([
      ['syncchange', { checked: true }],
      ['helpchange', { value: 'GeneralOrOther' }],
      ['visiblechange', { checked: true }],
    ]);
  });

  it('a shared deal: visibility locked on with the explanation', async () => {
    const element = render({ visible: true, shared: true });
    await Promise.resolve();
    expect($(element, '.visible-toggle')?.disabled).toBe(true);
    expect($(element, '.visible-locked')).not.toBeNull();
  });

  it('no edit access: every control disabled and the notice says why', async () => {
    const element = render({ canEditSync: false, canEditHelp: false, canEditVisible: false });
    await Promise.resolve();
    expect($(element, '.read-only-notice')?.textContent?.trim()).toBe(READ_ONLY);
    for (const selector of ['.sync-toggle', '.help-combobox', '.visible-toggle']) expect($(element, selector)?.disabled).toBe(true);
  });

  it('while saving nothing can be changed', async () => {
    const element = render({ saving: true });
    await Promise.resolve();
    for (const selector of ['.sync-toggle', '.help-combobox', '.visible-toggle']) expect($(element, selector)?.disabled).toBe(true);
  });

  it('restore puts a control back that kept a choice the card did not save', async () => {
    const element = render({ help: '' });
    await Promise.resolve();
    const box = $(element, '.help-combobox') as HTMLElement & { value?: string };
    box.value = 'GeneralOrOther'; // what the base component shows after the user picks
    element.restore({ sync: false, help: '', visible: false });
    expect(box.value).toBe('');
  });
});
