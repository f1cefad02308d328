// The report's CSV, as the API sends it (byte for byte: the console never rewrites it), saved under
// the API's file name. Fetched rather than linked so the token goes with it.
import { useState } from "react";
import { getFile, type QueryParams } from "../api/client.ts";
import { ErrorState } from "../components/ErrorState.tsx";

/** How long the saved file's blob URL stays valid (the browser reads it when the download starts). */
const BLOB_URL_LIFETIME_MS = 60_000;

export function DownloadCsv({ path, params }: { path: string; params: QueryParams }) {
  const [state, setState] = useState<
    { kind: "idle" } | { kind: "busy" } | { kind: "done"; name: string } | { kind: "failed"; error: Error }
  >({ kind: "idle" });
  const download = async () => {
    setState({ kind: "busy" });
    try {
      const { blob, fileName } = await getFile(path, { ...params, format: "csv" });
      const name = fileName ?? "report.csv";
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), BLOB_URL_LIFETIME_MS);
      setState({ kind: "done", name });
    } catch (error) {
      setState({ kind: "failed", error: error as Error });
    }
  };
  return (
    <div className="download">
      <button type="button" onClick={() => void download()} disabled={state.kind === "busy"}>
        Download CSV
      </button>
      <span role="status" className="muted">
        {state.kind === "done" ? `Saved ${state.name}` : state.kind === "busy" ? "Preparing…" : ""}
      </span>
      {state.kind === "failed" ? <ErrorState error={state.error} what="report" /> : null}
    </div>
  );
}
