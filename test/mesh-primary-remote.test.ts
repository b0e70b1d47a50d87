// primary-remote: the mesh for two and for five clusters passes every topology assertion.
import { topologySuite } from "./support/meshSuite";

topologySuite("primary-remote", 2);
topologySuite("primary-remote", 5);
