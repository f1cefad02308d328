// `ledger --version` reads the version at run time from the package.json above the running module:
// one level up from the sources (services/), two from the build (dist/services/).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { packageVersion } from "../../services/cli/packageVersion.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-version-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const moduleUrl = (...parts: string[]) => pathToFileURL(path.join(dir, ...parts)).href;

describe("packageVersion", () => {
  it("from the sources: the repository's package.json", () => {
    const { version } = JSON.parse(fs.readFileSync("package.json", "utf8")) as { version: string };
    expect(packageVersion()).toBe(version);
  });

  it("from the build: dist/services/cli.js finds the package.json two levels up", () => {
    fs.mkdirSync(path.join(dir, "pkg", "dist", "services"), { recursive: true });
    fs.writeFileSync(path.join(dir, "pkg", "package.json"), JSON.stringify({ name: "commission-ledger", version: "9.8.7" }));
    expect(packageVersion(moduleUrl("pkg", "dist", "services", "cli.js"))).toBe("9.8.7");
  });

  it("a package.json without a version, or none close enough, is an error naming where it looked", () => {
    fs.mkdirSync(path.join(dir, "noversion", "services"), { recursive: true });
    fs.writeFileSync(path.join(dir, "noversion", "package.json"), "{}");
    expect(() => packageVersion(moduleUrl("noversion", "services", "cli.js"))).toThrow(
      `${path.join(dir, "noversion", "package.json")} has no "version"`,
    );
    const deep = path.join(dir, "none", "a", "b", "c", "d");
    fs.mkdirSync(deep, { recursive: true });
    expect(() => packageVersion(moduleUrl("none", "a", "b", "c", "d", "cli.js"))).toThrow(
      `no package.json in ${deep} or the 3 directories above it`,
    );
  });
});
