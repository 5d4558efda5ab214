// A section of a pipeline page: a titled box with its own loading, empty and error states, whose
// data the test hook publishes under the section's id, as a dashboard panel's is.
import { ApiError, isAbort } from "../api/client";
import { h } from "../app/dom";
import { setPanel, type PanelHook, type PanelState } from "../app/hook";

/** What a section's load found: nothing to show (with why), or data for the hook. */
export type Loaded = { empty: string } | { hook: Omit<PanelHook, "state"> };

export class Section {
  readonly element: HTMLElement;
  readonly body: HTMLElement;
  private readonly status: HTMLElement;

  constructor(readonly id: string, title: string, description?: string, wide = false) {
    const titleId = `section-title-${id}`;
    this.body = h("div", { class: "section-body" });
    this.status = h("div", { class: "panel-status", role: "status" });
    this.element = h(
      "section",
      { class: `pipeline-section${wide ? " wide" : ""}`, "data-panel-id": id, "aria-labelledby": titleId },
      h("h2", { id: titleId }, title),
      description ? h("p", { class: "panel-description" }, description) : null,
      this.body,
      this.status,
    );
    this.mark("loading", "Loading …");
  }

  /**
   * Runs draw (which fills the body) and records the outcome. An aborted load (the page was left
   * or its controls changed) records nothing: the next load will.
   */
  async load(signal: AbortSignal, draw: () => Promise<Loaded>): Promise<void> {
    this.mark("loading", "Loading …");
    setPanel(this.id, { state: "loading" });
    try {
      const loaded = await draw();
      if (signal.aborted) {
        return;
      }

      if ("empty" in loaded) {
        this.body.replaceChildren();
        this.mark("empty", loaded.empty);
        setPanel(this.id, { state: "empty", rows: [], series: [] });
      } else {
        this.mark("ready", "");
        setPanel(this.id, { state: "ready", ...loaded.hook });
      }
    } catch (error) {
      if (isAbort(error) || signal.aborted) {
        return;
      }

      const detail = error instanceof ApiError ? error.detail : error instanceof Error ? error.message : String(error);
      this.body.replaceChildren();
      this.mark("error", detail);
      setPanel(this.id, { state: "error", error: detail });
    }
  }

  private mark(state: PanelState, message: string): void {
    this.element.dataset.state = state;
    this.status.textContent = message;
  }
}
