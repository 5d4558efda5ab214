// Imported once by main.ts: the pipeline pages join the router's routes (their paths do not
// overlap any other area's, so the order of registration does not matter).
import { addRoutes } from "../app/router";
import { pipelineRoutes } from "./routes";

addRoutes(...pipelineRoutes);
