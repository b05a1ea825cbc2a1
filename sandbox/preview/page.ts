/**
 * HTML of the preview pages: one component mounted in a Lightning-like page region with SLDS loaded globally
 * (as Lightning Experience does), and an index linking every component, user, language and seeded opportunity.
 */

export interface PageContext {
  component: string;
  lang: string;
  labels: Record<string, string>;
  props: Record<string, unknown>;
  user: { key: string; id: string; username: string; name: string; customPermissions: string[]; isGuest: boolean };
}

export interface PageOptions {
  component: string;
  tagName: string;
  bundleUrl: string;
  context: PageContext;
  /** CSS width of the region (default: the record page sidebar for record components, the full page otherwise). */
  width?: string;
}

export const SLDS_STYLESHEET = '/assets/slds/styles/salesforce-lightning-design-system.min.css';

/** Region widths of the Lightning pages the components are placed on (record page sidebar, app page). */
const DEFAULT_WIDTHS: Record<string, string> = {
  partnerCenterCard: '26rem',
  partnerCenterSolutions: '26rem',
  partnerCenterSetup: '72rem',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const CSS_LENGTH = /^\d+(\.\d+)?(rem|px|%|vw)$/;

export function renderPage(options: PageOptions): string {
  const { context } = options;
  const width = options.width && CSS_LENGTH.test(options.width) ? options.width : (DEFAULT_WIDTHS[options.component] ?? '60rem');
  const htmlLang = context.lang.replace('_', '-');
  const recordId = typeof context.props.recordId === 'string' ? context.props.recordId : '';
  return `<!doctype html>
<html lang="${escapeHtml(htmlLang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.component)} · preview</title>
<link rel="stylesheet" href="${SLDS_STYLESHEET}">
<style>
  html, body { background: #f3f3f3; }
  body { margin: 0; min-height: 100vh; }
  .preview-bar { background: #032d60; color: #fff; padding: 0.5rem 1rem; font-size: 0.75rem; }
  .preview-bar a { color: #fff; text-decoration: underline; }
  .preview-region { width: ${width}; max-width: calc(100vw - 2rem); margin: 1rem; }
</style>
<script>window.__COSELL_PREVIEW__ = ${scriptJson(context)};</script>
<script type="module" src="${escapeHtml(options.bundleUrl)}"></script>
</head>
<body>
<header class="preview-bar" data-preview-bar>
  <a href="/">Preview</a> · ${escapeHtml(options.tagName)} · user ${escapeHtml(context.user.name)} (${escapeHtml(context.user.key)})
  · ${escapeHtml(context.lang)}${recordId ? ` · record ${escapeHtml(recordId)}` : ''}
</header>
<main class="preview-region slds-scope" id="preview-root" data-component="${escapeHtml(options.component)}"></main>
</body>
</html>
`;
}

export interface IndexOptions {
  components: string[];
  users: Array<{ key: string; name: string }>;
  languages: string[];
  opportunities: Array<{ id: string; name: string; status: string }>;
}

/** Components that show one opportunity (placed on the Opportunity record page). */
export const RECORD_COMPONENTS = new Set(['partnerCenterCard', 'partnerCenterSolutions']);

export function renderIndex(options: IndexOptions): string {
  const link = (href: string, text: string) => `<a class="slds-text-link" href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
  const rows: string[] = [];
  for (const component of options.components) {
    const targets = RECORD_COMPONENTS.has(component) ? options.opportunities : [undefined];
    for (const opportunity of targets) {
      const cells = options.users.map((user) => {
        const params = new URLSearchParams({ user: user.key });
        if (opportunity) params.set('recordId', opportunity.id);
        return `<td>${link(`/preview/${component}?${params}`, user.name)}</td>`;
      });
      const what = opportunity ? `${escapeHtml(opportunity.name)} <span class="slds-text-color_weak">(${escapeHtml(opportunity.status)})</span>` : '';
      rows.push(`<tr><th scope="row">${escapeHtml(component)}</th><td>${what}</td>${cells.join('')}</tr>`);
    }
  }
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Partner Center components · preview</title><link rel="stylesheet" href="${SLDS_STYLESHEET}"></head>
<body class="slds-scope slds-p-around_large">
<h1 class="slds-text-heading_large slds-m-bottom_medium">Partner Center components · local preview</h1>
<p class="slds-m-bottom_medium">Each page mounts the component with the Lightning Web Components engine, the Lightning base components and SLDS, reading and writing the local org as the chosen user. Add <code>&amp;lang=</code>${options.languages.map((l) => `<code>${escapeHtml(l)}</code>`).join(', ')} for a translation.</p>
<table class="slds-table slds-table_bordered slds-table_cell-buffer">
<thead><tr><th scope="col">Component</th><th scope="col">Record</th>${options.users.map((u) => `<th scope="col">${escapeHtml(u.name)}</th>`).join('')}</tr></thead>
<tbody>${rows.join('\n')}</tbody>
</table>
</body>
</html>
`;
}
