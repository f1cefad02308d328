// SQLite's runMany sends an INSERT of one tuple of placeholders as many tuples per statement
// (PostgreSQL's sends its columns as arrays instead); anything else runs row by row, so insertShape
// must refuse what it cannot widen.
import { describe, expect, it } from "vitest";
import { insertShape } from "../../infra/readModel/port.ts";

describe("insertShape", () => {
  it("widens an INSERT of placeholders, keeping its conflict clause", () => {
    const shape = insertShape("INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a) DO UPDATE SET b = t.b + excluded.b");
    expect(shape?.width).toBe(2);
    expect(shape?.withTuples(3)).toBe(
      "INSERT INTO t (a, b) VALUES (?, ?), (?, ?), (?, ?) ON CONFLICT (a) DO UPDATE SET b = t.b + excluded.b",
    );
    expect(insertShape("INSERT INTO t (a) VALUES ( ? )")?.withTuples(2)).toBe("INSERT INTO t (a) VALUES ( ? ), ( ? )");
  });

  it("refuses statements it cannot widen", () => {
    expect(insertShape("UPDATE t SET b = ? WHERE a = ?")).toBeNull();
    expect(insertShape("INSERT INTO t (a, b) VALUES (?, 0)")).toBeNull(); // a literal in the tuple
    expect(insertShape("INSERT INTO t (a, b) SELECT ?, ?")).toBeNull();
  });
});
