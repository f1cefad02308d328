// The package's version for `ledger --version`, read at run time from the package.json above the
// running module (services/cli.ts passes its own URL), so it is right from the TypeScript sources
// (services/, package root 1 level up) and from the build (dist/services/, 2 levels up) without
// copying the version anywhere.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** How many directories above the module's own a package.json is looked for (the build adds one). */
const PACKAGE_JSON_LEVELS_MAX = 3;

/** The version of the nearest package.json at or above the directory of `moduleUrl` (default: this module). */
export function packageVersion(moduleUrl: string = import.meta.url): string {
  const start = path.dirname(fileURLToPath(moduleUrl));
  for (let level = 0, dir = start; level <= PACKAGE_JSON_LEVELS_MAX; level += 1, dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (!fs.existsSync(file)) continue;
    const version = (JSON.parse(fs.readFileSync(file, "utf8")) as { version?: unknown }).version;
    if (typeof version !== "string" || version === "") throw new Error(`${file} has no "version"`);
    return version;
  }
  throw new Error(`no package.json in ${start} or the ${PACKAGE_JSON_LEVELS_MAX} directories above it`);
}
