// A table of rows with a caption (its accessible name: what a test and a screen reader find it by).
// Numeric columns are right-aligned, so amounts line up by their digits. A long table (a 90-day
// report of a busy campaign has thousands of rows) shows its first rows and grows on request; one
// without rows says so in a sentence instead of showing headers over nothing.
import { useState, type ReactNode } from "react";

export interface Column<R> {
  header: ReactNode;
  cell: (row: R) => ReactNode;
  numeric?: boolean;
}

/** Rows a table shows at first, and adds per "Show more". */
export const TABLE_ROWS_SHOWN = 200;

export function Table<R>({
  caption,
  columns,
  rows,
  rowKey,
  footer,
  empty,
}: {
  caption: string;
  columns: readonly Column<R>[];
  rows: readonly R[];
  rowKey: (row: R, index: number) => string;
  footer?: ReactNode;
  /** What a table without rows says instead of showing only its headers. */
  empty?: ReactNode;
}) {
  const [shown, setShown] = useState(TABLE_ROWS_SHOWN);
  if (rows.length === 0 && footer === undefined) {
    return (
      <p className="table-empty">
        <span className="table-empty-caption">{caption}:</span> {empty ?? "nothing to list."}
      </p>
    );
  }
  const visible = rows.length > shown ? rows.slice(0, shown) : rows;
  return (
    <div className="table-scroll">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" className={c.numeric ? "num" : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {visible.map((row, index) => (
            <tr key={rowKey(row, index)}>
              {columns.map((c, i) => (
                <td key={i} className={c.numeric ? "num" : undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {footer === undefined ? null : <tfoot>{footer}</tfoot>}
      </table>
      {visible.length < rows.length ? (
        <p className="more-rows">
          Rows 1 to {visible.length} of {rows.length}.{" "}
          <button type="button" onClick={() => setShown(shown + TABLE_ROWS_SHOWN)}>
            Show {Math.min(TABLE_ROWS_SHOWN, rows.length - visible.length)} more
          </button>
        </p>
      ) : null}
    </div>
  );
}
