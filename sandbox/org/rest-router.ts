/**
 * Routing for the REST resources under /services/data/vXX.X. It is synchronous and in-process so that /composite
 * can run its subrequests through exactly the same handlers, inside one transaction when allOrNone is set.
 */
import type { Actor } from './automation.js';
import { ApiError } from './errors.js';

export interface RestRequest {
  method: string;
  /** Path below the version, e.g. `/sobjects/Account/001...`. */
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string | undefined>;
  /** API version without the "v", e.g. "64.0". */
  version: string;
  actor: Actor;
}

export interface RestResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RestHandler = (req: RestRequest, params: Record<string, string>) => RestResponse;

interface Route {
  method: string;
  pattern: string;
  segments: string[];
  handler: RestHandler;
}

export class RestRouter {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: RestHandler): this {
    this.routes.push({ method, pattern, segments: split(pattern), handler });
    return this;
  }

  /** Runs the matching handler and returns its response. */
  dispatch(req: RestRequest): RestResponse {
    return this.resolve(req).run();
  }

  /**
   * Finds the handler for a request without running it, so the caller can count the call by route even when the
   * handler then fails.
   */
  resolve(req: RestRequest): { route: string; run: () => RestResponse } {
    const parts = split(req.path).map(decodeURIComponent);
    const candidates = this.routes
      .map((route) => ({ route, params: match(route.segments, parts) }))
      .filter((c): c is { route: Route; params: Record<string, string> } => c.params !== null)
      .sort((a, b) => specificity(b.route.segments) - specificity(a.route.segments));
    if (candidates.length === 0) throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    const best = specificity(candidates[0].route.segments);
    const sameShape = candidates.filter((c) => specificity(c.route.segments) === best);
    const hit = sameShape.find((c) => c.route.method === req.method);
    if (!hit) {
      const allowed = [...new Set(sameShape.map((c) => c.route.method))].sort().join(',');
      throw new ApiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${req.method}' not allowed. Allowed are ${allowed}`);
    }
    return { route: `${req.method} /services/data/vXX.X${hit.route.pattern}`, run: () => hit.route.handler(req, hit.params) };
  }
}

const split = (path: string): string[] => path.split('/').filter((s) => s.length > 0);

function match(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(':')) params[pattern[i].slice(1)] = parts[i];
    else if (pattern[i].toLowerCase() !== parts[i].toLowerCase()) return null;
  }
  return params;
}

/** Literal segments outrank parameters, earlier positions first (so /sobjects/:type/describe beats /:type/:id). */
function specificity(segments: string[]): number {
  return segments.reduce((score, s, i) => score + (s.startsWith(':') ? 0 : 2 ** (10 - i)), 0);
}
