// The API's answers, as the server's OpenAPI document describes them (openapi.gen.ts is
// generated from openapi.json by build.mjs): a changed response shape fails the type check.
import type { components } from "./openapi.gen";

type Schemas = components["schemas"];

export type TrendResponse = Schemas["TrendResponse"];
export type TrendPeriod = Schemas["TrendPeriod"];
export type FunnelResponse = Schemas["FunnelResponse"];
export type BenchmarkResponse = Schemas["BenchmarkResponse"];
export type PeerStats = Schemas["PeerStats"];
export type RowsResponse = Schemas["RowsResponse"];

/**
 * An RFC 7807 problem, the answer of every error. The document declares problems as
 * application/problem+json without a schema, so their members are written here.
 */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  parameter?: string;
  request_id?: string;
}

/** The document types numbers as `number | string` (JSON numbers may be written as strings); this reads either. */
export function num(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === "") {
    return null;
  }

  const parsed = typeof value === "number" ? value : Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}
