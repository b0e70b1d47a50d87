// Validation at the edge: each bad config fails with a message naming the field, and creates nothing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { meshConfigSchema } from "../config/schema";
import { validateMeshConfig } from "../config/validate";
import { created, evaluate } from "../offline/engine/runtime";
import { projectDefaults, ROOT } from "../offline/engine/stackFiles";
import { withOverrides } from "./support/configs";

const two = (a: object = {}, b: object = {}) => [
  { name: "cluster1", location: "us-east1-b", network: "network1", role: "primary", ...a },
  { name: "cluster2", location: "us-central1-b", network: "network2", role: "primary", ...b },
];

interface BadCase {
  name: string;
  values: Record<string, unknown>;
  /** Every one of these must appear among the reported problems. */
  expect: string[];
}

const BAD: BadCase[] = [
  {
    name: "unknown topology",
    values: { topology: "mesh-of-meshes" },
    expect: ['topology: "mesh-of-meshes" is not one of'],
  },
  { name: "no clusters", values: { clusters: undefined }, expect: ["clusters: is required"] },
  {
    name: "one cluster",
    values: { clusters: two().slice(0, 1) },
    expect: ["clusters: needs at least two clusters"],
  },
  {
    name: "clusters not a list",
    values: { clusters: { name: "c" } },
    expect: ["clusters: is required: a list"],
  },
  {
    name: "upper-case name",
    values: { clusters: two({}, { name: "Cluster_2" }) },
    expect: ['clusters[1].name: "Cluster_2" is not a DNS-1123 label'],
  },
  {
    name: "name starts with a digit",
    values: { clusters: two({ name: "1cluster" }) },
    expect: ['clusters[0].name: "1cluster" must start with a letter'],
  },
  {
    name: "name too long",
    values: { clusters: two({ name: "c".repeat(41) }) },
    expect: ["clusters[0].name:", "longer than 40 characters"],
  },
  {
    name: "duplicate names",
    values: { clusters: two({}, { name: "cluster1" }) },
    expect: ['clusters[1].name: "cluster1" is already used by clusters[0]'],
  },
  {
    name: "malformed location",
    values: { clusters: two({ location: "useast1b" }) },
    expect: ['clusters[0].location: "useast1b" is neither a GCP zone'],
  },
  {
    name: "location with upper case",
    values: { clusters: two({}, { location: "US-central1-b" }) },
    expect: ["clusters[1].location:"],
  },
  {
    name: "unknown role",
    values: { clusters: two({ role: "leader" }) },
    expect: ['clusters[0].role: "leader" is not one of: primary, remote'],
  },
  { name: "missing role", values: { clusters: two({ role: undefined }) }, expect: ["clusters[0].role:"] },
  {
    name: "bad network name",
    values: { clusters: two({ network: "Net 1" }) },
    expect: ['clusters[0].network: "Net 1" is not a DNS-1123 label'],
  },
  {
    name: "misspelt cluster key",
    values: { clusters: two({ netwrok: "x" }) },
    expect: ["clusters[0].netwrok: is not a known setting"],
  },
  {
    name: "misspelt top-level key",
    values: { topolgy: "multi-primary" },
    expect: ["topolgy: is not a known setting"],
  },
  {
    name: "remote in multi-primary",
    values: { clusters: two({}, { role: "remote" }) },
    expect: ['clusters[1].role: "remote" is not allowed in multi-primary'],
  },
  {
    name: "primary-remote without primary",
    values: { topology: "primary-remote", clusters: two({ role: "remote" }, { role: "remote" }) },
    expect: ['clusters: primary-remote needs exactly one cluster with role "primary", found 0'],
  },
  {
    name: "primary-remote with two primaries",
    values: { topology: "primary-remote", clusters: two() },
    expect: ["primary-remote needs exactly one", "found 2"],
  },
  {
    name: "shared control plane on two networks",
    values: { topology: "shared-control-plane", clusters: two({}, { role: "remote" }) },
    expect: ['clusters[1].network: "network2" differs from "network1"'],
  },
  {
    name: "shared control plane with two primaries",
    values: { topology: "shared-control-plane", clusters: two({}, { network: "network1" }) },
    expect: ["shared-control-plane needs exactly one", "found 2"],
  },
  {
    name: "istio version not x.y.z",
    values: { istioVersion: "1.30" },
    expect: ['istioVersion: "1.30" is not a version x.y.z'],
  },
  {
    name: "istio version too old",
    values: { istioVersion: "1.23.4" },
    expect: ['istioVersion: "1.23.4" is not supported'],
  },
  {
    name: "istio major 2",
    values: { istioVersion: "2.0.0" },
    expect: ['istioVersion: "2.0.0" is not supported'],
  },
  {
    name: "istio 1.29 (end of life in October 2026)",
    values: { istioVersion: "1.29.6" },
    expect: ['istioVersion: "1.29.6" is not supported: supported Istio minors are 1.30 and 1.31'],
  },
  {
    name: "istio minor from the future",
    values: { istioVersion: "1.32.0" },
    expect: ['istioVersion: "1.32.0" is not supported: supported Istio minors are 1.30 and 1.31'],
  },
  {
    name: "istio version with a leading zero",
    values: { istioVersion: "1.31.01" },
    expect: ['istioVersion: "1.31.01" is not a version x.y.z (digits, no leading zeros)'],
  },
  {
    name: "istio chart repository over plain http",
    values: { istioChartRepository: "http://charts.example.com/istio" },
    expect: [
      'istioChartRepository: "http://charts.example.com/istio" is neither an https:// Helm repository',
    ],
  },
  {
    name: "istio hub with a scheme",
    values: { istioHub: "https://docker.io/istio" },
    expect: ['istioHub: "https://docker.io/istio" is not an image registry path'],
  },
  { name: "bad mesh id", values: { meshId: "Mesh_1" }, expect: ['meshId: "Mesh_1" is not a DNS-1123 label'] },
  {
    name: "no project",
    values: { "gcp:project": undefined },
    expect: ["gcp:project: is required (pulumi config set gcp:project"],
  },
  {
    name: "bad project id",
    values: { "gcp:project": "P" },
    expect: ['gcp:project: "P" is not a GCP project id'],
  },
  {
    name: "invalid CIDR",
    values: { clusters: two({ podCidr: "10.300.0.0/14" }) },
    expect: ['clusters[0].podCidr: "10.300.0.0/14" is not an IPv4 CIDR'],
  },
  {
    name: "host bits set",
    values: { clusters: two({ nodeCidr: "10.0.0.1/24" }) },
    expect: ['clusters[0].nodeCidr: "10.0.0.1/24" is not an IPv4 CIDR'],
  },
  {
    name: "overlapping explicit ranges",
    values: { clusters: two({ podCidr: "10.100.0.0/14" }, { podCidr: "10.102.0.0/16" }) },
    expect: ['clusters[1].podCidr: "10.102.0.0/16" overlaps clusters[0].podCidr "10.100.0.0/14"'],
  },
  {
    name: "node range overlapping a pod range",
    values: { clusters: two({ nodeCidr: "172.20.0.0/20" }, { podCidr: "172.20.0.0/16" }) },
    expect: ["clusters[1].podCidr:", 'overlaps clusters[0].nodeCidr "172.20.0.0/20"'],
  },
  {
    name: "public range",
    values: { clusters: two({ serviceCidr: "8.8.0.0/20" }) },
    expect: ['clusters[0].serviceCidr: "8.8.0.0/20" is not in private (RFC 1918) address space'],
  },
  {
    name: "pod range too small",
    values: { clusters: two({ podCidr: "10.200.0.0/26" }) },
    expect: ["clusters[0].podCidr:", "between /9 and /21"],
  },
  {
    name: "range on private control planes",
    values: { privateNodes: true, clusters: two({ nodeCidr: "172.16.0.0/24" }) },
    expect: ["clusters[0].nodeCidr:", "kept for private control planes"],
  },
  {
    name: "node count zero",
    values: { clusters: two({ nodePool: { nodeCount: 0 } }) },
    expect: ["clusters[0].nodePool.nodeCount:"],
  },
  {
    name: "fractional node count",
    values: { clusters: two({ nodePool: { nodeCount: 1.5 } }) },
    expect: ["clusters[0].nodePool.nodeCount:"],
  },
  {
    name: "bad machine type",
    values: { clusters: two({ nodePool: { machineType: "big" } }) },
    expect: ['clusters[0].nodePool.machineType: "big" is not a GCE machine type'],
  },
  {
    name: "spot not boolean",
    values: { clusters: two({ nodePool: { spot: "yes" } }) },
    expect: ["clusters[0].nodePool.spot:"],
  },
  {
    name: "deletionProtection not boolean",
    values: { deletionProtection: "maybe" },
    expect: ["deletionProtection:"],
  },
  { name: "unknown release channel", values: { releaseChannel: "NIGHTLY" }, expect: ["releaseChannel:"] },
  { name: "unknown CA key algorithm", values: { caKeyAlgorithm: "DSA" }, expect: ["caKeyAlgorithm:"] },
  {
    name: "intermediate outlives root",
    values: { caIntermediateValidityHours: 900000 },
    expect: ["caIntermediateValidityHours: 900000 must be shorter than caRootValidityHours"],
  },
  {
    name: "root certificate without key",
    values: { caRootCertificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----" },
    expect: ["caRootPrivateKey: is required"],
  },
  {
    name: "root certificate not PEM",
    values: { caRootCertificate: "hello" },
    expect: ["caRootCertificate: is not a PEM certificate"],
  },
  {
    name: "verifyOnUp without helloworld",
    values: { verifyOnUp: true },
    expect: ["verifyOnUp: needs helloworld: true"],
  },
  {
    name: "too many clusters",
    values: {
      clusters: Array.from({ length: 65 }, (_, i) => ({
        name: `c${i}`,
        location: "us-east1-b",
        network: "n1",
        role: "primary",
      })),
    },
    expect: ["clusters: has more than 64 clusters"],
  },
];

describe("stack config validation", () => {
  it("has at least 30 distinct bad configs", () => {
    assert.ok(BAD.length >= 30);
    assert.equal(new Set(BAD.map((c) => c.name)).size, BAD.length);
  });

  for (const bad of BAD) {
    it(`rejects ${bad.name}, naming the field, and creates nothing`, { timeout: 30_000 }, async () => {
      const config = withOverrides({ clusters: two() }, bad.values);
      const evaluation = await evaluate(config);
      assert.ok(evaluation.error instanceof Error, "the program must fail");
      const message = (evaluation.error as Error).message;
      assert.match(message, /^invalid stack config/);
      for (const expected of bad.expect)
        assert.ok(message.includes(expected), `missing «${expected}» in:\n${message}`);
      assert.deepEqual(created(evaluation), [], "no resource may be registered");
    });
  }

  it("reports every problem at once", () => {
    const result = validateMeshConfig({
      project: "my-gcp-project",
      topology: "primary-remote",
      meshId: "Bad Mesh",
      clusters: [
        { name: "A", location: "nowhere", network: "n1", role: "primary" },
        { name: "b", location: "us-east1-b", network: "n2", role: "boss" },
      ],
    });
    assert.equal(result.ok, false);
    const problems = result.ok ? [] : result.problems;
    for (const field of ["meshId:", "clusters[0].name:", "clusters[0].location:", "clusters[1].role:"]) {
      assert.ok(
        problems.some((p) => p.startsWith(field)),
        `no problem for ${field}: ${problems.join("; ")}`,
      );
    }
  });

  it("accepts a minimal config and fills every default", () => {
    const result = validateMeshConfig({ project: "my-gcp-project", clusters: two() });
    assert.ok(result.ok, result.ok ? "" : result.problems.join("\n"));
    if (!result.ok) return;
    assert.equal(result.config.topology, "multi-primary");
    assert.equal(result.config.clusters[0]!.nodePool.machineType, "e2-standard-4");
    assert.equal(result.config.deletionProtection, false);
  });

  it("declares every project key in Pulumi.yaml with a simple type, a default and a description", () => {
    // Pulumi's project schema types keys as string, integer, boolean or array only, and a declared key
    // without a default is required on every stack: so every optional key needs one.
    const project = parse(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8")) as {
      config: Record<string, { type?: string; default?: unknown; description?: string }>;
    };
    const declared = Object.entries(project.config);
    assert.ok(declared.length >= 10);
    for (const [key, decl] of declared) {
      assert.ok(["string", "integer", "boolean"].includes(String(decl.type)), `${key}: type ${decl.type}`);
      assert.notEqual(decl.default, undefined, `${key}: default`);
      assert.ok((decl.description ?? "").length > 10, `${key}: description`);
    }
    const schemaKeys = Object.keys(meshConfigSchema.shape).filter(
      (k) => !["project", "clusters", "caRootPrivateKeySet"].includes(k),
    );
    assert.deepEqual(declared.map(([k]) => k).sort(), schemaKeys.sort(), "every scalar setting is declared");
  });

  it("declares in Pulumi.yaml the same defaults that validation applies", () => {
    const defaults = projectDefaults();
    const result = validateMeshConfig({ project: "my-gcp-project", clusters: two() });
    assert.ok(result.ok);
    if (!result.ok) return;
    const declared = Object.entries(defaults).filter(([k]) => k.startsWith("istio-multicluster:"));
    assert.ok(declared.length >= 10, "Pulumi.yaml declares the project's keys");
    for (const [fullKey, text] of declared) {
      const key = fullKey.split(":")[1]! as keyof typeof result.config;
      if (text === "") {
        assert.equal(result.config[key], undefined, `${key}: "" means unset`);
      } else {
        const value: unknown = result.config[key];
        assert.equal(typeof value === "string" ? value : JSON.stringify(value), text, `default of ${key}`);
      }
    }
  });
});
