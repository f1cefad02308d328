// The console's build (SPEC §10): console/ → dist/console, which the API process serves at /
// (services/http/console.ts). `npm run console:dev` serves it with hot reload and sends /v1 to a
// ledger on :8080 (`npm start`). Build with NODE_ENV=production (`npm run build` does): Vite builds
// for development when NODE_ENV says so (vitest sets "test").
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here("."),
  plugins: [react()],
  build: {
    outDir: here("../dist/console"),
    // Not emptied first: a server already running (the browser tests' servers, while a test runs
    // `npm start`, which builds) keeps finding the files it serves; a rebuild of the same sources
    // writes the same hashed names. Assets of earlier sources stay behind until `rm -rf dist`.
    emptyOutDir: false,
    // services/http/consoleRoutes.ts CONSOLE_ASSETS_PREFIX
    assetsDir: "assets",
    sourcemap: true,
  },
  server: {
    proxy: { "/v1": "http://127.0.0.1:8080" },
  },
});
