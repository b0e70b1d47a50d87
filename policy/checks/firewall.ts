// No firewall rule lets the whole internet in: an ALLOW ingress rule whose sourceRanges hold a /0
// (0.0.0.0/0 or ::/0). Deny rules from anywhere are hardening and pass; egress rules are not ingress.
import { type CheckedResource, type Violations } from "./resource";

export const FIREWALL = "gcp:compute/firewall:Firewall";

const isWorld = (range: string) => /\/0$/.test(range.trim());

export function checkFirewallIngress(resource: CheckedResource): Violations {
  if (resource.type !== FIREWALL) return [];
  const { props } = resource;
  const direction = typeof props["direction"] === "string" ? props["direction"] : "INGRESS"; // the API default
  const allows = props["allows"];
  if (direction !== "INGRESS" || !Array.isArray(allows) || allows.length === 0) return [];
  const ranges = Array.isArray(props["sourceRanges"]) ? props["sourceRanges"] : [];
  const open = ranges.filter((r): r is string => typeof r === "string" && isWorld(r));
  const name = typeof props["name"] === "string" ? props["name"] : "(unnamed)";
  return open.map(
    (range) => `Firewall ${name} allows ingress from ${range}: name the mesh's own ranges or tags instead.`,
  );
}
