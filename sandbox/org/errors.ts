/**
 * Salesforce's error shapes. The REST API answers a failed call with `[{message, errorCode, fields?}]`; a failed
 * record inside a collection or save result carries `{statusCode, message, fields}` instead.
 */

export interface SfError {
  errorCode: string;
  message: string;
  /** Present on record (DML) errors, absent on protocol errors such as INVALID_SESSION_ID. */
  fields?: string[];
}

/** A failure of a whole API call: an HTTP status plus one or more Salesforce errors. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly errors: SfError[];

  constructor(statusCode: number, errorCode: string, message: string, fields?: string[]) {
    super(message);
    this.statusCode = statusCode;
    this.errors = [fields === undefined ? { message, errorCode } : { message, errorCode, fields }];
  }

  get errorCode(): string {
    return this.errors[0].errorCode;
  }

  /** The JSON body Salesforce sends with the status. */
  body(): SfError[] {
    return this.errors.map((e) => ({ ...e }));
  }
}

/** A record could not be saved; carries the record-level errors (always with `fields`). */
export class DmlError extends Error {
  readonly errors: Required<SfError>[];

  constructor(errorCode: string, message: string, fields: string[] = []) {
    super(message);
    this.errors = [{ errorCode, message, fields }];
  }

  /** Several errors for one record, e.g. two validation rules failing at once. */
  static of(errors: Required<SfError>[]): DmlError {
    const err = new DmlError(errors[0].errorCode, errors[0].message, errors[0].fields);
    err.errors.splice(0, 1, ...errors);
    return err;
  }

  get errorCode(): string {
    return this.errors[0].errorCode;
  }
}

export const notFound = (message = 'The requested resource does not exist'): ApiError =>
  new ApiError(404, 'NOT_FOUND', message);

export const invalidSession = (): ApiError => new ApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

export const malformedQuery = (message: string): ApiError => new ApiError(400, 'MALFORMED_QUERY', message);

export const jsonParserError = (message: string): ApiError => new ApiError(400, 'JSON_PARSER_ERROR', message);

/** An upsert's external id matched several records: REST answers 300 with their URLs. */
export class MultipleMatchError extends DmlError {
  readonly ids: string[];

  constructor(ids: string[]) {
    super('DUPLICATE_EXTERNAL_ID', `more than one record found for external id field: [${ids.join(', ')}]`);
    this.ids = ids;
  }
}

/** Record errors as the REST API returns them for a single-record call: `[{message, errorCode, fields}]`. */
export function dmlToApiError(err: DmlError, status = 400): ApiError {
  const api = new ApiError(status, err.errors[0].errorCode, err.errors[0].message, err.errors[0].fields);
  api.errors.splice(0, 1, ...err.errors.map((e) => ({ ...e })));
  return api;
}

/** Record errors as a save result inside a collection response: `{statusCode, message, fields}`. */
export function toCollectionErrors(errors: Required<SfError>[]): { statusCode: string; message: string; fields: string[] }[] {
  return errors.map((e) => ({ statusCode: e.errorCode, message: e.message, fields: e.fields }));
}
