// The pre-count behind `ledger ingest`'s progress total: lines with something other than JSON
// whitespace, however the file's chunks cut them.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { countEventLines } from "../../services/cli/ingestFile.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ledger-count-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
/** Larger than the count's read size (1 MiB), so a line crosses a chunk boundary. */
const PAST_ONE_CHUNK = 1024 * 1024 + 10;

function count(name: string, text: string): Promise<number> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return countEventLines(file);
}

describe("countEventLines", () => {
  it("counts non-blank lines: blank, space-only and CRLF-only lines are not events", async () => {
    expect(await count("blank.ndjson", '{"a":1}\n\n  \n\r\n\t\n{"b":2}\r\n')).toBe(2);
  });

  it("counts a last line without a newline, and nothing in an empty file", async () => {
    expect(await count("last.ndjson", '{"a":1}\n   {"b":2}')).toBe(2);
    expect(await count("trailing-space.ndjson", '{"a":1}\n   ')).toBe(1);
    expect(await count("empty.ndjson", "")).toBe(0);
  });

  it("a line that crosses a chunk boundary counts once, whichever side its content is on", async () => {
    expect(await count("content-after.ndjson", " ".repeat(PAST_ONE_CHUNK) + "{}\n{}\n")).toBe(2);
    expect(await count("content-before.ndjson", "{" + " ".repeat(PAST_ONE_CHUNK) + "}\n\n")).toBe(1);
    expect(await count("blank-across.ndjson", "{}\n" + " ".repeat(PAST_ONE_CHUNK) + "\n{}")).toBe(2);
  });
});
