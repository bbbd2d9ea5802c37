/**
 * Who the client is, behind the proxies the node trusts (COURIER_NODE_TRUST_PROXY, addresses and
 * CIDRs; none by default). Fastify takes `trusts` as its `trustProxy`, so `request.ip` of every
 * route, log line and throttle is the rightmost X-Forwarded-For address that is not itself a trusted
 * proxy, and only when the TCP peer is one: never the leftmost, which the client writes itself
 * (docs/deployment.md §9). `clientAddress` is the same walk for what Fastify never routes (the
 * WebSocket upgrade); the connection guard asks `trusts` of each socket's peer.
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIPv4 } from 'node:net';

export interface TrustedProxies {
  /** Whether `address` is a proxy whose X-Forwarded-For the node believes. */
  trusts(address: string | undefined): boolean;
  /** The client's address for a request Fastify does not route (what `request.ip` is for one it does). */
  clientAddress(request: IncomingMessage): string;
}

export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = isIPv4(address) ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  // BlockList checks an IPv4-mapped IPv6 peer (::ffff:127.0.0.1, a dual-stack listener's) against the IPv4 rules.
  const trusts = (address: string | undefined) =>
    entries.length > 0 && address !== undefined && list.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
  return {
    trusts,
    clientAddress(request) {
      const peer = request.socket.remoteAddress ?? '';
      if (!trusts(peer)) return peer;
      // From the right: the peer appended the last entry, each trusted proxy the one before it.
      const forwarded = forwardedFor(request).reverse();
      let client = peer;
      for (const address of forwarded) {
        client = address;
        if (!trusts(address)) break;
      }
      return client;
    },
  };
}

/** Every X-Forwarded-For entry, left to right, over repeated headers as one list. */
function forwardedFor(request: IncomingMessage): string[] {
  const header = request.headers['x-forwarded-for'];
  if (header === undefined) return [];
  return (Array.isArray(header) ? header.join(',') : header)
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}
