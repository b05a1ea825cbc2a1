/** User-interaction helpers shared by the Partner Center components: confirmation dialogs and toasts. */
import LightningConfirm from 'lightning/confirm';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';

export interface ConfirmOptions {
  /** Header text of the dialog (also its accessible name). */
  label: string;
  /** The question. */
  message: string;
  theme?: 'default' | 'warning' | 'error' | 'info' | 'success';
}

/** The static `open()` LightningConfirm has at run time; @salesforce/lightning-types only declares the instance. */
interface ConfirmOpener {
  open(options: ConfirmOptions & { variant: 'header' }): Promise<boolean>;
}

/** Opens the platform's confirm dialog and resolves to true only when the user chose OK. */
export async function confirmAction(options: ConfirmOptions): Promise<boolean> {
  const opener = LightningConfirm as unknown as ConfirmOpener;
  const result = await opener.open({ variant: 'header', theme: 'default', ...options });
  return result === true;
}

export type ToastVariant = 'info' | 'success' | 'warning' | 'error';

/** Shows a toast from the given component (or any element inside it). */
export function showToast(source: EventTarget, title: string, message: string, variant: ToastVariant): void {
  source.dispatchEvent(new ShowToastEvent({ title, message, variant }));
}
