/**
 * IPv4/IPv6 address and CIDR handling for the IpAddress / NotIpAddress condition operators.
 * AWS (condition operators, "IP address condition operators"): "The value must be in the standard CIDR format (for
 * example, 203.0.113.0/24 or 2001:DB8:1234:5678::/64). If you specify an IP address without the associated routing
 * prefix, IAM uses the default prefix value of /32", and "Some AWS services support IPv6, using :: to represent a
 * range of 0s". The docs do not cover cross-family comparison; an IPv4 address is never inside an IPv6 range here
 * (and vice versa), including IPv4-mapped IPv6 forms, so a range never matches more than it literally says.
 * Anything unparsable (either side) simply does not match.
 */
import { BoundedCache } from './condition-cache';

export interface IpAddress {
  /** 4 bytes for IPv4, 16 for IPv6. */
  bytes: Uint8Array;
}
export interface IpRange extends IpAddress {
  prefixLength: number;
}

const IPV4_OCTET = /^\d{1,3}$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4(text: string): Uint8Array | null {
  const octets = text.split('.');
  if (octets.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!IPV4_OCTET.test(octets[i])) return null;
    const n = Number(octets[i]);
    if (n > 255) return null;
    bytes[i] = n;
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (part: string, allowIpv4Tail: boolean): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (allowIpv4Tail && i === pieces.length - 1 && piece.includes('.')) {
        // Embedded dotted IPv4 tail, e.g. ::ffff:192.0.2.1
        const v4 = parseIpv4(piece);
        if (!v4) return null;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (IPV6_GROUP.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = groupsOf(halves[0], halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1], true) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

/** Parses a plain IPv4 or IPv6 address (no prefix). */
export function parseIpAddress(text: string): IpAddress | null {
  const bytes = text.includes(':') ? parseIpv6(text) : parseIpv4(text);
  return bytes ? { bytes } : null;
}

function parseIpRangeUncached(text: string): IpRange | null {
  const slash = text.indexOf('/');
  const address = parseIpAddress(slash < 0 ? text : text.slice(0, slash));
  if (!address) return null;
  const maxPrefix = address.bytes.length * 8;
  if (slash < 0) return Object.assign({}, address, { prefixLength: maxPrefix });
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefixLength = Number(prefixText);
  return prefixLength <= maxPrefix ? Object.assign({}, address, { prefixLength }) : null;
}

const ranges = new BoundedCache<IpRange | null>();

/** Parses a CIDR range, or a plain address as a single-address range (/32 for IPv4, /128 for IPv6). Cached. */
export function parseIpRange(text: string): IpRange | null {
  return ranges.get(text, parseIpRangeUncached);
}

/** True when `address` lies inside `range` (host bits in the policy's range are ignored, as in a network mask). */
export function ipInRange(address: IpAddress, range: IpRange): boolean {
  if (address.bytes.length !== range.bytes.length) return false;
  let bits = range.prefixLength;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((address.bytes[i] & mask) !== (range.bytes[i] & mask)) return false;
  }
  return true;
}
