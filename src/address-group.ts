import ipaddr from 'ipaddr.js';

/**
 * The key every per-client limit counts against: an IPv4 address as it is, an IPv6 client by its /64 (one
 * customer's or one host's network: a client given a /64 can use 2^64 addresses, so counting them one by one
 * would multiply its allowance by as many), an IPv4-mapped IPv6 address as the IPv4 address it carries.
 * Anything that is not an IP address (a Unix socket, no address at all) is kept as it is.
 */
export function addressGroup(address: string | undefined): string {
  if (!address) return 'unknown';
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address.replace(/%.*$/, '')); // IPv4-mapped IPv6 becomes IPv4; a zone id is dropped
  } catch {
    return address;
  }
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}
