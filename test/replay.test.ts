// The SDK floor of the bench (offline/engine/replay.ts) registers exactly what the program registered:
// the same URNs, parents, providers, dependencies and aliases, the same inputs and secret inputs; else the
// evaluation/floor ratio would compare two different graphs.
import assert from "node:assert/strict";
import { it } from "node:test";
import { replay, replayScript } from "../offline/engine/replay";
import { evaluate } from "../offline/engine/runtime";
import type { RecordedResource } from "../offline/engine/recorder";
import { meshConfig } from "../offline/engine/syntheticMesh";

const shape = (r: RecordedResource) =>
  JSON.stringify({
    urn: r.urn,
    custom: r.custom,
    parent: r.parent,
    provider: r.provider.replace(/::[^:]*$/, ""),
    dependencies: [...r.dependencies].sort(),
    aliasNames: [...r.aliasNames].sort(),
    inputs: r.inputs,
    secretInputs: [...r.secretInputs].sort(),
    additionalSecretOutputs: r.additionalSecretOutputs,
  });

it(
  "replays a recorded mesh as the same registrations, without the program",
  { timeout: 120_000 },
  async () => {
    const config = meshConfig("primary-remote", 3, { helloworld: true, onlineBoutique: true });
    const program = await evaluate(config);
    if (program.error) throw program.error;
    assert.ok(
      program.resources.some((r) => r.aliasNames.length > 0),
      "the mesh has aliased resources to replay",
    );
    // Through JSON, as the bench hands it from one process to the next.
    const script = JSON.parse(JSON.stringify(replayScript(program.resources, program.outputs)));
    const floor = await evaluate(config, { program: () => replay(script) });
    if (floor.error) throw floor.error;
    assert.equal(floor.resources.length, program.resources.length);
    const replayed = new Map(floor.resources.map((r) => [r.urn, shape(r)]));
    const differing = program.resources.filter((r) => replayed.get(r.urn) !== shape(r)).map((r) => r.urn);
    assert.deepEqual(differing, [], "registered differently by the floor");
  },
);
