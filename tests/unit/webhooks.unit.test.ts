// The pure parts of SPEC §11's webhooks: the retry schedule (exponential backoff with full jitter,
// the first retry within 10 s, a give-up span), the signature a receiver verifies (values computed
// with `openssl dgst -sha256 -hmac`), which addresses are not the public internet, and which
// webhook event an item is delivered as.
import type { LookupAddress, LookupOptions } from "node:dns";
import { describe, expect, it } from "vitest";
import { deliveredAs, entryEvents, type WebhookEvent } from "../../domain/webhooks/webhookEvents.ts";
import { nextAttemptMs, retryDelayMs, type RetryPolicy } from "../../domain/webhooks/retrySchedule.ts";
import { isNonPublicAddress, vettedLookup, vetWebhookUrl } from "../../infra/webhooks/addressPolicy.ts";
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

/** One address in each special-purpose block of RFC 6890's registries (and their later additions). */
const NON_PUBLIC: readonly [range: string, address: string][] = [
  ["0.0.0.0/8 this network", "0.1.2.3"],
  ["10.0.0.0/8 private", "10.200.0.1"],
  ["100.64.0.0/10 shared address space (CGNAT)", "100.127.255.254"],
  ["127.0.0.0/8 loopback", "127.0.0.2"],
  ["169.254.0.0/16 link-local (cloud metadata)", "169.254.169.254"],
  ["172.16.0.0/12 private", "172.31.255.255"],
  ["192.0.0.0/24 IETF protocol assignments", "192.0.0.8"],
  ["192.0.2.0/24 documentation (TEST-NET-1)", "192.0.2.1"],
  ["192.88.99.0/24 6to4 relay anycast", "192.88.99.1"],
  ["192.168.0.0/16 private", "192.168.1.1"],
  ["198.18.0.0/15 benchmarking", "198.19.255.1"],
  ["198.51.100.0/24 documentation (TEST-NET-2)", "198.51.100.7"],
  ["203.0.113.0/24 documentation (TEST-NET-3)", "203.0.113.9"],
  ["224.0.0.0/4 multicast", "239.255.255.250"],
  ["240.0.0.0/4 reserved", "240.0.0.1"],
  ["255.255.255.255/32 limited broadcast", "255.255.255.255"],
  ["::1/128 loopback", "::1"],
  ["::/128 unspecified", "::"],
  ["::ffff:0:0/96 IPv4-mapped, of a private IPv4", "::ffff:192.168.0.1"],
  ["::ffff:0:0/96 IPv4-mapped in hex, of loopback", "::ffff:7f00:1"],
  ["::ffff:0:0:0/96 IPv4-translated (RFC 6145), of loopback", "::ffff:0:127.0.0.1"],
  ["::/96 IPv4-compatible (deprecated), of loopback", "::127.0.0.1"],
  ["::/96 IPv4-compatible (deprecated), of a public IPv4", "::8.8.8.8"],
  ["64:ff9b::/96 NAT64, of a private IPv4", "64:ff9b::10.0.0.1"],
  ["64:ff9b:1::/48 local-use NAT64", "64:ff9b:1::7f00:1"],
  ["100::/64 discard-only", "100::1"],
  ["2001::/23 IETF protocol assignments", "2001:100::1"],
  ["2001::/32 Teredo", "2001:0:4136:e378:8000:63bf:3fff:fdd2"],
  ["2001:2::/48 benchmarking", "2001:2::1"],
  ["2001:db8::/32 documentation", "2001:db8::1"],
  ["2001:10::/28 ORCHID (deprecated)", "2001:10::1"],
  ["2001:20::/28 ORCHIDv2", "2001:20::1"],
  ["2002::/16 6to4, of loopback", "2002:7f00:1::"],
  ["2002::/16 6to4, of a public IPv4", "2002:808:808::1"],
  ["3fff::/20 documentation (RFC 9637)", "3fff::1"],
  ["fc00::/7 unique local", "fd12:3456::1"],
  ["fe80::/10 link-local", "fe80::1"],
  ["fe80::/10 link-local with a zone", "fe80::1%lo"],
  ["fec0::/10 site-local (deprecated)", "fec0::1"],
  ["ff00::/8 multicast", "ff02::1"],
  ["outside 2000::/3 (reserved by the IETF)", "4000::1"],
];

/** Global unicast, also when an IPv6 address carries a global IPv4 one to the host it names. */
const PUBLIC = [
  "8.8.8.8",
  "1.1.1.1",
  "93.184.216.34",
  "172.32.0.1",
  "100.128.0.1",
  "192.0.3.1",
  "198.20.0.1",
  "2606:4700:4700::1111",
  "2a00:1450:4001::1",
  "2001:4860:4860::8888",
  "::ffff:8.8.8.8",
  "::ffff:0:8.8.8.8",
  "64:ff9b::808:808",
];

/** The connect-time check: what vettedLookup hands http.request for `host`. */
function vettedAnswer(host: string, allowPrivate: boolean): Promise<{ code: string | null; addresses: string[] }> {
  const lookup = vettedLookup(allowPrivate) as unknown as (
    host: string,
    options: LookupOptions,
    callback: (error: NodeJS.ErrnoException | null, answers: LookupAddress[]) => void,
  ) => void;
  return new Promise((resolve) =>
    lookup(host, { all: true }, (error, answers) =>
      resolve({ code: error?.code ?? null, addresses: error ? [] : answers.map((a) => a.address) }),
    ),
  );
}

/** A URL naming `address` as its host (IPv6 in brackets, without a zone: URLs take none). */
function urlOf(address: string): string {
  return address.includes(":") ? `http://[${address.split("%")[0]}]/hook` : `http://${address}/hook`;
}

describe("addresses a webhook may not reach without LEDGER_WEBHOOK_ALLOW_PRIVATE", () => {
  it.each(NON_PUBLIC)("%s: %s is not public, at registration and at connect", async (_range, address) => {
    expect(isNonPublicAddress(address)).toBe(true);
    const verdict = await vetWebhookUrl(urlOf(address), false);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? "" : verdict.reason).toMatch(
      /, a loopback, private or otherwise non-public address \(allowed only with LEDGER_WEBHOOK_ALLOW_PRIVATE=1\)$/,
    );
    if (!address.includes("%")) expect(await vettedAnswer(address, false)).toEqual({ code: "ENONPUBLIC", addresses: [] });
  });

  it.each(PUBLIC)("%s is public, at registration and at connect", async (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
    expect(await vetWebhookUrl(urlOf(address), false)).toMatchObject({ ok: true });
    expect((await vettedAnswer(address, false)).code).toBeNull();
  });

  it("the addresses of issue 22 are refused, with the address named; the operator's switch lets them through", async () => {
    expect(await vetWebhookUrl("http://[2002:7f00:1::]/", false)).toEqual({
      ok: false,
      reason:
        "host 2002:7f00:1:: resolves to 2002:7f00:1::, a loopback, private or otherwise non-public address (allowed only with LEDGER_WEBHOOK_ALLOW_PRIVATE=1)",
    });
    expect(await vetWebhookUrl("http://[::ffff:0:127.0.0.1]/", false)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("resolves to ::ffff:0:7f00:1,"),
    });
    expect(await vetWebhookUrl("http://[64:ff9b:1::7f00:1]/", false)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("resolves to 64:ff9b:1::7f00:1,"),
    });
    expect(await vetWebhookUrl("http://198.51.100.7/", false)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("resolves to 198.51.100.7,"),
    });
    expect(await vettedAnswer("::ffff:0:127.0.0.1", true)).toEqual({ code: null, addresses: ["::ffff:0:127.0.0.1"] });
    expect(await vetWebhookUrl("http://[2002:7f00:1::]/", true)).toMatchObject({ ok: true });
  });

  it("a host name is judged by every address it resolves to", async () => {
    expect(await vettedAnswer("localhost", false)).toEqual({ code: "ENONPUBLIC", addresses: [] });
    expect(await vetWebhookUrl("http://localhost:8080/hook", false)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^host localhost resolves to (127\.0\.0\.1|::1), a loopback/),
    });
  });
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
