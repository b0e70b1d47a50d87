// multi-primary: the mesh for two and for five clusters passes every topology assertion.
import { topologySuite } from "./support/meshSuite";

topologySuite("multi-primary", 2);
topologySuite("multi-primary", 5);
