// The list's search: every word typed must be found in a node's name, kind, materialization or
// one of its tags, so "mart incremental" narrows as a person expects.
import type { LineageNode } from "./types";

export interface ListFilter {
  text: string;
  kind: string;
}

export function readFilter(url: URL): ListFilter {
  return { text: url.searchParams.get("q") ?? "", kind: url.searchParams.get("kind") ?? "" };
}

/** The query string of a filter, empty parameters left out. */
export function writeFilter(filter: ListFilter): string {
  const parameters = new URLSearchParams();
  if (filter.text.trim()) {
    parameters.set("q", filter.text.trim());
  }

  if (filter.kind) {
    parameters.set("kind", filter.kind);
  }

  const query = parameters.toString();
  return query ? `?${query}` : "";
}

export function matches(node: LineageNode, filter: ListFilter): boolean {
  if (filter.kind && node.kind !== filter.kind) {
    return false;
  }

  const fields = [node.name, node.kind, node.materialized ?? "", ...node.tags].map((f) => f.toLowerCase());
  return filter.text
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word)
    .every((word) => fields.some((f) => f.includes(word)));
}
