import { createElement } from 'lwc';
import PartnerCenterErrorPanel from 'c/partnerCenterErrorPanel';
import UNKNOWN_ERROR from '@salesforce/label/c.PC_Common_Unknown_Error';

type PanelElement = HTMLElement & { friendlyMessage?: string; errors?: unknown };

function render(props: { friendlyMessage?: string; errors?: unknown }): PanelElement {
  const element = createElement('c-partner-center-error-panel', { is: PartnerCenterErrorPanel }) as PanelElement;
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

const shadow = (element: HTMLElement): ShadowRoot => element.shadowRoot as ShadowRoot;

describe('c-partner-center-error-panel', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('shows the friendly message and every message Salesforce returned', async () => {
    const element = render({
      friendlyMessage: 'The settings could not be loaded.',
      errors: [
        { body: [{ message: 'No access to Partner_Center_Settings__c' }], status: 403 },
        { body: { message: 'Network timeout' } },
      ],
    });
    await Promise.resolve();

    expect(shadow(element).querySelector('.heading')?.textContent).toBe('The settings could not be loaded.');
    const messages = Array.from(shadow(element).querySelectorAll('.messages li')).map((li) => li.textContent);
    expect(messages).toEqual(['No access to Partner_Center_Settings__c', 'Network timeout']);
    expect(shadow(element).querySelector('[role="alert"]')).not.toBeNull();
  });

  it('falls back to a generic sentence and lists nothing when there are no details', async () => {
    const element = render({ errors: undefined });
    await Promise.resolve();

    expect(UNKNOWN_ERROR).toMatch(/Something went wrong/);
    expect(shadow(element).querySelector('.heading')?.textContent).toBe(UNKNOWN_ERROR);
    expect(shadow(element).querySelector('.messages')).toBeNull();
  });

  it('is accessible', async () => {
    const element = render({ friendlyMessage: 'Could not load.', errors: new Error('Boom') });
    await Promise.resolve();
    await expect(element).toBeAccessible();
  });
});
