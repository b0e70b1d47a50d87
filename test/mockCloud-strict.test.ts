// The mock cloud refuses what Google Cloud, Kubernetes and Helm refuse, so a test fails where a real
// `pulumi up` would. Each rule: a case that must be refused (with the API's kind of message) and the
// nearest case that must pass. Limits come from the API docs and provider sources cited in
// offline/engine/cloud/names.ts, never from the program.
import assert from "node:assert/strict";
import { ConfigError } from "../config/validate";
import { describe, it } from "node:test";
import * as gcp from "@pulumi/gcp";
import { CloudRefusal } from "../offline/engine/cloud/refusal";
import { MockCloud } from "../offline/engine/mockCloud";
import { RegistrationError } from "../offline/engine/recorder";
import { evaluate } from "../offline/engine/runtime";
import { withOverrides } from "../offline/engine/stackFiles";
import { meshConfig } from "../offline/engine/syntheticMesh";

type Inputs = Record<string, unknown>;
type SecondaryRange = { rangeName: string; ipCidrRange: string };
const create = (cloud: MockCloud, type: string, name: string, inputs: Inputs, provider?: string) =>
  cloud.newResource({ type, name, inputs, custom: true, ...(provider ? { provider } : {}) });
const refused = (promise: Promise<unknown>, message: RegExp) =>
  assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof CloudRefusal, `expected a refusal, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });

const x = (n: number) => "a".repeat(n);
const NETWORK = "gcp:compute/network:Network";
const SUBNET = "gcp:compute/subnetwork:Subnetwork";
const ADDRESS = "gcp:compute/address:Address";
const CLUSTER = "gcp:container/cluster:Cluster";
const NODE_POOL = "gcp:container/nodePool:NodePool";
const subnetInputs = (
  name: string,
  region: string,
  cidr: string,
  network = "net",
  secondary: SecondaryRange[] = [],
) => ({
  name,
  region,
  network: `projects/my-gcp-project/global/networks/${network}`,
  ipCidrRange: cidr,
  secondaryIpRanges: secondary,
});

describe("refused registrations fail the evaluation", () => {
  it("reports the first refusal as the evaluation's error, and nothing after it escapes", async () => {
    const e = await evaluate(meshConfig("multi-primary", 1), {
      program: () => {
        const network = new gcp.compute.Network("Bad_Name", { name: "Bad_Name" });
        new gcp.compute.Subnetwork("dependent", subnetInputs("dependent", "us-east1", "10.0.0.0/20"), {
          dependsOn: [network],
        });
        return { network: network.id };
      },
    });
    assert.ok(e.error instanceof RegistrationError, String(e.error));
    assert.match(
      e.error.message,
      /^failed to register new resource Bad_Name \[gcp:compute\/network:Network\]: /,
    );
    assert.match(e.error.message, /"name" \("Bad_Name"\) doesn't match regexp/);
    assert.equal(e.failures.length, 1);
    assert.ok(!e.resources.some((r) => r.name === "dependent"), "nothing that waits for it is created");
  });

  it("a program the clouds accept evaluates without error", async () => {
    const e = await evaluate(meshConfig("multi-primary", 1), {
      program: () => {
        const network = new gcp.compute.Network("net", { name: "net" });
        new gcp.compute.Subnetwork("sub", {
          ...subnetInputs("sub", "us-east1", "10.0.0.0/20"),
          network: network.id,
        });
        return {};
      },
    });
    assert.equal(e.error, undefined, String(e.error));
  });
});

describe("Google Cloud names", () => {
  const computeKinds: [string, Inputs][] = [
    [NETWORK, {}],
    [SUBNET, subnetInputs("", "us-east1", "10.0.0.0/24")],
    ["gcp:compute/firewall:Firewall", { network: "net" }],
    [ADDRESS, { region: "us-east1" }],
    ["gcp:compute/router:Router", { region: "us-east1", network: "net" }],
  ];
  for (const [type, inputs] of computeKinds) {
    it(`${type}: RFC 1035, 1-63 characters`, async () => {
      for (const [i, bad] of ["Upper", "under_score", "trailing-", "1digit", x(64)].entries()) {
        await refused(
          create(new MockCloud(), type, `r${i}`, { ...inputs, name: bad }),
          /doesn't match regexp/,
        );
      }
      await create(new MockCloud(), type, "ok", { ...inputs, name: x(63) });
      await create(new MockCloud(), type, "ok", { ...inputs, name: "a" });
    });
  }

  it("Cloud NAT: 2-63 characters", async () => {
    const nat = (name: string) =>
      create(new MockCloud(), "gcp:compute/routerNat:RouterNat", name, {
        name,
        region: "us-east1",
        router: "r",
      });
    await refused(nat("a"), /must be between 2 and 63 characters long/);
    await refused(nat(x(64)), /must be between 2 and 63/);
    await nat("ab");
  });

  it("GKE cluster: at most 40, starts with a letter, ends with a letter or digit", async () => {
    const cluster = (name: string) =>
      create(new MockCloud(), CLUSTER, name, { name, location: "us-east1-b" });
    await refused(cluster(x(41)), /cannot be longer than 40 characters/);
    await refused(cluster("1cluster"), /must start with a letter/);
    await refused(cluster("cluster-"), /must end with a number or a letter/);
    await refused(cluster("Cluster"), /can only contain lowercase letters, numbers and hyphens/);
    await cluster(x(40));
  });

  it("GKE node pool: at most 40, RFC 1035; network tags RFC 1035, 1-63", async () => {
    const pool = async (name: string, tags: string[] = []) => {
      const cloud = new MockCloud();
      await create(cloud, CLUSTER, "c", { name: "c", location: "us-east1-b" });
      return create(cloud, NODE_POOL, "p", {
        name,
        cluster: "c",
        location: "us-east1-b",
        nodeConfig: { tags },
      });
    };
    await refused(pool(x(41)), /Error 400: Invalid value for field "node_pool.name"/);
    await refused(pool("Nodes"), /node_pool.name/);
    await pool(x(40));
    await refused(pool("nodes", ["Bad_Tag"]), /resource.tags.items\[0\]/);
    await refused(pool("nodes", ["ok", x(64)]), /resource.tags.items\[1\]/);
    await pool("nodes", [x(63)]);
  });

  it("service account id: RFC 1035, 6-30", async () => {
    const account = (accountId: string) =>
      create(new MockCloud(), "gcp:serviceaccount/account:Account", "sa", { accountId });
    await refused(account("short"), /"account_id" \("short"\) must be between 6 and 30/);
    await refused(account(x(31)), /between 6 and 30/);
    await refused(account("1nodes"), /must match regex/);
    await account("sixchr");
    await account(x(30));
  });

  it("GKE resourceLabels: lowercase keys and values, 63 at most", async () => {
    const labelled = (resourceLabels: Record<string, string>) =>
      create(new MockCloud(), CLUSTER, "c", { name: "c", location: "us-east1-b", resourceLabels });
    await refused(labelled({ "Istio-Mesh": "mesh1" }), /label key 'Istio-Mesh'/);
    await refused(labelled({ "1key": "v" }), /label key '1key'/);
    await refused(labelled({ mesh: "Mesh1" }), /label value 'Mesh1'/);
    await refused(labelled({ mesh: x(64) }), /label value/);
    await refused(
      labelled(Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, "v"]))),
      /64 labels/,
    );
    await labelled({ "istio-mesh": "mesh1", empty: "", under_score: "a_1" });
  });
});

describe("Google Cloud: names unique per project and scope", () => {
  it("networks and firewalls are global; subnets, addresses and routers regional", async () => {
    const cloud = new MockCloud();
    await create(cloud, NETWORK, "n1", { name: "n" });
    await refused(
      create(cloud, NETWORK, "n2", { name: "n" }),
      /Error 409: The resource 'projects\/my-gcp-project\/global\/networks\/n' already exists/,
    );
    await create(cloud, "gcp:compute/firewall:Firewall", "f1", { name: "f" });
    await refused(create(cloud, "gcp:compute/firewall:Firewall", "f2", { name: "f" }), /already exists/);
    await create(cloud, SUBNET, "s1", subnetInputs("s", "us-east1", "10.0.0.0/24", "n"));
    await create(cloud, SUBNET, "s2", subnetInputs("s", "europe-west4", "10.0.1.0/24", "n"));
    await refused(
      create(cloud, SUBNET, "s3", subnetInputs("s", "us-east1", "10.0.2.0/24", "n")),
      /regions\/us-east1\/subnetworks\/s' already exists/,
    );
    await create(cloud, ADDRESS, "a1", { name: "a", region: "us-east1" });
    await create(cloud, ADDRESS, "a2", { name: "a", region: "europe-west4" });
    await refused(
      create(cloud, ADDRESS, "a3", { name: "a", region: "us-east1" }),
      /addresses\/a' already exists/,
    );
    await create(cloud, "gcp:compute/router:Router", "r1", { name: "r", region: "us-east1" });
    await refused(
      create(cloud, "gcp:compute/router:Router", "r2", { name: "r", region: "us-east1" }),
      /routers\/r' already exists/,
    );
    const nat = (name: string, router: string) =>
      create(cloud, "gcp:compute/routerNat:RouterNat", name, { name: "nat", region: "us-east1", router });
    await nat("nat1", "r");
    await nat("nat2", "other");
    await refused(nat("nat3", "r"), /routers\/r\/nats\/nat' already exists/);
  });

  it("GKE clusters per location, node pools per cluster, service accounts per project", async () => {
    const cloud = new MockCloud();
    await create(cloud, CLUSTER, "c1", { name: "c", location: "us-east1-b" });
    await create(cloud, CLUSTER, "c2", { name: "c", location: "europe-west4-b" });
    await refused(
      create(cloud, CLUSTER, "c3", { name: "c", location: "us-east1-b" }),
      /Error 409: Already exists: projects\/my-gcp-project\/locations\/us-east1-b\/clusters\/c\./,
    );
    const pool = (name: string, location: string) =>
      create(cloud, NODE_POOL, name, { name: "nodes", cluster: "c", location });
    await pool("p1", "us-east1-b");
    await pool("p2", "europe-west4-b");
    await refused(pool("p3", "us-east1-b"), /Already exists: .*clusters\/c\/nodePools\/nodes\./);
    const account = (name: string) =>
      create(cloud, "gcp:serviceaccount/account:Account", name, { accountId: "mesh-nodes" });
    await account("sa1");
    await refused(account("sa2"), /Service account mesh-nodes already exists within project/);
  });

  it("a node pool needs its cluster, registered before, in the same location", async () => {
    const cloud = new MockCloud();
    const pool = (cluster: string, location: string) =>
      create(cloud, NODE_POOL, `${cluster}-${location}`, { name: `p-${location}`, cluster, location });
    await refused(
      pool("c", "us-east1-b"),
      /Error 404: Not found: projects\/my-gcp-project\/locations\/us-east1-b\/clusters\/c\./,
    );
    await create(cloud, CLUSTER, "c", { name: "c", location: "us-east1-b" });
    await refused(pool("c", "us-east1-c"), /Not found: .*locations\/us-east1-c\/clusters\/c\./);
    await pool("c", "us-east1-b");
    // The cluster's id works as well as its name.
    await pool("projects/my-gcp-project/locations/us-east1-b/clusters/c", "elsewhere");
  });
});

describe("Google Cloud: ranges and regions", () => {
  it("no range of a VPC overlaps another, primary or secondary; other VPCs may reuse them", async () => {
    const cloud = new MockCloud();
    const subnet = (name: string, cidr: string, secondary: SecondaryRange[] = [], network = "vpc1") =>
      create(cloud, SUBNET, name, subnetInputs(name, "us-east1", cidr, network, secondary));
    await subnet("a", "10.0.0.0/20", [{ rangeName: "a-pods", ipCidrRange: "10.64.0.0/14" }]);
    await refused(
      subnet("b", "10.0.8.0/21"),
      /Error 400: Invalid IPCidrRange: 10.0.8.0\/21 conflicts with existing subnetwork 'a'/,
    );
    await refused(subnet("c", "10.0.0.0/8"), /10.0.0.0\/8 conflicts with existing subnetwork 'a'/);
    await refused(
      subnet("d", "10.16.0.0/20", [{ rangeName: "d-pods", ipCidrRange: "10.66.0.0/16" }]),
      /10.66.0.0\/16 conflicts/,
    );
    await refused(
      subnet("e", "10.32.0.0/20", [{ rangeName: "e-pods", ipCidrRange: "10.32.0.0/16" }]),
      /conflicts with existing subnetwork 'e'/,
    );
    await subnet("f", "10.0.16.0/20", [{ rangeName: "f-pods", ipCidrRange: "10.68.0.0/14" }]);
    await subnet("g", "10.0.0.0/20", [{ rangeName: "g-pods", ipCidrRange: "10.64.0.0/14" }], "vpc2");
  });

  it("a secondary range name is used once per subnet", async () => {
    const twice = [
      { rangeName: "pods", ipCidrRange: "10.64.0.0/14" },
      { rangeName: "pods", ipCidrRange: "10.68.0.0/14" },
    ];
    await refused(
      create(new MockCloud(), SUBNET, "s", subnetInputs("s", "us-east1", "10.0.0.0/20", "n", twice)),
      /secondaryIpRanges\[1\].rangeName': 'pods'/,
    );
    await refused(
      create(
        new MockCloud(),
        SUBNET,
        "s",
        subnetInputs("s", "us-east1", "10.0.0.0/20", "n", [
          { rangeName: "Pods", ipCidrRange: "10.64.0.0/14" },
        ]),
      ),
      /secondary_ip_range.0.range_name/,
    );
  });

  it("a private control plane's /28 overlaps no range of its network", async () => {
    const cloud = new MockCloud();
    await create(cloud, SUBNET, "s", subnetInputs("s", "us-east1", "10.0.0.0/20"));
    const cluster = (name: string, master: string) =>
      create(cloud, CLUSTER, name, {
        name,
        location: "us-east1-b",
        network: "projects/my-gcp-project/global/networks/net",
        privateClusterConfig: { enablePrivateNodes: true, masterIpv4CidrBlock: master },
      });
    await refused(cluster("c1", "10.0.0.16/28"), /10.0.0.16\/28 conflicts with existing subnetwork 's'/);
    await cluster("c2", "172.16.0.0/28");
    await refused(
      cluster("c3", "172.16.0.0/28"),
      /conflicts with existing subnetwork 'c2 \(control plane\)'/,
    );
  });

  it("an INTERNAL address comes from a subnet of its own region", async () => {
    const cloud = new MockCloud();
    await create(cloud, SUBNET, "s", subnetInputs("s", "us-east1", "10.0.0.0/20"));
    const subnetwork = "projects/my-gcp-project/regions/us-east1/subnetworks/s";
    const internal = (name: string, region: string) =>
      create(cloud, ADDRESS, name, { name, region, addressType: "INTERNAL", subnetwork });
    await refused(
      internal("far", "europe-west4"),
      /Invalid value for field 'resource.subnetwork'.*in region 'us-east1', the address in 'europe-west4'/,
    );
    await internal("near", "us-east1");
  });
});

// Names derived from settings: a config must either be refused by validation (naming the field) or
// evaluate; it never reaches the cloud with a name the API refuses. These found real defects before names
// moved into the plan (a node pool named after a long cluster, firewalls and routers over 63).
describe("names derived from an accepted config stay within the API limits", () => {
  const long = (prefix: string, n: number) => (prefix + "x".repeat(n)).slice(0, n);
  const meshOf = (values: Record<string, unknown>) =>
    withOverrides({ "gcp:project": "my-gcp-project", topology: "multi-primary", ...values });
  const neverRefusedByTheCloud = async (values: Record<string, unknown>) => {
    const e = await evaluate(meshOf(values));
    assert.ok(!(e.error instanceof RegistrationError), String(e.error));
    assert.ok(e.error === undefined || e.error instanceof ConfigError, String(e.error));
  };

  it("a 40-character cluster name (the schema's limit)", () =>
    neverRefusedByTheCloud({
      clusters: [
        { name: long("a", 40), location: "us-east1-b", network: "n1", role: "primary" },
        { name: "b", location: "us-east1-b", network: "n2", role: "primary" },
      ],
    }));

  it("a 16-character meshId with a 40-character network shared by two clusters", () =>
    neverRefusedByTheCloud({
      meshId: long("m", 16),
      clusters: [
        { name: "a", location: "us-east1-b", network: long("n", 40), role: "primary" },
        { name: "b", location: "us-east1-c", network: long("n", 40), role: "primary" },
      ],
    }));

  it("private nodes in a region with a long name", () =>
    neverRefusedByTheCloud({
      meshId: long("m", 16),
      privateNodes: true,
      clusters: [
        { name: "a", location: "northamerica-northeast2-b", network: long("n", 30), role: "primary" },
        { name: "b", location: "northamerica-northeast2-c", network: long("k", 30), role: "primary" },
      ],
    }));
});

// Kubernetes, Helm and load balancer rules: test/mockCloud-strict-kubernetes.test.ts.
