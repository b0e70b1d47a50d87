// shared-control-plane: the mesh for two and for five clusters passes every topology assertion.
import { topologySuite } from "./support/meshSuite";

topologySuite("shared-control-plane", 2);
topologySuite("shared-control-plane", 5);
