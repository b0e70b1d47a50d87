// The package entry as another program uses it: examples/embedded-mesh imports MulticlusterMesh by the
// package's name and evaluates on the offline engine like any Pulumi program.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { created, evaluate } from "../offline/engine/runtime";
import { PROJECT, ROOT, configFromFile, loadStackFile, withOverrides } from "../offline/engine/stackFiles";
import { settingsFromConfig } from "../config/load";
import { requireValidConfig } from "../config/validate";
import { planMesh } from "../plan/planner";
import { revisionTransitionProblems } from "../plan/revisionTransition";
import embeddedMesh from "../examples/embedded-mesh/index";
import { execKubeconfig } from "./support/configs";
import { Graph } from "./support/graphQuery";

const EXAMPLE = join(ROOT, "examples", "embedded-mesh");
const MESH_TYPE = "istio-multicluster:index:MulticlusterMesh";

describe("package entry and the embedded-mesh example", { timeout: 120_000 }, () => {
  it("resolves `istio-multicluster` to lib.ts, while Pulumi runs index.ts as this project's program", () => {
    assert.equal(require.resolve("istio-multicluster"), join(ROOT, "lib.ts"));
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
    assert.equal(pkg["main"], "lib.ts");
    assert.equal(pkg["types"], "lib.ts");
    // Pulumi prefers package.json `exports`/`main` unless Pulumi.yaml names the program itself.
    const project = parse(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8")) as { main?: string };
    assert.equal(project.main, "index.ts");
    const example = parse(readFileSync(join(EXAMPLE, "Pulumi.yaml"), "utf8")) as { main?: string };
    assert.equal(example.main, "index.ts");
  });

  it("builds a primary-remote mesh from args given in code", async () => {
    assert.equal(typeof embeddedMesh, "function", "the example exports its program as a function");
    const evaluation = await evaluate(
      { "gcp:project": "example-project-1" },
      { program: embeddedMesh, stack: "example" },
    );
    assert.equal(evaluation.error, undefined, String(evaluation.error));
    assert.deepEqual(evaluation.duplicateUrns, []);
    assert.deepEqual([...evaluation.cloud.unhandledTypes], []);

    const resources = created(evaluation);
    const mesh = resources.filter((r) => r.type === MESH_TYPE);
    assert.equal(mesh.length, 1, "one MulticlusterMesh component");
    assert.equal(mesh[0]!.name, "mesh");
    // Every resource of the mesh lives under the component, so another program can place it in its tree.
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const underMesh = (urn: string): boolean => {
      for (let at = byUrn.get(urn); at; at = byUrn.get(at.parent))
        if (at.parent === mesh[0]!.urn) return true;
      return false;
    };
    const outside = resources.filter(
      (r) => r.custom && !r.type.startsWith("pulumi:providers:") && !underMesh(r.urn),
    );
    assert.deepEqual(
      outside.map((r) => r.urn),
      [],
    );

    const graph = new Graph(resources);
    const clusters = graph.ofType("gcp:container/cluster:Cluster");
    // GKE names carry the stack's prefix (the stack is "example"), the Istio clusters keep their own names.
    assert.deepEqual(clusters.map((c) => [c.name, c.inputs["name"], c.inputs["location"]]).sort(), [
      ["mesh-east", "example-east", "us-east1-b"],
      ["mesh-west", "example-west", "us-west1-a"],
    ]);
    // The project given in config reaches the clusters (Workload Identity pool is <project>.svc.id.goog).
    for (const c of clusters) {
      assert.deepEqual(c.inputs["workloadIdentityConfig"], { workloadPool: "example-project-1.svc.id.goog" });
    }

    // Primary-remote: the primary's istiod reads the remote's API server through a remote secret there.
    const remoteSecrets = graph
      .ofType("kubernetes:core/v1:Secret")
      .filter(
        (s) =>
          (s.inputs["metadata"] as { labels?: Record<string, string> }).labels?.["istio/multiCluster"] ===
          "true",
      );
    assert.deepEqual(
      remoteSecrets.map((s) => [graph.clusterOf(s), (s.inputs["metadata"] as { name: string }).name]),
      [["east", "istio-remote-secrets"]],
    );

    const outputs = evaluation.outputs["clusters"] as Record<string, { role: string; watches: string[] }>;
    assert.deepEqual(Object.keys(outputs).sort(), ["east", "west"]);
    assert.equal(outputs["east"]!.role, "primary");
    assert.equal(outputs["west"]!.role, "remote");
    assert.match(String(evaluation.outputs["rootCertificate"]), /^-----BEGIN CERTIFICATE-----/);
  });
});

describe("the existing-clusters example stack file", { timeout: 120_000 }, () => {
  it("plans a mesh of a created, an adopted GKE and a kubeconfig cluster once the kubeconfig is set", async () => {
    const file = join(ROOT, "examples", "existing-clusters", "Pulumi.mixed.yaml");
    // What `pulumi config set --secret --path 'kubeconfigs.eks-west' ...` adds to the stack.
    const eksKubeconfig = execKubeconfig("https://eks-west.example.com");
    const config = withOverrides(
      { kubeconfigs: { "eks-west": eksKubeconfig } },
      loadStackFile(file, ROOT, {}).config,
    );
    const evaluation = await evaluate(config, {
      stack: "mixed",
      cloud: { loadBalancerHostnames: ["mesh-eks-west"] },
    });
    assert.equal(evaluation.error, undefined, String(evaluation.error));

    const graph = new Graph(created(evaluation));
    assert.deepEqual(
      graph.ofType("gcp:container/cluster:Cluster").map((c) => c.inputs["name"]),
      ["mixed-gke-east"],
      "only the first cluster is created",
    );
    const adopted = evaluation.cloud.state.adoptedClusters.get("legacy-central");
    assert.match(
      String(adopted?.["id"]),
      /^projects\/my-other-project\/locations\/us-central1\/clusters\/legacy-central$/,
    );
    const eksProvider = graph
      .ofType("pulumi:providers:kubernetes")
      .find((p) => p.inputs["kubeconfig"] === eksKubeconfig);
    assert.ok(
      eksProvider?.secretInputs.includes("kubeconfig"),
      "eks-west is reached through its secret kubeconfig",
    );
  });

  it("plans as shipped: the secure kubeconfig a placeholder without the passphrase, the example's own with it", async () => {
    const file = join(ROOT, "examples", "existing-clusters", "Pulumi.mixed.yaml");
    const withoutKey = loadStackFile(file, ROOT, {});
    assert.deepEqual(withoutKey.secretKeys, ["istio-multicluster:kubeconfigs"]);
    assert.deepEqual(withoutKey.placeholders, ["istio-multicluster:kubeconfigs.eks-west"]);
    const withKey = loadStackFile(file, ROOT, { PULUMI_CONFIG_PASSPHRASE: "not-a-secret" });
    assert.deepEqual(withKey.placeholders, []);
    const kubeconfigs = JSON.parse(withKey.config["istio-multicluster:kubeconfigs"]!) as Record<
      string,
      string
    >;
    assert.equal(kubeconfigs["eks-west"], execKubeconfig("https://eks-west.example.com"));
    for (const stackFile of [withoutKey, withKey]) {
      const evaluation = await evaluate(stackFile.config, {
        stack: "mixed",
        secretKeys: stackFile.secretKeys,
      });
      assert.equal(evaluation.error, undefined, String(evaluation.error));
      assert.equal(created(evaluation).filter((r) => r.type === "pulumi:providers:kubernetes").length, 3);
    }
  });
});

describe("the canary-upgrade example stack files", { timeout: 120_000 }, () => {
  const CANARY = join(ROOT, "examples", "canary-upgrade");

  it("plans a primary-remote mesh in stage 2: both revisions in both clusters, samples on prod-canary", async () => {
    const evaluation = await evaluate(configFromFile(join(CANARY, "Pulumi.canary.yaml")), {
      stack: "canary",
    });
    assert.equal(evaluation.error, undefined, String(evaluation.error));
    const graph = new Graph(created(evaluation));
    const istiods = graph
      .ofType("kubernetes:helm.sh/v3:Release")
      .filter((r) => String(r.inputs["name"]).startsWith("istiod"))
      .map((r) => {
        const values = r.inputs["values"] as { revision?: string; revisionTags?: string[]; profile?: string };
        return `${r.name}: ${String(r.inputs["name"])}@${String(r.inputs["version"])} ${values.profile ?? "primary"} [${values.revisionTags?.join(",")}]`;
      })
      .sort();
    assert.deepEqual(istiods, [
      "mesh-cluster1-istiod-1-31-1: istiod-1-31-1@1.31.1 primary [prod-canary]",
      "mesh-cluster1-istiod: istiod@1.30.3 primary [prod-stable]",
      "mesh-cluster2-istiod-1-31-1: istiod-1-31-1@1.31.1 remote [prod-canary]",
      "mesh-cluster2-istiod: istiod@1.30.3 remote [prod-stable]",
    ]);
    for (const ns of graph
      .ofType("kubernetes:core/v1:Namespace")
      .filter((n) => !n.name.endsWith("istio-system"))) {
      assert.deepEqual((ns.inputs["metadata"] as { labels: unknown }).labels, {
        "istio.io/rev": "prod-canary",
      });
    }
  });

  it("the multi-primary stage files follow each other without skipping a stage", () => {
    const planOf = (stage: number) => {
      const { settings } = settingsFromConfig(
        configFromFile(join(CANARY, "multi-primary", `Pulumi.stage${stage}.yaml`)),
        PROJECT,
      );
      return planMesh(requireValidConfig(settings, { stack: "multi-primary" }));
    };
    for (const stage of [1, 2, 3, 4]) {
      assert.deepEqual(revisionTransitionProblems(planOf(stage - 1), planOf(stage)), [], `stage ${stage}`);
    }
    assert.notDeepEqual(
      revisionTransitionProblems(planOf(1), planOf(4)),
      [],
      "skipping promotion is refused",
    );
  });
});
