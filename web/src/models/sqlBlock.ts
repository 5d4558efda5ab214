// A model's SQL in a <pre>, with a button that copies it. The text is set as text, never as HTML.
import { h } from "../app/dom";

export function sqlBlock(title: string, sql: string, kind: string): HTMLElement {
  const status = h("span", { class: "copy-status muted small", role: "status" });
  const copy = h("button", { type: "button", class: "copy-button", "aria-label": `Copy the ${title.toLowerCase()} SQL` }, "Copy");
  copy.addEventListener("click", () => {
    // The clipboard needs a secure context and the user's permission; without them, say how.
    const done = navigator.clipboard?.writeText(sql) ?? Promise.reject(new Error("no clipboard"));
    done.then(
      () => (status.textContent = "Copied"),
      () => (status.textContent = "The browser refused; select the text to copy it"),
    );
  });
  return h("figure", { class: "sql-block", "data-sql": kind },
    h("figcaption", {}, h("span", { class: "sql-title" }, title), copy, status),
    h("pre", { tabindex: 0 }, h("code", {}, sql)));
}
