// Every error answer has the SPEC's shape: {"error": {"code", "message", "details"}}.
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, details: unknown[] = []) {
  return { error: { code, message, details } };
}

export const notFound = (what: string) => new HttpError(404, "not_found", `${what} is unknown`);
export const badRequest = (message: string, details: unknown[] = []) => new HttpError(400, "invalid_request", message, details);
