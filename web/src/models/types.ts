// The model pages' answers, as the server's OpenAPI document describes them (openapi.gen.ts is
// generated from openapi.json at build): a changed response shape fails the type check.
import type { components } from "../api/openapi.gen";

type Schemas = components["schemas"];

/** GET /api/v1/lineage */
export type LineageResponse = Schemas["LineageResponse"];
export type LineageNode = Schemas["LineageNode"];

/** GET /api/v1/models/{name} */
export type ModelResponse = Schemas["ModelResponse"];
export type ModelColumn = Schemas["ModelColumn"];
export type ModelCheck = Schemas["ModelCheck"];

/** The page of a node: sources have one too, though the model endpoint describes only resources. */
export function modelHref(name: string): string {
  return `/models/${encodeURIComponent(name)}`;
}
