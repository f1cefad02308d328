// A report's rows as one value per day of its range, for the chart (days without activity at 0).
// Amounts become floating-point numbers here, for drawing only; tables show the API's strings.
import { datesBetween } from "../format/dates.ts";

export function dailySums<R extends { date: string }>(
  from: string,
  to: string,
  rows: readonly R[],
  amount: (row: R) => string,
): { dates: string[]; values: number[] } {
  const byDate = new Map<string, number>();
  for (const row of rows) byDate.set(row.date, (byDate.get(row.date) ?? 0) + Number(amount(row)));
  const dates = datesBetween(from, to);
  return { dates, values: dates.map((d) => byDate.get(d) ?? 0) };
}
