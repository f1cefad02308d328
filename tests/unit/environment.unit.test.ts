// One table of environment variables (services/config.ts ENVIRONMENT_VARIABLES) feeds `ledger
// serve --help` and README's "Running it" table; these tests keep it equal to what loadConfig does.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { ENVIRONMENT_VARIABLES, loadConfig } from "../../services/config.ts";

/** The configurations whose variables differ: embedded, PostgreSQL, KurrentDB (docs/production.md). */
const BASES: readonly Record<string, string>[] = [
  {},
  { LEDGER_STORE: "postgres", LEDGER_READ_MODELS: "postgres" },
  { LEDGER_STORE: "kurrent" },
];
const KURRENT_STORE_URL_DEFAULT = "esdb://127.0.0.1:2113?tls=false";
const tableDefault = (name: string) => ENVIRONMENT_VARIABLES.find((v) => v.name === name)!.default;

/** The variables loadConfig reads from `base`. */
function variablesRead(base: Record<string, string>): Set<string> {
  const read = new Set<string>();
  const env = new Proxy(base, {
    get(target, key) {
      if (typeof key === "string") read.add(key);
      return Reflect.get(target, key) as unknown;
    },
  });
  loadConfig(env);
  return read;
}

/** README's form of the table. */
function markdownTable(): string {
  const cell = (text: string) => (text === "" ? "unset" : `\`${text}\``);
  const rows = ENVIRONMENT_VARIABLES.map((v) => `| \`${v.name}\` | ${cell(v.default)} | ${v.meaning} |`);
  return ["| variable | default | meaning |", "| --- | --- | --- |", ...rows].join("\n") + "\n";
}

describe("ENVIRONMENT_VARIABLES", () => {
  it("names exactly the variables loadConfig reads, once each", () => {
    const read = new Set(BASES.flatMap((base) => [...variablesRead(base)]));
    const names = ENVIRONMENT_VARIABLES.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...read].sort()).toEqual([...names].sort());
  });

  it("each default is the one loadConfig uses: setting a variable to it changes nothing", () => {
    for (const base of BASES) {
      const unset = loadConfig(base);
      for (const v of ENVIRONMENT_VARIABLES) {
        if (v.name in base) continue;
        if (v.name === "LEDGER_STORE_URL" && base.LEDGER_STORE === "kurrent") continue; // below
        const value = v.default.startsWith("$") ? (base[v.default.slice(1)] ?? tableDefault(v.default.slice(1))) : v.default;
        expect({ name: v.name, base, config: loadConfig({ ...base, [v.name]: value }) }).toEqual({ name: v.name, base, config: unset });
      }
    }
    // KurrentDB has its own default connection string, named in the meaning.
    expect(ENVIRONMENT_VARIABLES.find((v) => v.name === "LEDGER_STORE_URL")!.meaning).toContain(`\`${KURRENT_STORE_URL_DEFAULT}\``);
    expect(loadConfig({ LEDGER_STORE: "kurrent", LEDGER_STORE_URL: KURRENT_STORE_URL_DEFAULT })).toEqual(
      loadConfig({ LEDGER_STORE: "kurrent" }),
    );
  });

  it("README's environment table is this table", () => {
    expect(fs.readFileSync("README.md", "utf8")).toContain(markdownTable());
  });
});
