/**
 * The browser preview of the package's Lightning Web Components against the local org:
 *
 *   const org = await startLocalOrg();
 *   const preview = await startPreview({ org });
 *   // open `${preview.url}/preview/partnerCenterCard?recordId=006...&user=seller`
 *   await preview.close();
 *
 * `npx tsx sandbox/preview/cli.ts` starts a seeded local org and the preview and prints the pages' URLs.
 */
import type { AddressInfo } from 'node:net';
import { buildPreviewServer, type PreviewOrg } from './server.js';

export interface PreviewOptions {
  org: PreviewOrg;
  /** 0 (default) lets the OS pick a free port. */
  port?: number;
  host?: string;
  /** Folders holding `c/*` bundles (default: force-app/main/default/lwc). */
  componentDirs?: string[];
}

export interface Preview {
  url: string;
  /** The page mounting `component` (e.g. partnerCenterCard) with these query parameters (recordId, user, lang). */
  pageUrl(component: string, params?: Record<string, string | undefined>): string;
  close(): Promise<void>;
}

export async function startPreview(options: PreviewOptions): Promise<Preview> {
  const app = buildPreviewServer({ org: options.org, componentDirs: options.componentDirs });
  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  let closed = false;
  return {
    url,
    pageUrl(component, params = {}) {
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, value);
      const query = search.toString();
      return `${url}/preview/${component}${query ? `?${query}` : ''}`;
    },
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}

export { tagNameOf, previewableComponents, PLATFORM_STAND_INS } from './bundle.js';
export type { PreviewOrg } from './server.js';
