// A part of a model page (its lineage, SQL, columns, checks): a titled section that shows
// loading, empty and error states, and keeps the test hook's panel of the same id in step.
import { ApiError, isAbort } from "../api/client";
import { h } from "../app/dom";
import { setPanel, type PanelHook, type PanelState } from "../app/hook";

export class Section {
  readonly element: HTMLElement;
  readonly body: HTMLElement;
  private readonly status: HTMLElement;

  constructor(readonly id: string, title: string, extraClass = "") {
    const titleId = `section-${id}`;
    this.body = h("div", { class: "section-body" });
    this.status = h("p", { class: "section-status", role: "status" });
    this.element = h("section", { class: `model-section ${extraClass}`.trim(), "data-panel-id": id, "aria-labelledby": titleId },
      h("h2", { id: titleId }, title), this.status, this.body);
    this.loading();
  }

  loading(): void {
    this.set("loading", "Loading …");
    setPanel(this.id, { state: "loading" });
  }

  /** Shows what body holds now; message (such as "No checks") when there is nothing to show. */
  shown(hook: Omit<PanelHook, "state">, empty: boolean, message = ""): void {
    this.set(empty ? "empty" : "ready", empty ? message : "");
    setPanel(this.id, { state: empty ? "empty" : "ready", ...hook });
  }

  /** Shows why the section could not load: a problem's detail as the server wrote it. */
  failed(error: unknown): void {
    if (isAbort(error)) {
      return;
    }

    const detail = errorText(error);
    this.body.replaceChildren();
    this.set("error", detail);
    setPanel(this.id, { state: "error", error: detail });
  }

  private set(state: PanelState, message: string): void {
    this.element.dataset.state = state;
    this.status.textContent = message;
  }
}

export function errorText(error: unknown): string {
  return error instanceof ApiError ? error.detail : error instanceof Error ? error.message : String(error);
}

/** A table whose rows are also what the hook shows: cells as text, numbers as numbers. */
export function dataTable(caption: string, columns: string[], rows: (string | number | null)[][], cell?: (value: string | number | null, column: number) => Node | string): HTMLElement {
  const draw = cell ?? ((value) => (value === null ? "" : String(value)));
  return h("div", { class: "model-table-scroll", tabindex: 0, role: "region", "aria-label": caption },
    h("table", { class: "model-table" },
      h("caption", { class: "visually-hidden" }, caption),
      h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((v, i) => h("td", { class: typeof v === "number" ? "num" : "" }, draw(v, i))))))));
}
