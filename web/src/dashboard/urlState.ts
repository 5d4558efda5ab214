// What a dashboard's URL holds: ?range=30d or ?from=&to=, and f.<filter>=value (repeatable).
import { isDay, type RangeChoice } from "./range";

export interface ViewState {
  range: RangeChoice;
  filters: Map<string, string[]>;
}

const filterPrefix = "f.";

export function readState(url: URL, defaultDays: number): ViewState {
  const query = url.searchParams;
  const from = query.get("from");
  const to = query.get("to");
  const days = /^(\d{1,4})d$/.exec(query.get("range") ?? "");
  const range: RangeChoice =
    isDay(from) && isDay(to) && from <= to ? { kind: "custom", from, to } : days && Number(days[1]) > 0 ? { kind: "last", days: Number(days[1]) } : { kind: "last", days: defaultDays };
  const filters = new Map<string, string[]>();
  for (const [name, value] of query) {
    if (name.startsWith(filterPrefix) && value !== "") {
      const key = name.slice(filterPrefix.length);
      filters.set(key, [...(filters.get(key) ?? []), value]);
    }
  }

  return { range, filters };
}

/** The query string of a state; the dashboard's default range is left out. */
export function writeState(state: ViewState, defaultDays: number): string {
  const query = new URLSearchParams();
  if (state.range.kind === "custom") {
    query.set("from", state.range.from);
    query.set("to", state.range.to);
  } else if (state.range.days !== defaultDays) {
    query.set("range", `${state.range.days}d`);
  }

  for (const [name, values] of [...state.filters].sort(([a], [b]) => a.localeCompare(b))) {
    values.forEach((value) => query.append(`${filterPrefix}${name}`, value));
  }

  const text = query.toString();
  return text ? `?${text}` : "";
}

export function sameState(a: ViewState, b: ViewState): boolean {
  return writeState(a, 0) === writeState(b, 0);
}
