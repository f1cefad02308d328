#!/usr/bin/env node
// `npm start` builds only when the sources changed since the last successful build (issue 22.9a):
// `npm run build` (tsc, then Vite) is most of a start's time, so a start with nothing changed
// starts from dist/ (docs/scaling.md has the times). The sources are hashed (paths and contents),
// not compared by mtime, so a checkout that resets mtimes, a deleted file or a file moved back in
// time is still seen as a change. The stamp lives in dist/, so `rm -rf dist` forces a build;
// `npm run build` always builds.
// Plain JavaScript so it runs before anything is compiled.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
/** What `npm run build` reads: tsconfig.build.json's folders, the console (with its Vite config), the configs, the dependencies. */
const SOURCES = [
  "domain",
  "infra",
  "projections",
  "services",
  "workload",
  "console",
  "tests/bench",
  "tsconfig.json",
  "tsconfig.build.json",
  "package.json",
  "package-lock.json",
];
/** What the build writes and `serve` needs: without them a stamp alone proves nothing. */
const OUTPUTS = ["dist/services/cli.js", "dist/console/index.html"];
const STAMP = "dist/.build-stamp";

/** Every file below `relative` (or the file itself), as sorted relative paths. */
function filesOf(relative) {
  const absolute = path.join(ROOT, relative);
  const stat = fs.statSync(absolute, { throwIfNoEntry: false });
  if (stat === undefined) return [];
  if (!stat.isDirectory()) return [relative];
  return fs
    .readdirSync(absolute)
    .sort()
    .flatMap((name) => filesOf(path.join(relative, name)));
}

/** One hash of every source file's path and content. */
function sourcesHash() {
  const hash = createHash("sha256");
  for (const file of SOURCES.flatMap(filesOf)) {
    hash.update(`${file}\0`);
    hash.update(fs.readFileSync(path.join(ROOT, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/** Why a build is needed, or null when dist/ was built from exactly these sources. */
function buildReason(hash) {
  const missing = OUTPUTS.find((file) => !fs.existsSync(path.join(ROOT, file)));
  if (missing !== undefined) return `${missing} is missing`;
  const stampFile = path.join(ROOT, STAMP);
  if (!fs.existsSync(stampFile)) return "no record of an earlier build";
  return fs.readFileSync(stampFile, "utf8").trim() === hash ? null : "the sources changed since the last build";
}

// Hashed before the build: a source edited while it runs makes the next start build again.
const hash = sourcesHash();
const reason = buildReason(hash);
if (reason === null) {
  process.stderr.write(`build: dist/ is up to date with the sources (${STAMP}); not rebuilding\n`);
} else {
  process.stderr.write(`build: ${reason}; running npm run build\n`);
  const build = spawnSync("npm", ["run", "-s", "build"], { cwd: ROOT, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
  fs.writeFileSync(path.join(ROOT, STAMP), `${hash}\n`);
}
