import type { DashboardPanel } from "../api/dashboards";
import type { PanelHook } from "../app/hook";
import type { QueryContext } from "../dashboard/queries";

/** The data a panel shows, as a table: what its CSV download holds. */
export interface ShownTable {
  columns: string[];
  rows: (string | number | null)[][];
}

/** What a panel shows after a load. */
export interface Shown {
  empty: boolean;
  hook: Omit<PanelHook, "state">;
  table: ShownTable | null;
}

/** What a panel can ask of its page. */
export interface PanelEvents {
  /** The user clicked a series, slice or bar of this group: set the filters it names. */
  pick(group: Record<string, string>): void;
  /** The panel's own state changed (a table's sort or page): load it again. */
  reload(): void;
}

/** A panel type's view: a query plus a way to draw its answer. */
export interface PanelView {
  show(context: QueryContext): Promise<Shown>;
  dispose(): void;
}

export type PanelFactory = (body: HTMLElement, panel: DashboardPanel, events: PanelEvents) => PanelView;
