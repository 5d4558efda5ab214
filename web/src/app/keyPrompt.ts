import { storeKey } from "../api/client";
import { h } from "./dom";

/** Asks for an API key (the server answered 401) and resolves once one is given. */
export function promptForKey(detail: string): Promise<void> {
  return new Promise((resolve) => {
    const input = h("input", { id: "api-key", type: "password", name: "api-key", autocomplete: "off", required: true });
    const form = h(
      "form",
      { class: "key-form" },
      h("h2", { id: "key-title" }, "API key needed"),
      h("p", { class: "muted" }, detail),
      h("label", { for: "api-key" }, "API key"),
      input,
      h("button", { type: "submit" }, "Use key"),
      h("p", { class: "muted small" }, "The key is kept in this tab only (session storage)."),
    );
    const overlay = h("div", { class: "key-prompt", role: "dialog", "aria-modal": "true", "aria-labelledby": "key-title" }, form);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      storeKey(input.value);
      overlay.remove();
      resolve();
    });
    document.body.append(overlay);
    input.focus();
  });
}
