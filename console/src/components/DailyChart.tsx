// A daily chart of amounts (uPlot): one bar per day of a report's range, days without activity at
// 0. Bars are drawn over each other, widest first (a report's spend is part of its earnings). The
// chart is a picture of the table beside it, which holds the exact amounts.
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { toUtcMs } from "../format/dates.ts";
import { LOCALE } from "../format/money.ts";

export interface DailySeries {
  label: string;
  /** One value per date (display only: the exact amounts are the table's). */
  values: readonly number[];
  /** A CSS colour; the widest bars first. */
  color: string;
}

const CHART_HEIGHT_PX = 260;
/** Bar width as a share of a day's slot, for the first series and those after it. */
const BAR_WIDTHS = [0.8, 0.45, 0.25] as const;

export function DailyChart({
  title,
  dates,
  series,
  currency,
}: {
  title: string;
  dates: readonly string[];
  series: readonly DailySeries[];
  currency: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const axisNumbers = new Intl.NumberFormat(LOCALE, { style: "currency", currency, notation: "compact" });
    const options: uPlot.Options = {
      width: element.clientWidth || 800,
      height: CHART_HEIGHT_PX,
      // The API's dates are the marketplace's calendar days: draw them as UTC days, never shifted to the browser's zone.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: true } },
      axes: [{ stroke: "#3e4c59" }, { stroke: "#3e4c59", size: 70, values: (_u, splits) => splits.map((v) => axisNumbers.format(v)) }],
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          stroke: s.color,
          fill: s.color,
          width: 0,
          points: { show: false },
          paths: uPlot.paths.bars!({ size: [BAR_WIDTHS[Math.min(i, BAR_WIDTHS.length - 1)], 40] }),
        })),
      ],
    };
    const plot = new uPlot(options, [dates.map((date) => toUtcMs(date) / 1000), ...series.map((s) => [...s.values])], element);
    const resize = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height: CHART_HEIGHT_PX }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [dates, series, currency]);
  const from = dates[0] ?? "";
  const to = dates[dates.length - 1] ?? "";
  return (
    <figure className="chart">
      <div
        ref={box}
        role="img"
        aria-label={`${title}, ${currency}, per day from ${from} to ${to}. The table below holds the exact amounts.`}
      />
      <figcaption>
        {title} ({currency}), {from} to {to}:{" "}
        {series.map((s) => (
          <span key={s.label} className="legend-item">
            <span className="legend-swatch" style={{ background: s.color }} aria-hidden="true" /> {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
