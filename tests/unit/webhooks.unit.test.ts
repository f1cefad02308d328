// The pure parts of SPEC §11's webhooks: the retry schedule (exponential backoff with full jitter,
// the first retry within 10 s, a give-up span), the signature a receiver verifies (values computed
// with `openssl dgst -sha256 -hmac`), which addresses are not the public internet, and which
// webhook event an item is delivered as.
import { describe, expect, it } from "vitest";
import { deliveredAs, entryEvents, type WebhookEvent } from "../../domain/webhooks/webhookEvents.ts";
import { nextAttemptMs, retryDelayMs, type RetryPolicy } from "../../domain/webhooks/retrySchedule.ts";
import { isNonPublicAddress } from "../../infra/webhooks/addressPolicy.ts";
import { signatureHeader, verifySignature, webhookSecret } from "../../infra/webhooks/signature.ts";

const DEFAULTS: RetryPolicy = { baseMs: 10_000, maxMs: 3_600_000, giveUpMs: 86_400_000 };

describe("retry schedule", () => {
  it("full jitter: the n-th retry waits random × min(max, base × 2^(n−1)); the ceilings double up to the cap", () => {
    expect([1, 2, 3, 4, 10].map((n) => retryDelayMs(n, DEFAULTS, 0.5))).toEqual([5_000, 10_000, 20_000, 40_000, 1_800_000]);
    const almostOne = 0.9999999;
    expect(Array.from({ length: 11 }, (_, i) => retryDelayMs(i + 1, DEFAULTS, almostOne))).toEqual([
      9_999, 19_999, 39_999, 79_999, 159_999, 319_999, 639_999, 1_279_999, 2_559_999, 3_599_999, 3_599_999,
    ]);
    expect(retryDelayMs(1, DEFAULTS, 0)).toBe(0);
    expect(retryDelayMs(1_000, DEFAULTS, 0.5)).toBe(1_800_000); // no overflow far past the cap
  });

  it("the first retry comes within 10 s (SPEC §11)", () => {
    for (const r of [0, 0.25, 0.5, 0.75, 0.9999999]) expect(retryDelayMs(1, DEFAULTS, r)).toBeLessThan(10_000);
  });

  it("the next attempt is within the give-up span, the last one at its end; then none (the endpoint is disabled)", () => {
    expect(nextAttemptMs(1_000_000, 1_005_000, 1, DEFAULTS, 0.5)).toBe(1_010_000);
    expect(nextAttemptMs(0, 86_390_000, 12, DEFAULTS, 0.5)).toBe(86_400_000);
    expect(nextAttemptMs(0, 86_400_000, 13, DEFAULTS, 0.5)).toBeNull();
    expect(nextAttemptMs(0, 90_000_000, 13, DEFAULTS, 0)).toBeNull();
  });

  it("refuses what is not a retry", () => {
    expect(() => retryDelayMs(0, DEFAULTS, 0.5)).toThrow("failedAttempts must be ≥ 1");
    expect(() => retryDelayMs(1, DEFAULTS, 1)).toThrow("random01 must be in [0, 1)");
  });
});

describe("signatures (Ledger-Signature: t=…,v1=hex HMAC-SHA256(secret, t.body))", () => {
  const KEY = "unit-webhook-key-0123456789abcdef";
  const SECRET = "whsec_82d0d1630e6db17e34f5c7775d0dab94034d5a283d72d06f92e6c50ec129cbfd";
  const BODY = '{"entryId":"4:0","type":"posting.created","data":{}}';
  const HEADER = "t=1767225600,v1=4c2d8fe785dcf112ba8ca551fbf85348707a670a4f1ec85cb8e5cb629df39c16";

  it("the secret is whsec_ + hex HMAC-SHA256(LEDGER_WEBHOOK_KEY, webhook id)", () => {
    expect(webhookSecret(KEY, "wh_0001")).toBe(SECRET);
    expect(webhookSecret(KEY, "wh_0002")).not.toBe(SECRET);
  });

  it("the header signs the timestamp and the body with the whole secret string", () => {
    expect(signatureHeader(SECRET, BODY, 1_767_225_600)).toBe(HEADER);
  });

  it("a receiver accepts it within 5 minutes; a changed body, another secret, an old or garbled header fail", () => {
    expect(verifySignature(SECRET, BODY, HEADER, 1_767_225_600 + 300)).toBe(true);
    expect(verifySignature(SECRET, BODY, HEADER, 1_767_225_600 + 301)).toBe(false);
    expect(verifySignature(SECRET, BODY.replace("4:0", "4:1"), HEADER, 1_767_225_600)).toBe(false);
    expect(verifySignature(webhookSecret(KEY, "wh_0002"), BODY, HEADER, 1_767_225_600)).toBe(false);
    expect(verifySignature(SECRET, BODY, "t=1767225600,v1=zz", 1_767_225_600)).toBe(false);
    expect(verifySignature(SECRET, BODY, "", 1_767_225_600)).toBe(false);
  });
});

describe("addresses a webhook may not reach without LEDGER_WEBHOOK_ALLOW_PRIVATE", () => {
  it.each([
    "127.0.0.1", "127.255.255.254", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1", "169.254.169.254", "0.0.0.0",
    "224.0.0.1", "255.255.255.255", "::1", "::", "fd12:3456::1", "fc00::1", "fe80::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::ffff:a00:1", "64:ff9b::a00:1", "::127.0.0.1",
  ])("%s is not public", (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(["8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "2a00:1450:4001::1", "::ffff:8.8.8.8", "64:ff9b::808:808"])(
    "%s is public",
    (address) => {
      expect(isNonPublicAddress(address)).toBe(false);
    },
  );
});

describe("which webhook event an item is delivered as", () => {
  it("every entry is posting.created; payouts and failed payouts are also their own events, named first", () => {
    expect(entryEvents("standard")).toEqual(["posting.created"]);
    expect(entryEvents("payout")).toEqual(["payout.issued", "posting.created"]);
    expect(entryEvents("payout_failed")).toEqual(["payout.failed", "posting.created"]);
  });

  it("an endpoint gets an item once, as the most specific event it subscribed to, or not at all", () => {
    const subscribed = (...events: WebhookEvent[]) => new Set(events);
    expect(deliveredAs(["payout.issued", "posting.created"], subscribed("posting.created", "payout.issued"))).toBe("payout.issued");
    expect(deliveredAs(["payout.issued", "posting.created"], subscribed("posting.created"))).toBe("posting.created");
    expect(deliveredAs(["posting.created"], subscribed("payout.issued", "campaign.ended"))).toBeNull();
  });
});
