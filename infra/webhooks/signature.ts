// Webhook signatures (SPEC §11): each endpoint's secret is HMAC-SHA256(LEDGER_WEBHOOK_KEY, webhook
// id) — derived, never stored, so no secret enters the event log — and every body is sent with
// `Ledger-Signature: t={unix seconds},v1={hex HMAC-SHA256(secret, t + "." + body)}` (Stripe's
// scheme: the timestamp is signed too, so a receiver can refuse a replayed old body).
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "ledger-signature";
/** How old a signature a receiver should accept by default (Stripe's tolerance). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
/** Marks the string as a webhook secret (secret scanners and people recognise it); the whole string is the HMAC key. */
const SECRET_PREFIX = "whsec_";

function hmacHex(key: string, text: string): string {
  return createHmac("sha256", key).update(text, "utf8").digest("hex");
}

/** The signing secret of one endpoint: `whsec_` + hex HMAC-SHA256(key, webhookId). */
export function webhookSecret(key: string, webhookId: string): string {
  return SECRET_PREFIX + hmacHex(key, webhookId);
}

export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmacHex(secret, `${unixSeconds}.${body}`)}`;
}

/** What a receiver does: the header's v1 matches the body and its t is within the tolerance of `nowSeconds`. */
export function verifySignature(
  secret: string,
  body: string,
  header: string,
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  const parts = new Map(header.split(",").map((part) => part.split("=", 2) as [string, string]));
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1") ?? "";
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds || !/^[0-9a-f]{64}$/.test(v1)) return false;
  return timingSafeEqual(Buffer.from(v1, "hex"), Buffer.from(hmacHex(secret, `${t}.${body}`), "hex"));
}
