// A CSV of the API, as it sends it (byte for byte: the console never rewrites it), saved under the
// page's file name (which names the creator or campaign) or else the API's. Fetched rather than
// linked so the token goes with it.
import { useState } from "react";
import { getFile, type QueryParams } from "../api/client.ts";
import { ErrorState } from "../components/ErrorState.tsx";

/** How long the saved file's blob URL stays valid (the browser reads it when the download starts). */
const BLOB_URL_LIFETIME_MS = 60_000;

/** A file name's part from an id or a date: characters a file system may refuse (an id's ':') become '_'. */
export function fileNamePart(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, "_");
}

export function DownloadCsv({ path, params, fileName }: { path: string; params: QueryParams; fileName?: string }) {
  const [state, setState] = useState<
    { kind: "idle" } | { kind: "busy" } | { kind: "done"; name: string } | { kind: "failed"; error: Error }
  >({ kind: "idle" });
  const download = async () => {
    setState({ kind: "busy" });
    try {
      const answer = await getFile(path, { ...params, format: "csv" });
      const name = fileName ?? answer.fileName ?? "report.csv";
      const blob = answer.blob;
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
