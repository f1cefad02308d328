// The CLI's progress bars (cli-progress, on stderr): `ledger ingest` over events read, `ledger
// replay` over the store's positions.
import cliProgress from "cli-progress";

function progressBar(label: string) {
  return new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} | {rate} events/s | ETA {eta}s`, hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
}

/** Off a terminal (a log file, CI) the ingest progress is one line this often, and a last one. */
const INGEST_PROGRESS_LOG_INTERVAL_MS = 10_000;

/**
 * `ledger ingest` counts events. A file is counted first (countEventLines), so it gets a bar, a
 * percentage and an ETA; stdin has no total, so it shows events done and the rate.
 */
export function ingestProgress(total: number | null) {
  const format =
    total === null
      ? "ingest {value} events | {rate} events/s | {duration_formatted}"
      : "ingest [{bar}] {percentage}% | {value}/{total} events | {rate} events/s | ETA {etaText}";
  const bar = new cliProgress.SingleBar(
    { format, hideCursor: true, stream: process.stderr, noTTYOutput: true, notTTYSchedule: INGEST_PROGRESS_LOG_INTERVAL_MS },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  // The ETA from the average rate so far ("?" before the first batch): steady over a long file.
  const rate = (events: number) => {
    const perSecond = events / Math.max(0.001, (Date.now() - started) / 1000);
    return {
      rate: Math.round(perSecond),
      etaText: perSecond > 0 && total !== null ? `${Math.ceil(Math.max(0, total - events) / perSecond)}s` : "?",
    };
  };
  let events = 0;
  let stopped = false;
  bar.start(total ?? 0, 0, rate(0));
  return {
    update(eventsRead: number) {
      events = eventsRead;
      bar.update(events, rate(events));
    },
    /** All read: the events read are the total (the pre-count may include a line the reader skips). */
    finish() {
      if (total !== null) bar.setTotal(events);
      this.stop();
    },
    /** The last line (once). */
    stop() {
      if (stopped) return;
      stopped = true;
      bar.update(events, rate(events));
      bar.stop();
    },
  };
}

/** A progress bar of positions up to the store's head (a rebuild, a verification of the log). */
export function positionProgress(label: string, head: number) {
  const bar = progressBar(label);
  bar.start(head, 0, { rate: 0 });
  const started = Date.now();
  return {
    onProgress: (position: number) => bar.update(position, { rate: Math.round(position / Math.max(0.001, (Date.now() - started) / 1000)) }),
    stop: () => bar.stop(),
  };
}
