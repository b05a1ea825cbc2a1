/**
 * The preview page's shell: mounts the component the way a Lightning page does (a custom element with its public
 * properties set, e.g. recordId on a record page) and plays the page's part for platform toasts, which it shows
 * with the real `lightning/toast` (Lightning base components). Keeps a log of toasts and uncaught errors on
 * `window.__cosellPreview` so a test can read them.
 */
import { createElement } from 'lwc';
import Toast from 'lightning/toast';
import ToastContainer from 'lightning/toastContainer';
import { previewContext } from './context';

const state = {
  mounted: false,
  toasts: [],
  errors: [],
};
globalThis.__cosellPreview = state;

window.addEventListener('error', (event) => {
  state.errors.push(String(event.error?.stack ?? event.message));
});
window.addEventListener('unhandledrejection', (event) => {
  const reason = event.reason;
  state.errors.push(String(reason?.stack ?? (typeof reason === 'object' ? JSON.stringify(reason) : reason)));
});

/** Platform toasts (lightning/platformShowToastEvent) carry { title, message, variant, mode }. */
function bridgeToasts(root) {
  root.addEventListener('lightning__showtoast', (event) => {
    const detail = event.detail ?? {};
    // The base components' own toast events (Toast.show) carry the toast class: let those through.
    if (detail.toast) return;
    event.stopPropagation();
    const record = {
      title: detail.title ?? '',
      message: detail.message ?? '',
      variant: detail.variant ?? 'info',
      mode: detail.mode ?? 'dismissible',
    };
    state.toasts.push(record);
    Toast.show(
      {
        label: record.title,
        message: record.message,
        variant: record.variant,
        // Sticky in the preview so a screenshot or a person can still read it; the platform's default is dismissible.
        mode: 'sticky',
      },
      root
    );
  });
}

export function mountPreview(Component, tagName) {
  const context = previewContext();
  const root = document.getElementById('preview-root');
  // Toasts in the page's top-right corner, clear of a record page's sidebar where the card sits.
  ToastContainer.instance({ toastPosition: 'top-right' });
  bridgeToasts(root);
  const element = createElement(tagName, { is: Component });
  for (const [name, value] of Object.entries(context.props ?? {})) element[name] = value;
  root.appendChild(element);
  state.mounted = true;
  document.documentElement.dataset.previewMounted = 'true';
}
