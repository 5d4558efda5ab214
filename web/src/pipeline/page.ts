// What every pipeline page shares: a heading, optional controls, sections on a two-column grid
// (one on a phone), and loads that a newer load or leaving the page cancels.
import { h } from "../app/dom";
import { settle, startLoad } from "../app/hook";
import type { Section } from "./section";

export class PipelinePage {
  private loads = new AbortController();

  constructor(root: HTMLElement, title: string, intro: string, sections: Section[], controls?: HTMLElement) {
    document.title = `${title} · Pipeline · Sluice`;
    root.append(
      h("div", { class: "dashboard-header" }, h("h1", {}, title), h("p", { class: "muted" }, intro)),
      controls ?? "",
      h("div", { class: "pipeline-grid" }, ...sections.map((s) => s.element)),
    );
  }

  /** Starts a load of every section (run starts each one); an earlier load still going is dropped. */
  load(run: (signal: AbortSignal) => Promise<void>[]): void {
    this.loads.abort();
    this.loads = new AbortController();
    startLoad();
    void Promise.allSettled(run(this.loads.signal));
    settle();
  }

  dispose(): void {
    this.loads.abort();
  }
}

/** A labelled select of choices, which reports the chosen value. */
export function choice(id: string, label: string, options: [string, string][], value: string, change: (value: string) => void): { element: HTMLElement; set(value: string): void } {
  const select = h("select", { id, name: id });
  select.append(...options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)));
  select.addEventListener("change", () => change(select.value));
  return { element: h("div", { class: "control" }, h("label", { for: id }, label), select), set: (v) => (select.value = v) };
}

/** The days a page looks back over, from ?days= in its URL. */
export function daysOf(url: URL, fallback: number): number {
  const days = Number.parseInt(url.searchParams.get("days") ?? "", 10);
  return Number.isInteger(days) && days >= 1 && days <= 366 ? days : fallback;
}

export const dayChoices: [string, string][] = [1, 7, 30, 90].map((d) => [String(d), d === 1 ? "Today" : `Last ${d} days`]);

/** Writes parameters into the URL (defaults left out) without leaving the page. */
export function pushQuery(values: Record<string, string | null>): void {
  const query = new URLSearchParams(location.search);
  for (const [name, value] of Object.entries(values)) {
    if (value === null) {
      query.delete(name);
    } else {
      query.set(name, value);
    }
  }

  const text = query.toString();
  history.pushState(null, "", `${location.pathname}${text ? `?${text}` : ""}`);
}
