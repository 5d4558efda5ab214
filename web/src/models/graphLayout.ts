// Where each node of a lineage graph goes: a column per depth (the longest chain of reads from a
// node without inputs), so that the graph reads left to right from sources to marts, and rows
// ordered to put each node near what it reads, which keeps edges short and crossings few.
import type { LineageNode } from "./types";

export interface PlacedNode {
  node: LineageNode;
  depth: number;
  row: number;
}

export interface Layout {
  nodes: PlacedNode[];
  edges: { from: string; to: string }[];
  columns: number;
  rows: number;
}

// Sources first, then seeds and snapshots, then models: the order of a column before sweeps.
const kindOrder: Record<string, number> = { source: 0, seed: 1, snapshot: 2, model: 3 };

export function layOut(nodes: LineageNode[]): Layout {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  // Edges only between nodes shown: a model page's graph is a part of the project's.
  const edges = nodes.flatMap((n) => n.upstream.filter((u) => byName.has(u)).map((u) => ({ from: u, to: n.name })));
  const depth = new Map<string, number>();
  const depthOf = (name: string, seen: Set<string>): number => {
    const known = depth.get(name);
    if (known !== undefined) {
      return known;
    }

    // The server's graph has no cycles; the guard keeps a broken answer from hanging the page.
    seen.add(name);
    const inputs = byName.get(name)!.upstream.filter((u) => byName.has(u) && !seen.has(u));
    const value = inputs.length === 0 ? 0 : 1 + Math.max(...inputs.map((u) => depthOf(u, seen)));
    seen.delete(name);
    depth.set(name, value);
    return value;
  };
  nodes.forEach((n) => depthOf(n.name, new Set()));

  const columnCount = nodes.length === 0 ? 0 : Math.max(...depth.values()) + 1;
  const columns: LineageNode[][] = Array.from({ length: columnCount }, () => []);
  for (const node of nodes) {
    columns[depth.get(node.name)!]!.push(node);
  }

  for (const column of columns) {
    column.sort((a, b) => (kindOrder[a.kind] ?? 9) - (kindOrder[b.kind] ?? 9) || a.name.localeCompare(b.name));
  }

  // Two sweeps from left to right: each node takes the mean row of its inputs, ties by the order before.
  const row = new Map<string, number>();
  const number = (column: LineageNode[]): void => column.forEach((n, i) => row.set(n.name, i));
  columns.forEach(number);
  for (let sweep = 0; sweep < 2; sweep++) {
    for (const column of columns.slice(1)) {
      const mean = (n: LineageNode): number => {
        const inputs = n.upstream.filter((u) => byName.has(u)).map((u) => row.get(u)!);
        return inputs.length ? inputs.reduce((s, r) => s + r, 0) / inputs.length : row.get(n.name)!;
      };
      const keys = new Map(column.map((n) => [n.name, mean(n)]));
      column.sort((a, b) => keys.get(a.name)! - keys.get(b.name)! || row.get(a.name)! - row.get(b.name)!);
      number(column);
    }
  }

  return {
    nodes: nodes.map((n) => ({ node: n, depth: depth.get(n.name)!, row: row.get(n.name)! })),
    edges,
    columns: columnCount,
    rows: Math.max(0, ...columns.map((c) => c.length)),
  };
}

/** The node and everything upstream and downstream of it, as far as the graph goes. */
export function neighbourhood(nodes: LineageNode[], name: string): LineageNode[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const keep = new Set<string>([name]);
  const walk = (from: string, next: (n: LineageNode) => string[]): void => {
    for (const other of next(byName.get(from)!)) {
      if (byName.has(other) && !keep.has(other)) {
        keep.add(other);
        walk(other, next);
      }
    }
  };
  if (byName.has(name)) {
    walk(name, (n) => n.upstream);
    walk(name, (n) => n.downstream);
  }

  return nodes.filter((n) => keep.has(n.name));
}
