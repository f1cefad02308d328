// Plain text tables for the CLI (`ledger replay list`, `--diff`): a header, a rule, aligned columns;
// numbers (amounts, positions) aligned right, text left. No quotes, no index column.

export type Cell = string | number | null;

const NUMERIC = /^-?[0-9][0-9,]*(\.[0-9]+)?$/;

export function textTable(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = rows.map((row) => row.map((cell) => (cell === null ? "" : String(cell))));
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((row) => row[i]!.length)));
  const right = header.map((_, i) => text.length > 0 && text.every((row) => row[i] === "" || NUMERIC.test(row[i]!)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...text.map(line)].join("\n") + "\n";
}
