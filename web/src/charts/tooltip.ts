// Tooltips built as elements rather than ECharts' default HTML strings, which carry inline
// style attributes that the page's Content-Security-Policy (style-src 'self') refuses. Colours
// are set through the CSSOM, which the policy allows.
import { formatNumber } from "../app/dom";

interface TooltipItem {
  seriesName?: string;
  name?: string;
  color?: unknown;
  value?: unknown;
  axisValueLabel?: string;
  marker?: string;
}

function line(item: TooltipItem, label: string | undefined, value: unknown, decimals?: number, unit?: string): HTMLElement {
  const row = document.createElement("div");
  row.className = "tip-row";
  const swatch = document.createElement("span");
  swatch.className = "tip-swatch";
  if (typeof item.color === "string") {
    swatch.style.backgroundColor = item.color;
  }

  const name = document.createElement("span");
  name.className = "tip-name";
  name.textContent = label ?? "";
  const figure = document.createElement("span");
  figure.className = "tip-value";
  const number = Array.isArray(value) ? value[value.length - 1] : value;
  figure.textContent = typeof number === "number" ? formatNumber(number, decimals, unit) : number === null || number === undefined ? "–" : String(number);
  row.append(swatch, name, figure);
  return row;
}

/** A tooltip formatter: a title (the axis value or the item) and one row per series. */
export function tooltipFormatter(decimals?: number, unit?: string): (params: unknown) => HTMLElement {
  return (params: unknown) => {
    const items = (Array.isArray(params) ? params : [params]) as TooltipItem[];
    const box = document.createElement("div");
    box.className = "tip";
    const first = items[0];
    const title = document.createElement("div");
    title.className = "tip-title";
    title.textContent = Array.isArray(params) ? (first?.axisValueLabel ?? "") : (first?.seriesName ?? "");
    box.append(title);
    for (const item of items) {
      box.append(line(item, Array.isArray(params) ? item.seriesName : item.name, item.value, decimals, unit));
    }

    return box;
  };
}
