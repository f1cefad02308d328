// The console (SPEC §10): the browser build of console/ (dist/console, `npm run build`) served by the
// API process on the same port. Its pages are the paths of consoleRoutes.ts, each answered with
// index.html (the console's router renders the page); its files are the build's hashed assets. It
// reads only /v1, so it needs no token to load: the page asks for one and sends it to /v1.
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { errorBody } from "./errors.ts";
import { CONSOLE_ASSETS_PREFIX, CONSOLE_NOT_FOUND_PATTERN, CONSOLE_PAGES, isPageRequest } from "./consoleRoutes.ts";

/** The build's files have content hashes in their names: they never change under one name. */
const ASSET_MAX_AGE = "365d";

/**
 * What a console page may load: only its own files and the /v1 API of this origin. Inline styles
 * are the chart's (uPlot sizes its canvas with style attributes).
 */
const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  // index.html names the current hashed files: always ask again.
  "cache-control": "no-cache",
};

/**
 * dist/console: beside the compiled server (dist/services/http → dist/console) or, when the
 * TypeScript runs through tsx (services/http, the tests), under the repository's dist/.
 */
export function consoleDir(): string {
  const up = fileURLToPath(new URL("../..", import.meta.url));
  return fs.existsSync(path.join(up, "package.json")) ? path.join(up, "dist", "console") : path.join(up, "console");
}

export async function registerConsole(app: FastifyInstance, dir = consoleDir()): Promise<void> {
  const pages = Object.values(CONSOLE_PAGES);
  if (!fs.existsSync(path.join(dir, "index.html"))) {
    // Running from source without a build (tests, `npm run ledger serve`): say how to get one.
    for (const page of pages) {
      app.get(page, async (_request, reply) =>
        reply.code(404).send(errorBody("not_found", "the console is not built: run `npm run build` (or `npm start`, which builds it)")),
      );
    }
    return;
  }
  await app.register(fastifyStatic, { root: dir, serve: false });
  for (const page of pages) {
    app.get(page, async (_request, reply) => reply.headers(PAGE_HEADERS).sendFile("index.html", { cacheControl: false }));
  }
  // Any other page a browser opens: index.html as a 404, so the console shows its not-found page. A
  // route constraint (not a check in the handler) keeps every other request unmatched, as before:
  // the API's JSON 404, its 401 without a token, its "unmatched" label in the access log.
  app.addConstraintStrategy({
    name: "consolePage",
    storage() {
      const handlers = new Map();
      return {
        get: (value) => handlers.get(value) ?? null,
        set: (value, handler) => void handlers.set(value, handler),
      };
    },
    deriveConstraint: (request) => (isPageRequest(request.url ?? "", String(request.headers.accept ?? "")) ? "page" : "other"),
    mustMatchWhenDerived: false,
  });
  app.get(CONSOLE_NOT_FOUND_PATTERN, { constraints: { consolePage: "page" } }, async (_request, reply) =>
    reply.code(404).headers(PAGE_HEADERS).sendFile("index.html", { cacheControl: false }),
  );
  app.get(`${CONSOLE_ASSETS_PREFIX}*`, async (request, reply) => {
    const file = path.posix.normalize((request.params as { "*": string })["*"]);
    // Only files inside the build: a path that climbs out of it is a 404 like any unknown path.
    if (file.startsWith("..") || path.posix.isAbsolute(file)) return reply.callNotFound();
    return reply
      .header("x-content-type-options", "nosniff")
      .sendFile(`${CONSOLE_ASSETS_PREFIX.slice(1)}${file}`, { maxAge: ASSET_MAX_AGE, immutable: true });
  });
}
