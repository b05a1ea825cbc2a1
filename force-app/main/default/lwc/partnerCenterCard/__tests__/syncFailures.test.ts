/**
 * Every failure reason the connector can send (connector/engine/failure-reasons.ts) through to the card: the newest
 * sync log record carries the code and its parameters, and the card says it from the custom label in the user's
 * language (English here; test/metadata checks the four translations) with the action that fixes it, never with
 * record ids, timestamps or server commands.
 */
import { readFileSync } from 'fs';
import path from 'path';
import { createElement } from 'lwc';
import PartnerCenterCard from 'c/partnerCenterCard';
import { isEmpEnabled } from 'lightning/empApi';
import { FAILURE_REASON_CODES } from '../../../../../../connector/engine/failure-reasons';
import {
  ACCOUNT_ID,
  OPPORTUNITY_ID,
  SYNCED_OPPORTUNITY,
  deepQueryAll,
  emitCardData,
  flush,
  forRelatedList,
  getRelatedListRecordsAdapter,
  opportunityRecord,
  record,
} from './fixtures';

const mockNavigate = jest.fn();
jest.mock('lightning/navigation', () => {
  const Navigate = Symbol('Navigate');
  const GenerateUrl = Symbol('GenerateUrl');
  const NavigationMixin = (Base: new () => object) =>
    class extends Base {
      [Navigate](page: unknown) {
        mockNavigate(page);
      }
      [GenerateUrl]() {
        return Promise.resolve('');
      }
    };
  return { NavigationMixin: Object.assign(NavigationMixin, { Navigate, GenerateUrl }) };
});
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

const LABELS_XML = readFileSync(path.resolve(__dirname, '../../../labels/CustomLabels.labels-meta.xml'), 'utf8');
const decode = (text: string) => text.replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
function englishLabel(name: string): string {
  const match = new RegExp(`<fullName>${name}</fullName>[\\s\\S]*?<value>([\\s\\S]*?)</value>`).exec(LABELS_XML);
  if (!match) throw new Error(`no custom label ${name}`);
  return decode(match[1]);
}
/** COUNTRY_MISSING → PC_Reason_Country_Missing. */
const labelName = (code: string) => `PC_Reason_${code.toLowerCase().replace(/(^|_)([a-z])/g, (_, sep: string, c: string) => `${sep}${c.toUpperCase()}`)}`;

/** What the seller is offered for each code, from the issue: open the account, add a contact role, add a solution. */
const ACCOUNT_PAGE = { type: 'standard__recordPage', attributes: { recordId: ACCOUNT_ID, objectApiName: 'Account', actionName: 'view' } };
const CONTACT_ROLES = {
  type: 'standard__recordRelationshipPage',
  attributes: { recordId: OPPORTUNITY_ID, objectApiName: 'Opportunity', relationshipApiName: 'OpportunityContactRoles', actionName: 'view' },
};
const EDIT = { type: 'standard__recordPage', attributes: { recordId: OPPORTUNITY_ID, objectApiName: 'Opportunity', actionName: 'edit' } };
const FIXES: Record<string, { button: string; page: object | 'solutions' } | null> = {
  NAME_MISSING: { button: 'Edit opportunity', page: EDIT },
  ACCOUNT_MISSING: { button: 'Edit opportunity', page: EDIT },
  COUNTRY_MISSING: { button: 'Open account', page: ACCOUNT_PAGE },
  COUNTRY_UNKNOWN: { button: 'Open account', page: ACCOUNT_PAGE },
  CLOSE_DATE_MISSING: { button: 'Edit opportunity', page: EDIT },
  DEAL_VALUE_MISSING: { button: 'Edit opportunity', page: EDIT },
  DEAL_VALUE_NEGATIVE: { button: 'Edit opportunity', page: EDIT },
  CURRENCY_MISSING: { button: 'Edit opportunity', page: EDIT },
  CURRENCY_UNKNOWN: { button: 'Edit opportunity', page: EDIT },
  HELP_UNKNOWN: null,
  CONTACT_MISSING: { button: 'Add contact role', page: CONTACT_ROLES },
  CONTACT_EMAIL_MISSING: { button: 'Add contact role', page: CONTACT_ROLES },
  SOLUTION_MISSING: { button: 'Add solution', page: 'solutions' },
  HELP_CANNOT_BE_REMOVED: null,
  SHARING_CANNOT_BE_WITHDRAWN: null,
  STAGE_NOT_ALLOWED: { button: 'Edit opportunity', page: EDIT },
  REFERRAL_CLOSE_DATE_MISSING: null,
  PARTNER_CENTER_REJECTED: null,
  REFERRAL_NOT_FOUND: null,
  TEMPORARY_FAILURE: null,
  SALESFORCE_REJECTED: null,
  SETUP_REQUIRED: null,
  CONNECTOR_ERROR: null,
};

const PARAMS = { field: 'Account.BillingCountry', record: 'Contoso Ltd', expected: 'ISO 3166-1 alpha-2', value: 'Bavaria' };

function syncLog(code: string, params: object = PARAMS, outcome = 'Parked') {
  const log = record('Partner_Center_Sync_Log__c', 'a04AA0000000001AAA', {
    Outcome__c: outcome,
    Failure_Reason__c: code,
    Failure_Parameters__c: JSON.stringify(params),
    Occurred_At__c: '2025-03-05T09:00:00.000Z',
  });
  return { records: [log], count: 1, listReference: { relatedListId: 'Partner_Center_Sync_Logs__r' }, nextPageToken: null };
}

const FAILED = {
  ...SYNCED_OPPORTUNITY,
  Partner_Center_Sync_Status__c: 'Error',
  Partner_Center_Audit__c: `2025-03-05 09:00 ✖ Salesforce → Partner Center: Opportunity "Contoso" (${OPPORTUNITY_ID}) failed. It is parked as dead letter #1: ask an admin to run \`cosell dead-letters replay 1\`.`,
};

async function failedCard(code: string, params?: object, outcome?: string): Promise<HTMLElement> {
  const element = createElement('c-partner-center-card', { is: PartnerCenterCard }) as HTMLElement & { recordId?: string };
  element.recordId = OPPORTUNITY_ID;
  document.body.appendChild(element);
  await emitCardData({ opportunity: opportunityRecord(FAILED) });
  getRelatedListRecordsAdapter.emit(syncLog(code, params, outcome), forRelatedList('Partner_Center_Sync_Logs__r'));
  await flush();
  return element;
}

const $ = (element: HTMLElement, selector: string) => deepQueryAll(element, selector)[0] as (HTMLElement & Record<string, unknown>) | undefined;

describe('c-partner-center-card: each sync failure reason in the seller\'s words, with its fix', () => {
  beforeEach(() => {
    (isEmpEnabled as unknown as jest.Mock).mockResolvedValue(false);
    mockNavigate.mockReset();
  });

  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('knows every code the connector can send', () => {
    expect(Object.keys(FIXES).sort()).toEqual([...FAILURE_REASON_CODES].sort());
  });

  it.each([...FAILURE_REASON_CODES])('%s: the text in the seller\'s words', async (code) => {
    const element = await failedCard(code);
    const expected = englishLabel(labelName(code))
      .replace('{0}', 'Billing Country')
      .replace('{1}', PARAMS.record)
      .replace('{2}', PARAMS.expected)
      .replace('{3}', PARAMS.value);
    const shown = $(element, '.error-message')?.textContent?.trim() ?? '';
    expect(shown).toBe(expected);
    expect(shown).not.toMatch(/\{\d\}/);
    // A seller's words: no record ids, timestamps or server commands (those stay in the sync log for admins).
    expect(shown).not.toContain(OPPORTUNITY_ID.slice(0, 15));
    expect(shown).not.toMatch(/\d{4}-\d{2}-\d{2}|\d{2}:\d{2}|cosell |dead letter/);
    await expect(element).toBeAccessible();
  });

  const withoutFix = FAILURE_REASON_CODES.filter((code) => FIXES[code] === null);
  const navigating = FAILURE_REASON_CODES.filter((code) => FIXES[code] && FIXES[code]?.page !== 'solutions');

  it.each(withoutFix)('%s: no fix button (the text says who acts)', async (code) => {
    const element = await failedCard(code);
    expect($(element, '.fix-button')).toBeUndefined();
  });

  it.each(navigating)('%s: the fix button opens the page that fixes it', async (code) => {
    const element = await failedCard(code);
    const button = $(element, '.fix-button');
    expect(button?.label).toBe(FIXES[code]?.button);
    button?.click();
    expect(mockNavigate).toHaveBeenCalledWith(FIXES[code]?.page);
  });

  it('SOLUTION_MISSING: Add solution opens the card\'s solution catalog', async () => {
    const element = await failedCard('SOLUTION_MISSING');
    const button = $(element, '.fix-button');
    expect(button?.label).toBe('Add solution');
    const solutions = $(element, 'c-partner-center-solutions') as HTMLElement & { openCatalog?: () => void };
    const open = jest.fn();
    Object.defineProperty(solutions, 'openCatalog', { value: open, configurable: true });
    button?.click();
    expect(open).toHaveBeenCalledTimes(1);
    expect(mockNavigate).not.toHaveBeenCalled();
  });

  it('an older connector without a reason: the recorded message, as before', async () => {
    const element = await failedCard('', {});
    expect($(element, '.error-message')?.textContent?.trim()).toBe(FAILED.Partner_Center_Audit__c);
    expect($(element, '.fix-button')).toBeUndefined();
  });

  it('a failure that is being retried (Error, not yet Parked) is explained the same way', async () => {
    const element = await failedCard('TEMPORARY_FAILURE', {}, 'Error');
    expect($(element, '.error-message')?.textContent?.trim()).toBe(englishLabel('PC_Reason_Temporary_Failure'));
  });

  it('a newer attempt that succeeded hides an old reason', async () => {
    const element = await failedCard('COUNTRY_MISSING', PARAMS, 'Success');
    expect($(element, '.error-message')?.textContent?.trim()).toBe(FAILED.Partner_Center_Audit__c);
  });

  it('a field the card has no label for shows its API name rather than nothing', async () => {
    const element = await failedCard('SALESFORCE_REJECTED', { field: 'Opportunity.Custom_Score__c' });
    expect($(element, '.error-message')?.textContent?.trim()).toBe(englishLabel('PC_Reason_Salesforce_Rejected').replace('{0}', 'Custom_Score__c'));
  });
});
