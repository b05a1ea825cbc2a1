import { createElement } from 'lwc';
import PartnerCenterAuditTrail from 'c/partnerCenterAuditTrail';
import AUDIT_EMPTY from '@salesforce/label/c.PC_Card_Audit_Empty';

function render(audit: string | null): HTMLElement {
  const element = createElement('c-partner-center-audit-trail', { is: PartnerCenterAuditTrail });
  Object.assign(element, { audit });
  document.body.appendChild(element);
  return element;
}

const $ = (element: HTMLElement, selector: string) => element.shadowRoot?.querySelector(selector) as (HTMLElement & Record<string, unknown>) | null;

describe('c-partner-center-audit-trail', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('lists the non-empty lines newest first, collapsed', async () => {
    const element = render('2025-03-04 10:15 ✔ Referral updated\n\n2025-03-04 10:01 ✔ Referral created\n');
    await Promise.resolve();
    const lines = Array.from(element.shadowRoot?.querySelectorAll('.audit-line') ?? []).map((line) => line.textContent);
    expect(lines).toEqual(['2025-03-04 10:15 ✔ Referral updated', '2025-03-04 10:01 ✔ Referral created']);
    expect($(element, '.audit')?.activeSectionName).toEqual([]);
    await expect(element).toBeAccessible();
  });

  it('says when nothing has been synced yet', async () => {
    const element = render(null);
    await Promise.resolve();
    expect($(element, '.audit-empty')?.textContent).toBe(AUDIT_EMPTY);
    expect($(element, '.audit-line')).toBeNull();
  });
});
