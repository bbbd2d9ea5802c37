/**
 * Which proxies' `X-Forwarded-For` a program believes: the portal's `COURIER_TRUST_PROXY` and the
 * transfer node's `COURIER_NODE_TRUST_PROXY` are read by this one parser (zod-free, so the node,
 * which imports no zod schema of the contract, shares it). The client address is then the
 * rightmost forwarded address that is not itself a trusted proxy, never the leftmost, which the
 * client writes itself (docs/deployment.md §9).
 */

/** `false`: trust nobody; `true`: any hop; a number: that many hops; a list: proxies by address or CIDR. */
export type TrustProxy = boolean | number | string[];

export type TrustProxyReading = { ok: true; value: TrustProxy } | { ok: false; error: string };

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** `true`/`yes`, `false`/`no`, a hop count (`1`), or comma-separated addresses and CIDRs (`10.0.0.5, 10.1.0.0/16`). */
export function readTrustProxy(text: string): TrustProxyReading {
  const value = text.trim().toLowerCase();
  if (value === '' || value === 'false' || value === 'no') return { ok: true, value: false };
  if (value === 'true' || value === 'yes') return { ok: true, value: true };
  if (/^\d+$/.test(value)) return { ok: true, value: Number(value) };
  const entries = value.split(',').map((entry) => entry.trim());
  const wrong = entries.find((entry) => !isProxyAddress(entry));
  if (wrong !== undefined)
    return {
      ok: false,
      error: `must be true, false, a hop count or comma-separated proxy addresses/CIDRs (${JSON.stringify(wrong)} is none of them)`,
    };
  return { ok: true, value: entries };
}

/**
 * The transfer node's reading (COURIER_NODE_TRUST_PROXY): the proxies by address or CIDR, `false`
 * or nothing for none. Never `true` or a hop count: without a proxy browsers reach the node's
 * gateway directly, and trusting "the first hop" would let each of them choose its address.
 */
export function readTrustedProxyList(text: string): { ok: true; value: string[] } | { ok: false; error: string } {
  const reading = readTrustProxy(text);
  if (!reading.ok) return reading;
  if (reading.value === false) return { ok: true, value: [] };
  if (Array.isArray(reading.value)) return { ok: true, value: reading.value };
  return { ok: false, error: 'must name the proxies by address or CIDR (127.0.0.1, 10.0.0.0/24), not true or a hop count' };
}

/** An IPv4 or IPv6 address, with an optional `/prefix` no longer than the address. */
export function isProxyAddress(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  if (rest.length > 0 || (prefix !== undefined && !/^\d{1,3}$/.test(prefix))) return false;
  const bits = IPV4.test(address) ? 32 : isIpv6(address) ? 128 : 0;
  return bits > 0 && (prefix === undefined || Number(prefix) <= bits);
}

function isIpv6(address: string): boolean {
  if (!address.includes(':') || !/^[\d.:a-f]+$/i.test(address)) return false;
  try {
    // The WHATWG URL parser is a complete IPv6 parser on both sides (Node and browsers).
    new URL(`http://[${address}]/`);
    return true;
  } catch {
    return false;
  }
}
