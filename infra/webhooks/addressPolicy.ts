// Where a webhook may be sent (SPEC §11): only http(s) URLs without credentials, and — unless the
// operator allows it (LEDGER_WEBHOOK_ALLOW_PRIVATE=1) — only to public addresses. Every address a
// host name resolves to must be public, at registration and again before each delivery; the
// delivery's connection then uses exactly the addresses checked (vettedLookup), so a DNS answer
// that changes between the check and the connect (rebinding) cannot reach an internal service.
import dns from "node:dns";
import net from "node:net";

/** Ranges that are not the public internet: this network, private, shared (CGNAT), loopback, link-local, benchmarking, multicast, reserved. */
const BLOCKED_IPV4: readonly [string, number][] = [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.0.0.0", 24],
  ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 4], ["240.0.0.0", 4],
];
/** Unspecified, loopback, unique local (fc00::/7), link-local, site-local, multicast, documentation. */
const BLOCKED_IPV6: readonly [string, number][] = [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10], ["ff00::", 8], ["2001:db8::", 32]];

const blocked = new net.BlockList();
for (const [address, prefix] of BLOCKED_IPV4) blocked.addSubnet(address, prefix, "ipv4");
for (const [address, prefix] of BLOCKED_IPV6) blocked.addSubnet(address, prefix, "ipv6");

/** The eight 16-bit groups of an IPv6 address (a trailing dotted quad counts as two). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().split("%")[0]!;
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const zeros = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16));
}

/** The IPv4 address an IPv6 address carries (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, compatible ::a.b.c.d), or null. */
function embeddedIpv4(address: string): string | null {
  const g = ipv6Groups(address);
  const v4 = () => `${g[6]! >> 8}.${g[6]! & 0xff}.${g[7]! >> 8}.${g[7]! & 0xff}`;
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(5) && g[5] === 0xffff) return v4();
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4();
  if (zeroUpTo(6) && (g[6] !== 0 || g[7]! > 1)) return v4();
  return null;
}

/** Whether an IP address is outside the public internet (loopback, private, link-local, …). */
export function isNonPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family !== 6) throw new Error(`not an IP address: ${address}`);
  const v4 = embeddedIpv4(address);
  return v4 !== null ? blocked.check(v4, "ipv4") : blocked.check(address, "ipv6");
}

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

/** A URL's host name without the brackets of an IPv6 literal. */
function hostOf(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

async function resolveAll(host: string): Promise<string[]> {
  if (net.isIP(host)) return [host];
  const answers = await dns.promises.lookup(host, { all: true, verbatim: true });
  return answers.map((a) => a.address);
}

/**
 * Whether a webhook may be sent to `text`: an absolute http(s) URL without user name or password
 * whose host resolves, and — unless `allowPrivate` — only to public addresses. The reason names
 * what is wrong (it is shown to whoever registers the URL).
 */
export async function vetWebhookUrl(text: string, allowPrivate: boolean): Promise<UrlVerdict> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: "must be an absolute http(s) URL" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, reason: `must be an http(s) URL, not ${url.protocol.slice(0, 20)}` };
  if (url.username !== "" || url.password !== "") return { ok: false, reason: "must not carry a user name or password (the URL is stored in the event log)" };
  const host = hostOf(url);
  let addresses: string[];
  try {
    addresses = await resolveAll(host);
  } catch (error) {
    return { ok: false, reason: `host ${host.slice(0, 100)} does not resolve (${(error as { code?: string }).code ?? "lookup failed"})` };
  }
  if (addresses.length === 0) return { ok: false, reason: `host ${host.slice(0, 100)} does not resolve` };
  const refused = allowPrivate ? undefined : addresses.find(isNonPublicAddress);
  if (refused !== undefined) {
    return { ok: false, reason: `host ${host.slice(0, 100)} resolves to ${refused}, a loopback, private or otherwise non-public address (allowed only with LEDGER_WEBHOOK_ALLOW_PRIVATE=1)` };
  }
  return { ok: true, url };
}

/**
 * A `lookup` for http.request that resolves like Node does and refuses a name that resolves to a
 * non-public address: the connection uses exactly the addresses it checked.
 */
export function vettedLookup(allowPrivate: boolean): net.LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: (error: Error | null, address: string | dns.LookupAddress[], family?: number) => void) => {
    dns.lookup(hostname, { ...options, all: true, verbatim: true }, (error, answers) => {
      if (error) return callback(error, "");
      const refused = allowPrivate ? undefined : answers.find((a) => isNonPublicAddress(a.address));
      if (refused !== undefined) return callback(Object.assign(new Error(`${hostname} resolves to the non-public address ${refused.address}`), { code: "ENONPUBLIC" }), "");
      if (answers.length === 0) return callback(Object.assign(new Error(`${hostname} does not resolve`), { code: "ENOTFOUND" }), "");
      if (options.all) return callback(null, answers);
      return callback(null, answers[0]!.address, answers[0]!.family);
    });
  }) as unknown as net.LookupFunction;
}
