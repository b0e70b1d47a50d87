// Istio's artifacts come only from their live homes (charts on blob.istio.io or ghcr.io, images on Docker
// Hub) or from the mirror the user names, on every shipped stack and on a 1.30 install; and nothing in the
// repository points at the locations Istio retired in December 2026.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { evaluate } from "../offline/engine/runtime";
import type { RecordedResource } from "../offline/engine/recorder";
import { listStacks, ROOT, stackConfig, withOverrides as overlay } from "../offline/engine/stackFiles";
import { meshConfig } from "../offline/engine/syntheticMesh";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const ISTIO_RELEASES = ["istio-base", "istiod", "istio-eastwestgateway", "istio-ingressgateway"];
const CHART_OF: Record<string, string> = {
  "istio-base": "base",
  istiod: "istiod",
  "istio-eastwestgateway": "gateway",
  "istio-ingressgateway": "gateway",
};
// Spelled in pieces so that this file does not carry the strings it forbids.
const RETIRED = [
  ["gcr", "io/istio-release"].join("."),
  ["registry", "istio", "io"].join("."),
  ["istio-release", "storage", "googleapis", "com"].join("."),
];

async function recorded(config: Record<string, string>, stack = "test"): Promise<RecordedResource[]> {
  const evaluation = await evaluate(config, { stack });
  if (evaluation.error) throw evaluation.error;
  return evaluation.resources;
}

const istioReleases = (resources: RecordedResource[]) =>
  resources.filter((r) => r.type === RELEASE && ISTIO_RELEASES.includes(String(r.inputs["name"])));

const images = (resources: RecordedResource[]) =>
  resources
    .filter((r) => r.type === "kubernetes:apps/v1:Deployment")
    .flatMap((d) => {
      const spec = d.inputs["spec"] as { template: { spec: { containers: { image: string }[] } } };
      return spec.template.spec.containers.map((c) => c.image);
    });

function assertLiveArtifacts(resources: RecordedResource[], version: string, where: string): void {
  const releases = istioReleases(resources);
  assert.ok(releases.length >= 4, `${where}: Istio releases present`);
  for (const r of releases) {
    const what = `${where}: ${r.name}`;
    assert.equal(r.inputs["chart"], CHART_OF[String(r.inputs["name"])], what);
    assert.deepEqual(
      r.inputs["repositoryOpts"],
      { repo: "https://blob.istio.io/istio-release/charts" },
      what,
    );
    assert.equal(r.inputs["version"], version, what);
    const global = (r.inputs["values"] as { global?: { hub?: string; tag?: string } }).global;
    assert.deepEqual({ hub: global?.hub, tag: global?.tag }, { hub: "docker.io/istio", tag: version }, what);
  }
  for (const image of images(resources)) {
    assert.ok(
      !RETIRED.some((retired) => image.includes(retired)),
      `${where}: ${image} is on a retired registry`,
    );
    if (image.includes("examples-helloworld"))
      assert.match(image, /^docker\.io\/istio\/examples-helloworld-v[12]:1\.0$/);
  }
}

describe("Istio artifacts", { timeout: 240_000 }, () => {
  for (const stack of listStacks()) {
    it(`${stack}: charts from blob.istio.io, images from Docker Hub, hub and tag on every release`, async () => {
      const resources = await recorded(stackConfig(stack), stack);
      assertLiveArtifacts(resources, "1.31.1", stack);
    });
  }

  it("a 1.30 install names the hub too (its charts would default to a retired registry)", async () => {
    const config = overlay({ istioVersion: "1.30.3" }, stackConfig("multi-primary"));
    const resources = await recorded(config, "multi-primary");
    assertLiveArtifacts(resources, "1.30.3", "multi-primary on 1.30.3");
    assert.ok(images(resources).some((i) => i === "docker.io/istio/examples-helloworld-v2:1.0"));
  });

  it("an OCI registry is written as the chart reference, without a repository", async () => {
    const config = meshConfig("primary-remote", 2, {
      istioChartRepository: "oci://ghcr.io/istio/release/charts",
      onlineBoutique: true,
    });
    const releases = istioReleases(await recorded(config));
    assert.equal(
      releases.length,
      7,
      "base and istiod in each of 2 clusters, 2 east-west gateways, 1 ingress",
    );
    for (const r of releases) {
      assert.equal(
        r.inputs["chart"],
        `oci://ghcr.io/istio/release/charts/${CHART_OF[String(r.inputs["name"])]}`,
      );
      assert.equal(r.inputs["repositoryOpts"], undefined, `${r.name}: no repositoryOpts for OCI`);
      assert.equal(r.inputs["version"], "1.31.1");
    }
  });

  it("a mirror takes charts and images, sample images included", async () => {
    const config = meshConfig("multi-primary", 2, {
      istioChartRepository: "https://charts.mirror.example.com/istio/",
      istioHub: "mirror.example.com:5000/istio",
      helloworld: true,
    });
    const resources = await recorded(config);
    for (const r of istioReleases(resources)) {
      assert.deepEqual(r.inputs["repositoryOpts"], { repo: "https://charts.mirror.example.com/istio" });
      assert.equal(
        (r.inputs["values"] as { global: { hub: string } }).global.hub,
        "mirror.example.com:5000/istio",
      );
    }
    const helloworld = images(resources).filter((i) => i.includes("helloworld"));
    assert.deepEqual(helloworld.sort(), [
      "mirror.example.com:5000/istio/examples-helloworld-v1:1.0",
      "mirror.example.com:5000/istio/examples-helloworld-v2:1.0",
    ]);
  });

  it("no file in the repository names a retired Istio location", () => {
    const files = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" })
      .split("\0")
      .filter((f) => f !== "" && f !== "package-lock.json");
    assert.ok(files.length > 50, "the repository's files were listed");
    const offenders = files.filter((file) => {
      let text: string;
      try {
        text = readFileSync(join(ROOT, file), "utf8");
      } catch {
        return false; // deleted in the working tree
      }
      return RETIRED.some((retired) => text.includes(retired));
    });
    assert.deepEqual(offenders, []);
  });
});
