// Shard 2 of npm test: see plan.ts.
import { loadShard } from "./plan";

loadShard(2);
