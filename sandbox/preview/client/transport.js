/**
 * Calls from the platform stand-ins to the preview server, which answers as the running user from the local
 * org's REST API. Failures reject with the shape Lightning Data Service uses for fetch errors:
 * `{ ok: false, status, statusText, body }`.
 */
import { previewContext } from './context';

export const API_BASE = '/api';

function userQuery() {
  return `user=${encodeURIComponent(previewContext().user.key)}`;
}

/** A URL under /api with the running user attached (EventSource cannot send headers). */
export function apiUrl(path, params) {
  const search = new URLSearchParams(params ?? {});
  const query = search.toString();
  return `${API_BASE}${path}?${query ? `${query}&` : ''}${userQuery()}`;
}

export async function request(method, path, options = {}) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (options.body !== undefined) {
    init.body = JSON.stringify(options.body);
    init.headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(apiUrl(path, options.params), init);
  } catch (error) {
    throw { ok: false, status: 0, statusText: 'Network error', body: { message: String(error?.message ?? error) } };
  }
  const text = await response.text();
  let body;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = { message: text };
  }
  if (!response.ok) {
    throw { ok: false, status: response.status, statusText: response.statusText, headers: {}, body };
  }
  return body;
}
