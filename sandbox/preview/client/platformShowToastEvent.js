/**
 * Stand-in for `lightning/platformShowToastEvent`. As on the platform, the event bubbles out of the component and
 * the page (here the preview shell) shows the toast; the shell renders it with the real `lightning/toast`.
 */
export class ShowToastEvent extends CustomEvent {
  constructor(toast) {
    super('lightning__showtoast', { bubbles: true, composed: true, cancelable: true, detail: toast });
  }
}
