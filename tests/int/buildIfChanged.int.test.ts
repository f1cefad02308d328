// `npm start` builds only when the sources changed (issue 22.9a): bin/build-if-changed.mjs, run in
// a scratch copy of the repository's layout whose `npm run build` only counts its runs and writes
// the files `serve` needs. A build happens when dist/ is missing or its stamp is not the sources'
// hash; not when nothing changed, nor when only a file's mtime did.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/serverChild.ts";

const BUILD_SCRIPT =
  "node -e \"const fs=require('fs');fs.appendFileSync('builds','x');fs.mkdirSync('dist/services',{recursive:true});fs.mkdirSync('dist/console',{recursive:true});" +
  "fs.writeFileSync('dist/services/cli.js','');fs.writeFileSync('dist/console/index.html','')\"";

describe("bin/build-if-changed.mjs", () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-build-if-changed-"));
    fs.mkdirSync(path.join(root, "bin"));
    fs.copyFileSync(path.join(REPO_ROOT, "bin/build-if-changed.mjs"), path.join(root, "bin/build-if-changed.mjs"));
    fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "scratch", private: true, scripts: { build: BUILD_SCRIPT } }));
    for (const dir of ["domain", "services/http", "console/src"]) fs.mkdirSync(path.join(root, dir), { recursive: true });
    fs.writeFileSync(path.join(root, "domain/money.ts"), "export const a = 1;\n");
    fs.writeFileSync(path.join(root, "services/http/app.ts"), "export const b = 2;\n");
    fs.writeFileSync(path.join(root, "console/src/main.tsx"), "export const c = 3;\n");
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  /** Runs the script; what it said and how many builds have run so far. */
  function start() {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("npm_")));
    const result = spawnSync(process.execPath, ["bin/build-if-changed.mjs"], { cwd: root, encoding: "utf8", env, timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    const builds = fs.existsSync(path.join(root, "builds")) ? fs.readFileSync(path.join(root, "builds"), "utf8").length : 0;
    return { said: result.stderr.trim(), builds };
  }

  it("builds the first time, then not again until a source's content changes", () => {
    expect(start()).toEqual({ said: "build: dist/services/cli.js is missing; running npm run build", builds: 1 });
    expect(start()).toEqual({ said: "build: dist/ is up to date with the sources (dist/.build-stamp); not rebuilding", builds: 1 });
    // A newer mtime alone (a checkout, an editor's save without a change) is no change.
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, "domain/money.ts"), later, later);
    expect(start().builds).toBe(1);
    fs.writeFileSync(path.join(root, "console/src/main.tsx"), "export const c = 4;\n");
    expect(start()).toEqual({ said: "build: the sources changed since the last build; running npm run build", builds: 2 });
    expect(start().builds).toBe(2);
  });

  it("builds again when a source file is added or deleted, or dist/ is gone", () => {
    const before = start().builds;
    fs.writeFileSync(path.join(root, "services/http/new.ts"), "export {};\n");
    expect(start().builds).toBe(before + 1);
    fs.rmSync(path.join(root, "services/http/new.ts"));
    expect(start().builds).toBe(before + 2);
    fs.rmSync(path.join(root, "dist"), { recursive: true });
    expect(start()).toEqual({ said: "build: dist/services/cli.js is missing; running npm run build", builds: before + 3 });
  });

  it("a failed build writes no stamp, so the next start builds again", () => {
    const before = start().builds;
    fs.writeFileSync(path.join(root, "domain/money.ts"), "export const a = 5;\n");
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: { build: string } };
    fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ ...pkg, scripts: { build: "exit 3" } }));
    const failed = spawnSync(process.execPath, ["bin/build-if-changed.mjs"], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(failed.status).toBe(3);
    fs.writeFileSync(path.join(root, "package.json"), JSON.stringify(pkg));
    expect(start()).toEqual({ said: "build: the sources changed since the last build; running npm run build", builds: before + 1 });
  });
});
