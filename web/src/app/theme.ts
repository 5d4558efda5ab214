// Light or dark: the system's preference until the user picks one, which is remembered.
const storage = "sluice.theme";
const listeners = new Set<() => void>();
const media = window.matchMedia("(prefers-color-scheme: dark)");

export type Theme = "light" | "dark";

export function currentTheme(): Theme {
  const chosen = localStorage.getItem(storage);
  return chosen === "light" || chosen === "dark" ? chosen : media.matches ? "dark" : "light";
}

function apply(): void {
  document.documentElement.dataset.theme = currentTheme();
  listeners.forEach((listener) => listener());
}

export function toggleTheme(): void {
  localStorage.setItem(storage, currentTheme() === "dark" ? "light" : "dark");
  apply();
}

export function onThemeChange(listener: () => void): void {
  listeners.add(listener);
}

export function initTheme(): void {
  media.addEventListener("change", () => {
    if (!localStorage.getItem(storage)) {
      apply();
    }
  });
  document.documentElement.dataset.theme = currentTheme();
}
