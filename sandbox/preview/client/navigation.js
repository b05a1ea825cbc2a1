/**
 * Stand-in for `lightning/navigation` ("Navigate to Pages, Records, and Lists", LWC Developer Guide): the mixin adds
 * `[NavigationMixin.Navigate](pageReference, replace)` and `[NavigationMixin.GenerateUrl](pageReference)`. The
 * preview has no Lightning Experience to navigate in, so a navigation is recorded on the page
 * (`window.__COSELL_PREVIEW_NAVIGATIONS__`, for tests) and shown in the preview bar; GenerateUrl answers the
 * Lightning URL the page reference would have.
 */
const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

function lightningUrl(pageReference) {
  const { type, attributes = {} } = pageReference ?? {};
  if (type === 'standard__recordPage') return `/lightning/r/${attributes.objectApiName}/${attributes.recordId}/${attributes.actionName ?? 'view'}`;
  if (type === 'standard__recordRelationshipPage') {
    return `/lightning/r/${attributes.objectApiName}/${attributes.recordId}/related/${attributes.relationshipApiName}/view`;
  }
  if (type === 'standard__objectPage') return `/lightning/o/${attributes.objectApiName}/${attributes.actionName ?? 'home'}`;
  return '/lightning/page/home';
}

function record(pageReference) {
  const list = (globalThis.__COSELL_PREVIEW_NAVIGATIONS__ ??= []);
  list.push(pageReference);
  const bar = globalThis.document?.querySelector('[data-preview-bar]');
  if (bar) bar.setAttribute('data-last-navigation', lightningUrl(pageReference));
}

export const NavigationMixin = (Base) =>
  class extends Base {
    [Navigate](pageReference) {
      record(pageReference);
    }

    [GenerateUrl](pageReference) {
      return Promise.resolve(lightningUrl(pageReference));
    }
  };
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;
