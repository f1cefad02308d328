// Every error answer has the SPEC's shape: {"error": {"code", "message", "details"}}.
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: unknown[] = [],
    /** Headers the answer carries (WWW-Authenticate on a 401). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export function errorBody(code: string, message: string, details: unknown[] = []) {
  return { error: { code, message, details } };
}

export const notFound = (what: string) => new HttpError(404, "not_found", `${what} is unknown`);
export const badRequest = (message: string, details: unknown[] = []) => new HttpError(400, "invalid_request", message, details);

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (header or URL too large, a
 * malformed request line, a client timeout), answered in the SPEC's shape on the raw socket.
 */
export function clientErrorAnswer(code: string | undefined): string {
  const [status, label, errorCode, message] =
    code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large", "too_large", "the request line or headers exceed the server's limit"]
      : code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", "timeout", "the request took too long to arrive"]
        : [400, "Bad Request", "invalid_request", "the request is not valid HTTP"];
  const body = JSON.stringify(errorBody(errorCode, message));
  return `HTTP/1.1 ${status} ${label}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`;
}
