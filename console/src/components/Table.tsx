// A table of rows with a caption (its accessible name: what a test and a screen reader find it by).
// Numeric columns are right-aligned, so amounts line up by their digits.
import type { ReactNode } from "react";

export interface Column<R> {
  header: ReactNode;
  cell: (row: R) => ReactNode;
  numeric?: boolean;
}

export function Table<R>({ caption, columns, rows, rowKey, footer }: { caption: string; columns: readonly Column<R>[]; rows: readonly R[]; rowKey: (row: R, index: number) => string; footer?: ReactNode }) {
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
          {rows.map((row, index) => (
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
    </div>
  );
}
