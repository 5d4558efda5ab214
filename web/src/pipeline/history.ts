// The history endpoints (/runs, /checks, /sync, /parity, /budgets) answer rows of `_sluice`
// tables as untyped dictionaries; these readers give the fields the pages use a type, and read
// every page of a query up to a cap.
import { getJson } from "../api/client";
import type { components } from "../api/openapi.gen";

type HistoryPage = components["schemas"]["HistoryPage"];
type Item = Record<string, unknown>;

/** The most rows a page reads from one history endpoint: enough for weeks of a busy project. */
export const historyCap = 2000;
const pageSize = 500;

/** Every row matching parameters, newest first, up to historyCap; `total` says how many match. */
export async function readHistory<T>(path: string, parameters: Record<string, string>, read: (item: Item) => T, signal: AbortSignal): Promise<{ items: T[]; total: number }> {
  const items: T[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const query = new URLSearchParams({ ...parameters, limit: String(pageSize), offset: String(offset) });
    const page = await getJson<HistoryPage>(path, query, signal);
    items.push(...(page.items as Item[]).map(read));
    if (page.items.length < pageSize || items.length >= page.total || items.length >= historyCap) {
      return { items, total: page.total };
    }
  }
}

function text(item: Item, name: string): string | null {
  const value = item[name];
  // A JSON column (a check's sample) may come parsed; it is shown as the text it was.
  return value === null || value === undefined ? null : typeof value === "object" ? JSON.stringify(value) : String(value);
}

function figure(item: Item, name: string): number | null {
  const value = item[name];
  const parsed = typeof value === "number" ? value : typeof value === "string" && value !== "" ? Number(value) : NaN;
  return Number.isFinite(parsed) ? parsed : null;
}

/** A row of /api/v1/runs. */
export interface RunItem {
  id: string;
  invocation: string;
  job: string;
  targetDate: string | null;
  status: string;
  /** Why a SKIPPED run was skipped: UPSTREAM (something it depends on failed) or ALREADY_BUILT. */
  skipReason: string | null;
  durationMs: number | null;
  error: string | null;
  startedAt: string;
}

export const readRun = (item: Item): RunItem => ({
  id: text(item, "id") ?? "",
  invocation: text(item, "invocation_id") ?? "",
  job: text(item, "job_name") ?? "",
  targetDate: text(item, "target_date"),
  status: (text(item, "status") ?? "").toUpperCase(),
  skipReason: text(item, "skip_reason"),
  durationMs: figure(item, "duration_ms"),
  error: text(item, "error_message"),
  startedAt: text(item, "started_at") ?? "",
});

/** A row of /api/v1/checks. */
export interface CheckItem {
  check: string;
  model: string | null;
  column: string | null;
  severity: string | null;
  status: string;
  failingRows: number | null;
  rowsInScope: number | null;
  ratio: number | null;
  mostly: number | null;
  message: string | null;
  sample: string | null;
  checkedAt: string;
}

export const readCheck = (item: Item): CheckItem => ({
  check: text(item, "check_name") ?? "",
  model: text(item, "model"),
  column: text(item, "column_name"),
  severity: text(item, "severity"),
  status: (text(item, "status") ?? "").toLowerCase(),
  failingRows: figure(item, "failing_rows"),
  rowsInScope: figure(item, "rows_in_scope"),
  ratio: figure(item, "failing_ratio"),
  mostly: figure(item, "mostly"),
  message: text(item, "message"),
  sample: text(item, "sample"),
  checkedAt: text(item, "checked_at") ?? "",
});

/** A row of /api/v1/sync. */
export interface SyncItem {
  source: string;
  table: string;
  status: string;
  startedAt: string;
  completedAt: string | null;
  rowsUpserted: number | null;
  watermarkAfter: string | null;
  error: string | null;
}

export const readSync = (item: Item): SyncItem => ({
  source: text(item, "source") ?? "",
  table: text(item, "table_name") ?? "",
  status: (text(item, "status") ?? "").toLowerCase(),
  startedAt: text(item, "started_at") ?? "",
  completedAt: text(item, "completed_at"),
  rowsUpserted: figure(item, "rows_upserted"),
  watermarkAfter: text(item, "watermark_after"),
  error: text(item, "error"),
});

/** A row of /api/v1/parity; `day` is null for the table's total. */
export interface ParityItem {
  source: string;
  table: string;
  day: string | null;
  ratio: number | null;
  checkedAt: string;
}

export const readParity = (item: Item): ParityItem => ({
  source: text(item, "source") ?? "",
  table: text(item, "table_name") ?? "",
  day: text(item, "day"),
  ratio: figure(item, "mismatch_ratio"),
  checkedAt: text(item, "checked_at") ?? "",
});

/** A row of /api/v1/budgets. */
export interface BudgetItem {
  subject: string;
  period: string;
  periodStart: string;
  limit: number | null;
  used: number | null;
}

export const readBudget = (item: Item): BudgetItem => ({
  subject: text(item, "subject") ?? "",
  period: text(item, "period") ?? "",
  periodStart: text(item, "period_start") ?? "",
  limit: figure(item, "query_limit"),
  used: figure(item, "queries_used"),
});
