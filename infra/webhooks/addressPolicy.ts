// Where a webhook may be sent (SPEC §11): only http(s) URLs without credentials, and — unless the
// operator allows it (LEDGER_WEBHOOK_ALLOW_PRIVATE=1) — only to public addresses. Every address a
// host name resolves to must be public, at registration and again before each delivery; the
// delivery's connection then uses exactly the addresses checked (vettedLookup), so a DNS answer
// that changes between the check and the connect (rebinding) cannot reach an internal service.
import dns from "node:dns";
import net from "node:net";
import ipaddr from "ipaddr.js";

// What "public" means: ipaddr.js (a maintained table of the special-purpose blocks of RFC 6890's
// IPv4 and IPv6 registries and their later additions) calls every address outside them "unicast";
// nothing else is reachable without LEDGER_WEBHOOK_ALLOW_PRIVATE. Transition mechanisms whose packets
// leave through a relay or translator we do not know (6to4 2002::/16, Teredo 2001::/32, local-use
// NAT64 64:ff9b:1::/48) are refused outright, whatever IPv4 address they carry.

/** ipaddr.js's name for an address in none of the special-purpose ranges. */
const GLOBAL_UNICAST_RANGE = "unicast";
/** IPv6's global unicast space (RFC 4291 §2.4): IANA allocates nothing public outside it. */
const IPV6_GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR("2000::/3");
/**
 * IPv6 ranges whose last 32 bits are the IPv4 host a packet reaches, judged by that host: IPv4-mapped
 * ::ffff:0:0/96, IPv4-translated ::ffff:0:0:0/96 (RFC 6145) and the well-known NAT64 prefix
 * 64:ff9b::/96 (RFC 6052, which only carries global IPv4 addresses).
 */
const IPV4_CARRYING_RANGES = ["::ffff:0:0/96", "::ffff:0:0:0/96", "64:ff9b::/96"].map((cidr) => ipaddr.IPv6.parseCIDR(cidr));
/** Where an IPv4-carrying IPv6 address keeps its IPv4 address (the last 4 of its 16 bytes). */
const EMBEDDED_IPV4_OFFSET_BYTES = 12;

/**
 * An IPv6 address as ipaddr.js should read it. ipaddr.js reads the deprecated IPv4-compatible form
 * ::a.b.c.d as IPv4-mapped ::ffff:a.b.c.d; the WHATWG URL parser writes every IPv6 address in hex,
 * which ipaddr.js reads as written. A zone (%eth0) only qualifies a link-local address, refused anyway.
 */
function parseIpv6(address: string): ipaddr.IPv6 {
  const hex = new URL(`http://[${address.split("%")[0]}]/`).hostname.slice(1, -1);
  return ipaddr.IPv6.parse(hex);
}

/** Whether an IP address is outside the public internet (loopback, private, link-local, documentation, …). */
export function isNonPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return ipaddr.IPv4.parse(address).range() !== GLOBAL_UNICAST_RANGE;
  if (family !== 6) throw new Error(`not an IP address: ${address}`);
  const ip = parseIpv6(address);
  if (IPV4_CARRYING_RANGES.some((range) => ip.match(range))) {
    return new ipaddr.IPv4(ip.toByteArray().slice(EMBEDDED_IPV4_OFFSET_BYTES)).range() !== GLOBAL_UNICAST_RANGE;
  }
  return !ip.match(IPV6_GLOBAL_UNICAST) || ip.range() !== GLOBAL_UNICAST_RANGE;
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
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return { ok: false, reason: `must be an http(s) URL, not ${url.protocol.slice(0, 20)}` };
  if (url.username !== "" || url.password !== "")
    return { ok: false, reason: "must not carry a user name or password (the URL is stored in the event log)" };
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
    return {
      ok: false,
      reason: `host ${host.slice(0, 100)} resolves to ${refused}, a loopback, private or otherwise non-public address (allowed only with LEDGER_WEBHOOK_ALLOW_PRIVATE=1)`,
    };
  }
  return { ok: true, url };
}

/**
 * A `lookup` for http.request that resolves like Node does and refuses a name that resolves to a
 * non-public address: the connection uses exactly the addresses it checked.
 */
export function vettedLookup(allowPrivate: boolean): net.LookupFunction {
  return ((
    hostname: string,
    options: dns.LookupOptions,
    callback: (error: Error | null, address: string | dns.LookupAddress[], family?: number) => void,
  ) => {
    dns.lookup(hostname, { ...options, all: true, verbatim: true }, (error, answers) => {
      if (error) return callback(error, "");
      const refused = allowPrivate ? undefined : answers.find((a) => isNonPublicAddress(a.address));
      if (refused !== undefined)
        return callback(
          Object.assign(new Error(`${hostname} resolves to the non-public address ${refused.address}`), { code: "ENONPUBLIC" }),
          "",
        );
      if (answers.length === 0) return callback(Object.assign(new Error(`${hostname} does not resolve`), { code: "ENOTFOUND" }), "");
      if (options.all) return callback(null, answers);
      return callback(null, answers[0]!.address, answers[0]!.family);
    });
  }) as unknown as net.LookupFunction;
}
