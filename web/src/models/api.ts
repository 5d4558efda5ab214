import { getJson } from "../api/client";
import type { LineageResponse, ModelResponse } from "./types";

let lineage: Promise<LineageResponse> | null = null;

/**
 * The project's graph. It changes only when the server restarts with another project, so one
 * answer serves every model page of a visit; a failed answer (a tenant key's 403) is not kept,
 * so that a page opened after another key is given asks again.
 */
export function fetchLineage(signal?: AbortSignal): Promise<LineageResponse> {
  lineage ??= getJson<LineageResponse>("/api/v1/lineage").catch((error: unknown) => {
    lineage = null;
    throw error;
  });
  return signal ? withAbort(lineage, signal) : lineage;
}

export function fetchModel(name: string, signal: AbortSignal): Promise<ModelResponse> {
  return getJson<ModelResponse>(`/api/v1/models/${encodeURIComponent(name)}`, undefined, signal);
}

// The shared request must not be cancelled by one page leaving; that page only stops waiting.
function withAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const abort = (): void => reject(new DOMException("The page was left.", "AbortError"));
    if (signal.aborted) {
      abort();
      return;
    }

    signal.addEventListener("abort", abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}
