import type { PanelType } from "../api/dashboards";
import { benchmark } from "./benchmark";
import { funnel } from "./funnel";
import { heatmap } from "./heatmap";
import { markdown } from "./markdown";
import { numberPanel } from "./number";
import { pie } from "./pie";
import { table } from "./table";
import { trendChart } from "./trendChart";
import type { PanelFactory } from "./types";

/** Each panel type's view; a new type is one file and one line here. */
export const panelFactories: Partial<Record<PanelType, PanelFactory>> = {
  line: trendChart("line"),
  area: trendChart("area"),
  bar: trendChart("bar"),
  pie,
  number: numberPanel,
  table,
  funnel,
  heatmap,
  benchmark,
  markdown,
};
