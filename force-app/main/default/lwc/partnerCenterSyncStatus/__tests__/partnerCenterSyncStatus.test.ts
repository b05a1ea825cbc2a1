import { createElement } from 'lwc';
import PartnerCenterSyncStatus from 'c/partnerCenterSyncStatus';
import STATUS_OFF from '@salesforce/label/c.PC_Card_Status_Off';
import STATUS_NOT_SYNCED from '@salesforce/label/c.PC_Card_Status_Not_Synced';
import STATUS_PENDING from '@salesforce/label/c.PC_Card_Status_Pending';
import STATUS_SYNCED from '@salesforce/label/c.PC_Card_Status_Synced';
import STATUS_ERROR from '@salesforce/label/c.PC_Card_Status_Error';
import STATUS_PAUSED from '@salesforce/label/c.PC_Card_Status_Paused';
import ERROR_NO_DETAILS from '@salesforce/label/c.PC_Card_Error_No_Details';
import LIVE_UPDATES_OFF from '@salesforce/label/c.PC_Card_Live_Updates_Off';

type Props = { state?: string; syncOn?: boolean; errorMessage?: string; retryDisabled?: boolean; liveUpdatesPaused?: boolean };

function render(props: Props): HTMLElement {
  const element = createElement('c-partner-center-sync-status', { is: PartnerCenterSyncStatus });
  Object.assign(element, props);
  document.body.appendChild(element);
  return element;
}

const $ = (element: HTMLElement, selector: string) => element.shadowRoot?.querySelector(selector) as (HTMLElement & Record<string, unknown>) | null;
const text = (element: HTMLElement, selector: string) => $(element, selector)?.textContent?.trim();

describe('c-partner-center-sync-status', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it.each([
    ['off', STATUS_OFF, 'utility:info'],
    ['notSynced', STATUS_NOT_SYNCED, 'utility:info'],
    ['synced', STATUS_SYNCED, 'utility:success'],
    ['error', STATUS_ERROR, 'utility:error'],
  ])('%s: says so in words with an icon', async (state, words, icon) => {
    const element = render({ state, syncOn: true });
    await Promise.resolve();
    expect(text(element, '.status-text')).toBe(words);
    expect($(element, '.status-icon')?.iconName).toBe(icon);
    await expect(element).toBeAccessible();
  });

  it('pending: a spinner instead of an icon', async () => {
    const element = render({ state: 'pending', syncOn: true });
    await Promise.resolve();
    expect(text(element, '.status-text')).toBe(STATUS_PENDING);
    expect($(element, '.pending-spinner lightning-spinner')).not.toBeNull();
    expect($(element, '.status-icon')).toBeNull();
  });

  it('error: shows the message and fires retry; says when there are no details', async () => {
    const element = render({ state: 'error', syncOn: true, errorMessage: 'Set the billing country' });
    const retried = jest.fn();
    element.addEventListener('retry', retried);
    await Promise.resolve();
    expect(text(element, '.error-message')).toBe('Set the billing country');
    $(element, '.retry-button')?.click();
    expect(retried).toHaveBeenCalledTimes(1);

    (element as unknown as Props).errorMessage = undefined;
    await Promise.resolve();
    expect(text(element, '.error-message')).toBe(ERROR_NO_DETAILS);
  });

  it('retry can be disabled (saving, or no edit access)', async () => {
    const element = render({ state: 'error', retryDisabled: true });
    await Promise.resolve();
    expect($(element, '.retry-button')?.disabled).toBe(true);
  });

  it('sync paused only when the switch is off on a deal Partner Center knows', async () => {
    const paused = render({ state: 'synced', syncOn: false });
    const neverSynced = render({ state: 'off', syncOn: false });
    const on = render({ state: 'synced', syncOn: true });
    await Promise.resolve();
    expect(text(paused, '.sync-paused')).toBe(STATUS_PAUSED);
    expect($(neverSynced, '.sync-paused')).toBeNull();
    expect($(on, '.sync-paused')).toBeNull();
  });

  it('live updates paused: says so', async () => {
    const element = render({ state: 'synced', syncOn: true, liveUpdatesPaused: true });
    await Promise.resolve();
    expect(text(element, '.live-updates-paused')).toBe(LIVE_UPDATES_OFF);
  });
});
