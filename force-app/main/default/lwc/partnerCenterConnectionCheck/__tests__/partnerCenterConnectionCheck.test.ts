import { createElement } from 'lwc';
import PartnerCenterConnectionCheck from 'c/partnerCenterConnectionCheck';
import { NAMESPACE_PREFIX } from 'c/partnerCenterUtils';
import STATUS_PASS from '@salesforce/label/c.PC_Setup_Status_Ok';
import STATUS_FAIL from '@salesforce/label/c.PC_Setup_Status_Missing';
import STATUS_UNKNOWN from '@salesforce/label/c.PC_Setup_Status_Unknown';
import REGISTERED from '@salesforce/label/c.PC_Setup_Registered';
import REGISTER_FAILED from '@salesforce/label/c.PC_Setup_Register_Failed';
import FLOW_FAILED from '@salesforce/label/c.PC_Setup_Conn_Flow_Failed';

interface Toast {
  title: string;
  message: string;
  variant: string;
}

const SIGNED_IN = {
  reached: true,
  responseCode: 200,
  connectorVersion: '0.1.0',
  partnerCenterState: 'signed-in',
  partnerCenterSignedIn: true,
  partnerCenterMessage: 'Signed in to Partner Center.',
  webhookRegistered: true,
  webhookUrl: 'https://old.example.com/hook',
  webhookEvents: 'a,b,c,d',
  webhookMatches: false,
  expectedWebhookUrl: 'https://cosell.example.com/v1/webhooks/partner-center',
  checkedAt: '2026-12-07T10:00:00.000Z',
  failureMessage: null,
};

/** lightning-flow's outputVariables: one entry per output variable of the flow. */
const outputs = (values: Record<string, unknown>) => Object.entries(values).map(([name, value]) => ({ name, value, dataType: 'String', isCollection: false }));

let toasts: Toast[];
let changes: Array<{ namedCredential: string }>;

const flush = (): Promise<void> => Promise.resolve().then(() => Promise.resolve()).then(() => Promise.resolve());

async function render(): Promise<HTMLElement> {
  const element = createElement('c-partner-center-connection-check', { is: PartnerCenterConnectionCheck });
  element.addEventListener('lightning__showtoast', (event) => toasts.push((event as CustomEvent<Toast>).detail));
  element.addEventListener('connectionchange', (event) => changes.push((event as CustomEvent<{ namedCredential: string }>).detail));
  document.body.appendChild(element);
  await flush();
  return element;
}

const $ = (element: HTMLElement, selector: string) => element.shadowRoot?.querySelector(selector) as (HTMLElement & Record<string, unknown>) | null;
const flow = (element: HTMLElement) => $(element, 'lightning-flow');
const state = (element: HTMLElement, key: string) => $(element, `.check[data-key="${key}"]`)?.dataset.state;
const detail = (element: HTMLElement, key: string) => $(element, `.check[data-key="${key}"] .check-detail`)?.textContent;
const status = (element: HTMLElement, key: string) => $(element, `.check[data-key="${key}"] .check-status`)?.textContent;

async function finish(element: HTMLElement, values: Record<string, unknown>, flowStatus = 'FINISHED'): Promise<void> {
  flow(element)!.dispatchEvent(new CustomEvent('statuschange', { detail: { status: flowStatus, outputVariables: outputs(values) } }));
  await flush();
}

describe('c-partner-center-connection-check', () => {
  beforeEach(() => {
    toasts = [];
    changes = [];
  });
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('runs the connection check flow (read-only) as the page opens, and says Not checked until it answers', async () => {
    const element = await render();
    expect(flow(element)?.flowApiName).toBe(`${NAMESPACE_PREFIX}Partner_Center_Connection_Check`);
    expect(flow(element)?.flowInputVariables).toEqual([{ name: 'action', type: 'String', value: 'check' }]);
    expect(status(element, 'reach')).toBe(STATUS_UNKNOWN);
    expect(($(element, '.register-button') as Record<string, unknown>).disabled).toBe(true);
  });

  it('shows the version, the sign-in and a registration that points elsewhere as pass, pass, fail', async () => {
    const element = await render();
    await finish(element, SIGNED_IN);
    expect(flow(element)).toBeNull();
    expect([state(element, 'reach'), state(element, 'partnerCenter'), state(element, 'webhooks')]).toEqual(['ok', 'ok', 'missing']);
    expect(status(element, 'webhooks')).toBe(STATUS_FAIL);
    expect(status(element, 'reach')).toBe(STATUS_PASS);
    expect(detail(element, 'reach')).toContain('0.1.0');
    expect(detail(element, 'webhooks')).toContain('https://old.example.com/hook');
    expect(detail(element, 'webhooks')).toContain('https://cosell.example.com/v1/webhooks/partner-center');
    expect(changes).toEqual([expect.objectContaining({ namedCredential: 'ok' })]);
    await expect(element).toBeAccessible();
  });

  it('Register Partner Center webhooks runs the flow with action register and confirms', async () => {
    const element = await render();
    await finish(element, SIGNED_IN);
    ($(element, '.register-button') as HTMLElement).click();
    await flush();
    expect(flow(element)?.flowInputVariables).toEqual([{ name: 'action', type: 'String', value: 'register' }]);
    await finish(element, { ...SIGNED_IN, webhookUrl: SIGNED_IN.expectedWebhookUrl, webhookMatches: true });
    expect(state(element, 'webhooks')).toBe('ok');
    expect(toasts).toEqual([expect.objectContaining({ title: REGISTERED, variant: 'success' })]);
  });

  it('a refused registration is an error toast with the reason', async () => {
    const element = await render();
    await finish(element, SIGNED_IN);
    ($(element, '.register-button') as HTMLElement).click();
    await flush();
    await finish(element, { ...SIGNED_IN, partnerCenterMessage: 'The webhooks were not registered: Partner Center refused the call.' });
    expect(toasts).toEqual([expect.objectContaining({ title: REGISTER_FAILED, message: 'The webhooks were not registered: Partner Center refused the call.', variant: 'error' })]);
  });

  it('a connector that is not signed in: Partner Center fails with its message, the registration cannot be read, no Register', async () => {
    const element = await render();
    await finish(element, {
      ...SIGNED_IN,
      partnerCenterState: 'signed-out',
      partnerCenterSignedIn: false,
      partnerCenterMessage: 'Sign in again: run `cosell partner-center login`.',
      webhookRegistered: false,
    });
    expect(state(element, 'partnerCenter')).toBe('missing');
    expect(detail(element, 'partnerCenter')).toContain('cosell partner-center login');
    expect(state(element, 'webhooks')).toBe('unknown');
    expect(($(element, '.register-button') as Record<string, unknown>).disabled).toBe(true);
  });

  it('a callout that failed points at the named credential URL; a 401 at the shared secret', async () => {
    const element = await render();
    await finish(element, { reached: false, responseCode: null, failureMessage: 'Unable to tunnel through proxy.' });
    expect(state(element, 'reach')).toBe('missing');
    expect(detail(element, 'reach')).toContain('Unable to tunnel through proxy.');
    expect(detail(element, 'reach')).toContain('Partner_Center_Connector');
    expect(changes.at(-1)?.namedCredential).toBe('missing');

    ($(element, '.test-button') as HTMLElement).click();
    await flush();
    await finish(element, { reached: false, responseCode: 401, failureMessage: 'The connector answered HTTP 401' });
    expect(detail(element, 'reach')).toContain('401');
    expect(detail(element, 'reach')).toContain('external credential');
    expect(changes.at(-1)?.namedCredential).toBe('ok');
  });

  it('a flow that cannot run says to ask for the admin permission set', async () => {
    const element = await render();
    flow(element)!.dispatchEvent(new CustomEvent('statuschange', { detail: { status: 'ERROR' } }));
    await flush();
    expect(detail(element, 'reach')).toBe(FLOW_FAILED);
    expect(changes.at(-1)?.namedCredential).toBe('unknown');
  });
});
