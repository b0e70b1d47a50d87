// Small, exact IPv4 CIDR arithmetic for range planning and overlap checks.

export interface Ipv4Range {
  readonly start: number; // first address as an unsigned 32-bit integer
  readonly prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export function parseCidr(text: string): Ipv4Range | undefined {
  const m = CIDR.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const start = octets.reduce((acc, o) => acc * 256 + o, 0);
  // A CIDR whose host bits are set (10.0.0.1/24) names no network: reject it.
  if (start % size(prefix) !== 0) return undefined;
  return { start, prefix };
}

export function isIpv4Cidr(text: string): boolean {
  return parseCidr(text) !== undefined;
}

function size(prefix: number): number {
  return 2 ** (32 - prefix);
}

export function formatCidr(range: Ipv4Range): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(range.start / 2 ** shift) % 256);
  return `${octets.join(".")}/${range.prefix}`;
}

export function overlaps(a: Ipv4Range, b: Ipv4Range): boolean {
  return a.start < b.start + size(b.prefix) && b.start < a.start + size(a.prefix);
}

/** The `index`-th block of length `prefix` inside `parent` (e.g. the 3rd /16 of 10.64.0.0/10). */
export function nthSubnet(parent: Ipv4Range, prefix: number, index: number): Ipv4Range {
  const count = size(parent.prefix) / size(prefix);
  if (prefix < parent.prefix || index < 0 || index >= count) {
    throw new RangeError(`no block #${index} of /${prefix} in ${formatCidr(parent)}`);
  }
  return { start: parent.start + index * size(prefix), prefix };
}

const PRIVATE_BLOCKS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((c) => parseCidr(c)!);

/** RFC 1918 private space: GKE subnet and secondary ranges must come from it (or be explicitly PUPI). */
export function isPrivate(range: Ipv4Range): boolean {
  return PRIVATE_BLOCKS.some((p) => p.prefix <= range.prefix && overlaps(p, range));
}
