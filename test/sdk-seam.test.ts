// Canary for the one file where the offline engine relies on SDK internals (offline/engine/sdkSeam.ts):
// if an SDK upgrade changes any of them, this fails before the engine silently records the wrong thing.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { attachToMonitor, PINNED_SDK_VERSION, UNKNOWN, waitForRPCs } from "../offline/engine/sdkSeam";

const installed = JSON.parse(readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as {
  version: string;
};
const declared = (
  JSON.parse(readFileSync(`${__dirname}/../package.json`, "utf8")) as {
    dependencies: Record<string, string>;
  }
).dependencies["@pulumi/pulumi"];

describe("the SDK seam", () => {
  it("@pulumi/pulumi is pinned exactly to the version the seam was written against", () => {
    assert.equal(declared, PINNED_SDK_VERSION);
    assert.equal(installed.version, PINNED_SDK_VERSION);
  });

  it("the mock monitor has the methods and state the seam wraps, and waitForRPCs exists", async () => {
    await pulumi.runtime.setMocks({ newResource: () => ({ id: "x", state: {} }), call: () => ({}) });
    const monitor = pulumi.runtime.getMonitor() as unknown as Record<string, unknown>;
    for (const method of ["registerResource", "readResource", "registerResourceOutputs", "newUrn"]) {
      assert.equal(typeof monitor[method], "function", method);
    }
    assert.ok(monitor["resources"] instanceof Map);
    assert.equal(typeof (settings as unknown as Record<string, unknown>)["waitForRPCs"], "function");
    assert.equal(UNKNOWN, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
  });

  it("newResource runs synchronously after the announcement, with the request's options and aliases", async () => {
    const events: string[] = [];
    await pulumi.runtime.setMocks({
      newResource: (args) => (events.push(`new ${args.name}`), { id: `${args.name}-id`, state: { a: 1 } }),
      call: () => ({}),
    });
    const seen: string[] = [];
    const monitor = attachToMonitor({
      beforeRegister: (r) => {
        events.push(`announce ${r.name}`);
        seen.push(`${r.name} ignore=${r.ignoreChanges.join(",")} aliases=${r.aliasNames.join(",")}`);
      },
      afterRegister: () => {},
      stackOutputs: () => {},
    });
    class Thing extends pulumi.CustomResource {
      constructor(name: string, opts?: pulumi.CustomResourceOptions) {
        super("test:index:Thing", name, { a: 1 }, opts);
      }
    }
    const first = new Thing("first", { ignoreChanges: ["a"], aliases: [{ name: "old-first" }] });
    const second = new Thing("second");
    const urnOf = (r: pulumi.Resource) => new Promise<string>((resolve) => r.urn.apply(resolve));
    const [urn] = await Promise.all([urnOf(first), urnOf(second)]);
    await waitForRPCs();
    // Each announcement is followed at once by its own newResource call, whatever the order of the two.
    assert.equal(events.length, 4);
    for (let i = 0; i < events.length; i += 2) {
      assert.equal(events[i + 1], events[i]!.replace("announce", "new"));
    }
    assert.deepEqual(seen.sort(), ["first ignore=a aliases=old-first", "second ignore= aliases="]);
    assert.equal(monitor.idOf(urn), "first-id");
    assert.deepEqual(monitor.stateOf(urn), { a: 1 });
  });
});
