// window.__sluice: what the browser tests read to know when the page has settled and what each
// panel shows, without parsing canvases.
import { requestsInFlight, onRequestsChanged } from "../api/client";

export type PanelState = "loading" | "ready" | "empty" | "error";

export interface PanelHook {
  state: PanelState;
  error?: string;
  series?: { name: string; data: [string | number, number | null][] }[];
  value?: number | null;
  previous?: number | null;
  rows?: (string | number | null)[][];
  columns?: string[];
}

interface SluiceHook {
  settled: boolean;
  loads: number;
  panels: Record<string, PanelHook>;
}

const hook: SluiceHook = { settled: false, loads: 0, panels: {} };
(window as unknown as { __sluice: SluiceHook }).__sluice = hook;

// Set when a load starts (navigation, range, filters, refresh); counted once everything settles.
let loading = false;

function update(): void {
  hook.settled = requestsInFlight() === 0 && Object.values(hook.panels).every((panel) => panel.state !== "loading");
  if (hook.settled && loading) {
    loading = false;
    hook.loads += 1;
  }
}

onRequestsChanged(update);

/** A new page: forget the previous page's panels. */
export function resetPanels(): void {
  hook.panels = {};
}

/** Marks the start of a load of every panel; `loads` grows when it settles. */
export function startLoad(): void {
  loading = true;
  hook.settled = false;
}

/** Records what a panel shows; call endLoad-free: settling is worked out here. */
export function setPanel(id: string, panel: PanelHook): void {
  hook.panels[id] = panel;
  update();
}

/** Re-evaluates whether the page has settled (after a page renders without panels). */
export function settle(): void {
  update();
}
