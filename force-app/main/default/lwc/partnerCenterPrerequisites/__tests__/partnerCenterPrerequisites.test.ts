import { createElement } from 'lwc';
import PartnerCenterPrerequisites from 'c/partnerCenterPrerequisites';
import CHECKLIST_BLOCKED from '@salesforce/label/c.PC_Card_Checklist_Blocked';

const item = (key: string, state: string) => ({
  key,
  state,
  label: `${key} label`,
  hint: `${key} hint`,
  statusText: state,
  iconName: state === 'met' ? 'utility:success' : 'utility:warning',
  iconVariant: state === 'met' ? 'success' : 'warning',
  className: `prerequisite prerequisite_${state}`,
});

function render(props: Record<string, unknown>): HTMLElement {
  const element = createElement('c-partner-center-prerequisites', { is: PartnerCenterPrerequisites });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

const $ = (element: HTMLElement, selector: string) => element.shadowRoot?.querySelector(selector) as HTMLElement | null;

describe('c-partner-center-prerequisites', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('lists each check with its state, label and hint', async () => {
    const element = render({ items: [item('contactRole', 'missing'), item('solution', 'met')] });
    await Promise.resolve();
    const rows = Array.from(element.shadowRoot?.querySelectorAll('.prerequisite') ?? []) as HTMLElement[];
    expect(rows.map((row) => [row.dataset.key, row.dataset.state])).toEqual([
      ['contactRole', 'missing'],
      ['solution', 'met'],
    ]);
    expect(rows[0].querySelector('.prerequisite-hint')?.textContent).toBe('contactRole hint');
    expect($(element, '.blocked-message')).toBeNull();
    await expect(element).toBeAccessible();
  });

  it('a held-back request is announced while something is missing, and not once all is met', async () => {
    const element = render({ items: [item('contactRole', 'missing')], blocked: true });
    await Promise.resolve();
    expect($(element, '.blocked-message')?.textContent?.trim()).toBe(CHECKLIST_BLOCKED);
    expect($(element, '.blocked-message')?.getAttribute('role')).toBe('alert');

    (element as unknown as { items: unknown[] }).items = [item('contactRole', 'met')];
    await Promise.resolve();
    expect($(element, '.blocked-message')).toBeNull();
  });
});
