// A path parameter of the current page, decoded (ids are percent-encoded in the URL, and none of
// them holds a '%', SPEC §2, so decoding twice is harmless).
import { useParams } from "wouter";

export function useParam(name: string): string {
  const raw = (useParams() as Record<string, string | undefined>)[name] ?? "";
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
