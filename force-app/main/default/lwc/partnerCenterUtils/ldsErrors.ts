/**
 * Turns the error shapes Lightning Data Service, the GraphQL wire adapter and JavaScript produce into plain
 * messages a person can read (after lwc-recipes' ldsUtils.reduceErrors).
 */

interface MessageHolder {
  message?: unknown;
}

interface ErrorOutput {
  errors?: MessageHolder[];
  fieldErrors?: Record<string, MessageHolder[]>;
}

interface ErrorBody extends MessageHolder {
  output?: ErrorOutput;
}

interface ErrorLike extends MessageHolder {
  body?: ErrorBody | ErrorBody[];
  statusText?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function messagesFromBody(body: ErrorBody): string[] {
  const messages: string[] = [];
  const output = body.output;
  if (output) {
    for (const entry of output.errors ?? []) {
      const message = text(entry?.message);
      if (message) messages.push(message);
    }
    for (const entries of Object.values(output.fieldErrors ?? {})) {
      for (const entry of entries ?? []) {
        const message = text(entry?.message);
        if (message) messages.push(message);
      }
    }
  }
  if (messages.length === 0) {
    const message = text(body.message);
    if (message) messages.push(message);
  }
  return messages;
}

function messagesFromError(error: unknown): string[] {
  if (typeof error === 'string') return text(error) ? [error] : [];
  if (!isObject(error)) return [];
  const candidate = error as ErrorLike;
  if (Array.isArray(candidate.body)) {
    return candidate.body.flatMap((body) => (isObject(body) ? messagesFromBody(body) : []));
  }
  if (isObject(candidate.body)) {
    const messages = messagesFromBody(candidate.body);
    if (messages.length > 0) return messages;
  }
  const message = text(candidate.message);
  if (message) return [message];
  const statusText = text(candidate.statusText);
  return statusText ? [statusText] : [];
}

/**
 * Reduces one or more errors to a list of distinct, non-empty messages.
 * Accepts UI API read errors (`body` is an array), UI API write errors (`body.output.errors` /
 * `body.output.fieldErrors`), network errors (`body.message`), GraphQL errors (`{ message }`), `Error` objects
 * and strings.
 */
export function reduceErrors(errors: unknown): string[] {
  const list = Array.isArray(errors) ? errors : [errors];
  const messages = list.filter((error) => error !== null && error !== undefined).flatMap(messagesFromError);
  return [...new Set(messages)];
}
