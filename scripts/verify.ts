// Entry point of `npm run verify`; see docs/samples-and-verification.md and verify/cli.ts.
import "../verify/main";
