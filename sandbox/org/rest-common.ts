/** Helpers shared by the REST resource modules. */
import { ApiError, DmlError, dmlToApiError, notFound } from './errors.js';
import type { Org } from './org.js';
import type { RestRequest } from './rest-router.js';
import type { ObjectDef } from './schema-types.js';

/** The object named in a URL, or the platform's 404 for an unknown type. */
export function objectOr404(org: Org, type: string): ObjectDef {
  const obj = org.schema.object(type);
  if (!obj) throw notFound();
  return obj;
}

/** A JSON object request body (records, collections), or 400 as the platform answers malformed input. */
export function bodyObject(req: RestRequest): Record<string, unknown> {
  const b = req.body;
  if (b === null || b === undefined || typeof b !== 'object' || Array.isArray(b)) {
    throw new ApiError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object');
  }
  return b as Record<string, unknown>;
}

/** Runs a record operation and turns record errors into the single-record REST error response. */
export function single<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DmlError) throw dmlToApiError(err);
    throw err;
  }
}

export const recordUrl = (version: string, type: string, id: string): string => `/services/data/v${version}/sobjects/${type}/${id}`;
