/**
 * Partner Center's error body, as documented for the Partner REST API ("Partner API REST error codes",
 * MicrosoftDocs/partner-rest develop/error-codes.md): a single `error` object with `code`, `message`,
 * optional `target` and `innerError`.
 */
export interface PartnerCenterErrorBody {
  error: { code: string; message: string; target?: string; innerError?: { code: string; message: string } };
}

/** Thrown inside emulator handlers; the error handler turns it into the documented body and status. */
export class EmulatorHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly target?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'EmulatorHttpError';
  }

  toBody(): PartnerCenterErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.target ? { target: this.target } : {}) } };
  }
}

export const invalidRequest = (message: string, target?: string) => new EmulatorHttpError(400, 'invalidRequest', message, target);
export const notFound = (message: string) => new EmulatorHttpError(404, 'itemNotFound', message);
export const preconditionFailed = (message: string) => new EmulatorHttpError(412, 'preconditionFailed', message);
