// /pipeline/api: what this server answered since it started (requests per route, cache hit rate
// per endpoint) and query budget use per tenant.
import { getJson } from "../api/client";
import type { components } from "../api/openapi.gen";
import type { Page } from "../app/router";
import { readBudget, readHistory, type BudgetItem } from "./history";
import { PipelinePage } from "./page";
import { Section } from "./section";
import { showTable, type Cell } from "./table";

type ServerStats = components["schemas"]["ServerStats"];

type EndpointCache = components["schemas"]["EndpointCacheStats"];

/** A cache row of /api/v1/server: endpoint, hits, misses and the hit rate. */
function cacheRow(item: EndpointCache): Cell[] {
  const { hits, misses } = item;
  return [item.endpoint, hits, misses, hits + misses === 0 ? null : hits / (hits + misses)];
}

export const routeColumns = ["method", "route", "status", "requests", "p50 seconds", "p95 seconds"];
export const cacheColumns = ["endpoint", "hits", "misses", "hit rate"];
export const budgetColumns = ["subject", "period", "period start", "used", "limit", "share used"];

/** The current period of each subject's daily and monthly budgets (rows come newest first). */
export function budgetRows(items: BudgetItem[]): Cell[][] {
  const current = new Map<string, BudgetItem>();
  for (const item of items) {
    const key = `${item.subject}\u0000${item.period}`;
    if (!current.has(key)) {
      current.set(key, item);
    }
  }

  return [...current.values()].map((b) => [b.subject, b.period, b.periodStart, b.used, b.limit, b.used === null || !b.limit ? null : b.used / b.limit]);
}

const percent = (v: Cell): string => (v === null ? "–" : `${((v as number) * 100).toLocaleString("en-US", { maximumFractionDigits: 1 })} %`);

export async function renderApi(root: HTMLElement): Promise<Page> {
  const routes = new Section("api-routes", "Requests per route", "Requests answered since the server started, per route and status, with the median's and 95th percentile's bucket.", true);
  const cache = new Section("api-cache", "Cache per endpoint", "Answers served from the cache, against those computed.");
  const budgets = new Section("api-budgets", "Budget use per tenant", "Queries counted against each tenant's budget in its current day and month.");
  const page = new PipelinePage(root, "API", "How this server's API is used.", [routes, cache, budgets]);
  page.load((signal) => {
    const stats = getJson<ServerStats>("/api/v1/server", undefined, signal);
    return [
      routes.load(signal, async () => {
        const rows = (await stats).requests.map((r) => [r.method, r.route, r.status, r.count, r.p50_seconds, r.p95_seconds]);
        return showTable(routes.body, routeColumns, rows, "No request answered yet", {}, "Requests per route");
      }),
      cache.load(signal, async () => showTable(cache.body, cacheColumns, (await stats).cache.map(cacheRow), "Nothing asked of the cache yet", { "hit rate": percent }, "Cache per endpoint")),
      budgets.load(signal, async () => {
        const { items } = await readHistory("/api/v1/budgets", {}, readBudget, signal);
        return showTable(budgets.body, budgetColumns, budgetRows(items), "No query has been counted against a budget (tenant keys, or admin keys that declare one)", { "share used": percent }, "Budget use");
      }),
    ];
  });
  return { dispose: () => page.dispose() };
}
