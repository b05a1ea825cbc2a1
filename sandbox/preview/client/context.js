/**
 * What the preview page knows about the running user and language (the platform's `@salesforce/user/*`,
 * `@salesforce/customPermission/*` and `@salesforce/label/*` values). The preview server writes it into the page as
 * `window.__COSELL_PREVIEW__` before the component's bundle loads.
 */

/** @returns {{ labels: Record<string, string>, lang: string, user: { key: string, id: string, username: string, name: string, customPermissions: string[], isGuest: boolean }, component: string, props: Record<string, unknown> }} */
export function previewContext() {
  const context = globalThis.__COSELL_PREVIEW__;
  if (!context) throw new Error('preview context missing: the page must define window.__COSELL_PREVIEW__');
  return context;
}

/** `@salesforce/label/c.<name>` in the page's language (English when the label has no translation). */
export function label(name) {
  const value = previewContext().labels[name];
  if (typeof value !== 'string') throw new Error(`custom label ${name} was not sent to the page`);
  return value;
}

/** `@salesforce/customPermission/<name>`: true when the user holds it, undefined otherwise (as on the platform). */
export function hasCustomPermission(name) {
  return previewContext().user.customPermissions.includes(name) ? true : undefined;
}

/** `@salesforce/user/Id` and `@salesforce/user/isGuest`. */
export function userProperty(property) {
  const user = previewContext().user;
  if (property === 'Id') return user.id;
  if (property === 'isGuest') return user.isGuest === true;
  throw new Error(`@salesforce/user/${property} is not provided by the preview (Id and isGuest are)`);
}
