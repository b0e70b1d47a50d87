// Every relative link in the README and docs/ leads somewhere: the file exists, and an #anchor names a
// heading of that file (GitHub's slugs: lower case, punctuation dropped, spaces to hyphens).
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, it } from "node:test";
import { ROOT } from "../offline/engine/stackFiles";

const DOCUMENTS = ["README.md", ...readdirSync(join(ROOT, "docs")).map((f) => join("docs", f))].filter((f) =>
  f.endsWith(".md"),
);

function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
}

describe("links in the README and docs/", () => {
  it("point at files that exist and at headings they have", () => {
    const broken: string[] = [];
    let checked = 0;
    for (const document of DOCUMENTS) {
      const path = join(ROOT, document);
      const text = readFileSync(path, "utf8").replace(/```[\s\S]*?```/g, "");
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        const [file, anchor] = target!.split("#") as [string, string | undefined];
        const linked = file === "" ? path : resolve(dirname(path), file);
        checked++;
        if (!existsSync(linked)) broken.push(`${document}: ${target} (no such file)`);
        else if (anchor !== undefined && linked.endsWith(".md") && !anchorsOf(linked).has(anchor))
          broken.push(`${document}: ${target} (no such heading)`);
      }
    }
    assert.ok(checked > 10, `checked ${checked} links`);
    assert.deepEqual(broken, []);
  });

  it("slugs headings as GitHub does", () => {
    assert.equal(slug("1. Set-up and try it offline"), "1-set-up-and-try-it-offline");
    assert.equal(
      slug("Security: what a remote secret gives away"),
      "security-what-a-remote-secret-gives-away",
    );
    assert.equal(slug("`nodePool` of a created cluster"), "nodepool-of-a-created-cluster");
  });
});
