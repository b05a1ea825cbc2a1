import { createElement } from 'lwc';
import PartnerCenterReferralDetails from 'c/partnerCenterReferralDetails';
import VALUE_EMPTY from '@salesforce/label/c.PC_Card_Value_Empty';
import OPEN_IN_PARTNER_CENTER from '@salesforce/label/c.PC_Card_Open_In_Partner_Center';

function opportunity(values: Record<string, unknown>) {
  const fields = Object.fromEntries(Object.entries(values).map(([name, value]) => [orgApiName(name), { value, displayValue: null }]));
  return { apiName: 'Opportunity', id: '006AA000001abcdAAA', fields };
}

function render(values: Record<string, unknown>): HTMLElement {
  const element = createElement('c-partner-center-referral-details', { is: PartnerCenterReferralDetails });
  Object.assign(element, { record: opportunity(values) });
  document.body.appendChild(element);
  return element;
}

const $ = (element: HTMLElement, selector: string) => element.shadowRoot?.querySelector(selector) as (HTMLElement & Record<string, unknown>) | null;
const text = (element: HTMLElement, selector: string) => $(element, selector)?.textContent?.trim();

describe('c-partner-center-referral-details', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('shows the referral facts from the record, the link opening Partner Center in a new tab', async () => {
    const element = render({
      Partner_Center_Status__c: 'Active - Accepted',
      Referral_Id__c: 'e2f1c3a4',
      Referral_Link__c: 'https://partner.microsoft.com/dashboard/referrals/v2/leads/e2f1c3a4',
      Microsoft_CRM_Id__c: '7-ABCDEF1234',
      Partner_Center_Last_Sync__c: '2025-03-04T10:15:00.000Z',
    });
    await Promise.resolve();
    expect(text(element, '.pc-status')).toBe('Active - Accepted');
    expect(text(element, '.referral-id')).toBe('e2f1c3a4');
    expect(text(element, '.crm-id')).toBe('7-ABCDEF1234');
    const link = $(element, '.referral-link lightning-formatted-url');
    expect(link?.label).toBe(OPEN_IN_PARTNER_CENTER);
    expect(link?.target).toBe('_blank');
    expect($(element, '.last-sync lightning-formatted-date-time')?.value).toBe('2025-03-04T10:15:00.000Z');
    await expect(element).toBeAccessible();
  });

  it('"not yet" for what Partner Center has not sent, including fields the user cannot read', async () => {
    const element = render({ Referral_Id__c: 'e2f1c3a4', Microsoft_CRM_Id__c: null });
    await Promise.resolve();
    expect(text(element, '.crm-id')).toBe(VALUE_EMPTY);
    expect(text(element, '.pc-status')).toBe(VALUE_EMPTY);
    expect(text(element, '.last-sync')).toBe(VALUE_EMPTY);
  });
});
