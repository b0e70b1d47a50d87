// Entry point of `npm run verify`; see docs/samples-and-verification.md and verify/cli.ts.
import { main } from "../verify/cli";
import { systemDeps } from "../verify/system";

main(process.argv.slice(2), systemDeps, process.env).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
