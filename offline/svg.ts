// The plan picture as SVG, laid out in-process by Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz):
// no system Graphviz and no network. The module is ESM-only, hence the dynamic import.
type Graphviz = { dot(source: string): string };

let loaded: Promise<Graphviz> | undefined;

async function graphviz(): Promise<Graphviz> {
  loaded ??= import("@hpcc-js/wasm-graphviz").then(({ Graphviz }) => Graphviz.load());
  return loaded;
}

/** SVG of a DOT graph (the `dot` layout engine); throws Graphviz's message for invalid DOT. */
export async function renderSvg(dot: string): Promise<string> {
  return (await graphviz()).dot(dot);
}
