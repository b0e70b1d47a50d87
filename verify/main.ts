// The traffic check as a program: `npm run verify` (scripts/verify.ts) and, compiled to bin/verify/main.js
// by `npm run build` (the package's `prepare`), what verifyOnUp runs from an installed package
// (components/samples/trafficCheck.ts): plain Node, no TypeScript loader, no working directory assumed.
import { main } from "./cli";
import { systemDeps } from "./system";

main(process.argv.slice(2), systemDeps, process.env).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
