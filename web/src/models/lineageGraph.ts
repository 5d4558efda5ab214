// The lineage drawn as SVG: each node a link to its page, so that a keyboard reaches every node
// with Tab and opens it with Enter, and colours come from the theme's CSS variables (no redraw
// when the theme changes). The test hook gets the nodes and edges as tables.
import { h } from "../app/dom";
import { setPanel } from "../app/hook";
import { navigate } from "../app/router";
import { layOut, type Layout } from "./graphLayout";
import type { Section } from "./section";
import { modelHref, type LineageNode } from "./types";

const svgNs = "http://www.w3.org/2000/svg";
const nodeWidth = 190;
const nodeHeight = 44;
const columnGap = 70;
const rowGap = 16;
const longestLabel = 24;
// Room around the drawing for the nodes' borders and the focus ring.
const margin = 4;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number> = {}, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, String(value));
  }

  element.append(...children);
  return element;
}

function label(text: string): string {
  return text.length > longestLabel ? `${text.slice(0, longestLabel - 1)}…` : text;
}

function kindText(node: LineageNode): string {
  return node.kind === "model" && node.materialized ? node.materialized : node.kind;
}

/**
 * Draws nodes into the section, left to right by depth; current (a model page's own node) is
 * marked. The hook's panel of the section lists the nodes (name, kind, materialized, depth) and
 * the panel `<id>-edges` the edges (from, to).
 */
export function drawLineage(section: Section, nodes: LineageNode[], title: string, current?: string): Layout {
  const id = section.id;
  const layout = layOut(nodes);
  const height = Math.max(1, layout.rows) * (nodeHeight + rowGap) - rowGap;
  const width = Math.max(1, layout.columns) * (nodeWidth + columnGap) - columnGap;
  const columnSizes = new Map<number, number>();
  layout.nodes.forEach((p) => columnSizes.set(p.depth, (columnSizes.get(p.depth) ?? 0) + 1));
  // A shorter column is centred against the tallest.
  const position = new Map(layout.nodes.map((p) => {
    const offset = ((layout.rows - columnSizes.get(p.depth)!) * (nodeHeight + rowGap)) / 2;
    return [p.node.name, { x: p.depth * (nodeWidth + columnGap), y: offset + p.row * (nodeHeight + rowGap) }];
  }));

  const edges = layout.edges.map((e) => {
    const from = position.get(e.from)!;
    const to = position.get(e.to)!;
    const [x1, y1, x2, y2] = [from.x + nodeWidth, from.y + nodeHeight / 2, to.x, to.y + nodeHeight / 2];
    const bend = (x2 - x1) / 2;
    return svg("path", { class: "lineage-edge", d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2 - 6},${y2}`, "marker-end": `url(#${id}-arrow)` });
  });
  const links = layout.nodes.map(({ node }) => {
    const { x, y } = position.get(node.name)!;
    const link = svg("a", { href: modelHref(node.name), class: `lineage-node kind-${node.kind} materialized-${node.materialized ?? "none"}`, "data-node": node.name },
      svg("title", {}, `${node.name} (${kindText(node)})`),
      svg("rect", { x, y, width: nodeWidth, height: nodeHeight, rx: 6 }),
      svg("text", { x: x + 10, y: y + 18, class: "lineage-name" }, label(node.name)),
      svg("text", { x: x + 10, y: y + 35, class: "lineage-kind" }, kindText(node)));
    if (node.name === current) {
      link.setAttribute("aria-current", "page");
      link.classList.add("current");
    }

    return link;
  });
  const arrow = svg("marker", { id: `${id}-arrow`, viewBox: "0 0 10 10", refX: 4, refY: 5, markerWidth: 8, markerHeight: 8, orient: "auto" }, svg("path", { d: "M0,0 L10,5 L0,10 z", class: "lineage-arrow" }));
  const drawing = svg("svg", { class: "lineage-svg", width: width + 2 * margin, height: height + 2 * margin, viewBox: `${-margin} ${-margin} ${width + 2 * margin} ${height + 2 * margin}`, role: "group", "aria-label": title },
    svg("defs", {}, arrow), svg("g", {}, ...edges), svg("g", {}, ...links));
  // The router follows HTML links only; SVG links go through it here, so a click keeps the app.
  drawing.addEventListener("click", (event) => {
    const link = (event.target as Element).closest("a");
    if (link instanceof SVGAElement && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0) {
      event.preventDefault();
      navigate(link.href.baseVal);
    }
  });
  section.body.replaceChildren(h("div", { class: "lineage-scroll" }, drawing));
  setPanel(`${id}-edges`, { state: layout.edges.length ? "ready" : "empty", columns: ["from", "to"], rows: layout.edges.map((e) => [e.from, e.to]) });
  const rows = layout.nodes.map((p) => [p.node.name, p.node.kind, p.node.materialized, p.depth]);
  section.shown({ columns: ["name", "kind", "materialized", "depth"], rows }, rows.length === 0, "Nothing to draw.");
  return layout;
}
