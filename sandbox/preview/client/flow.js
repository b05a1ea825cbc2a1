/**
 * Stand-in for the platform's lightning-flow (lightning-base-components has none: it needs the platform's flow
 * runtime). It starts the named flow with its input variables once rendered, as lightning-flow does, and reports
 * the interview like lightning-flow's `statuschange` event: `{ status: 'FINISHED', outputVariables }` or
 * `{ status: 'ERROR' }`. The preview server runs the flow's equivalent in the local org as the page user. Screens
 * are not drawn: the package's only page flow has none.
 */
import { LightningElement, api } from 'lwc';
import { request } from './transport';

export default class Flow extends LightningElement {
  @api flowApiName;
  @api flowInputVariables;
  @api flowFinishBehavior;
  @api flowInterviewId;
  started = false;

  connectedCallback() {
    if (this.started) return;
    this.started = true;
    this.run(this.flowApiName, this.flowInputVariables);
  }

  @api startFlow(flowApiName, inputVariables) {
    this.run(flowApiName, inputVariables);
  }

  @api resumeFlow() {}

  async run(flowApiName, inputVariables) {
    let detail;
    try {
      detail = await request('POST', `/flows/${encodeURIComponent(flowApiName)}`, { body: { inputs: inputVariables ?? [] } });
    } catch {
      detail = { status: 'ERROR' };
    }
    this.dispatchEvent(new CustomEvent('statuschange', { detail }));
  }
}
