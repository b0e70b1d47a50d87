// CrossGuard policy pack of istio-multicluster: `pulumi preview --policy-pack policy` from the repository
// root (dependencies come from the root's `npm ci`). The policies themselves are in policies.ts.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("istio-multicluster", { enforcementLevel: "mandatory", policies });
