import type { Problem } from "./types";

const keyStorage = "sluice.api_key";

/** An answer other than 2xx, with the problem's detail to show. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly detail: string) {
    super(detail);
  }
}

let inFlight = 0;
const idleListeners = new Set<() => void>();
let askForKey: ((detail: string) => Promise<void>) | null = null;
let pendingKey: Promise<void> | null = null;

/** Requests not answered yet, including those waiting for the user to give a key. */
export function requestsInFlight(): number {
  return inFlight;
}

/** Calls listener whenever the number of requests in flight changes. */
export function onRequestsChanged(listener: () => void): void {
  idleListeners.add(listener);
}

/** Sets what to do when the API answers 401: resolve once the user has given a key. */
export function onUnauthorized(handler: (detail: string) => Promise<void>): void {
  askForKey = handler;
}

export function storedKey(): string | null {
  return sessionStorage.getItem(keyStorage);
}

export function storeKey(key: string): void {
  sessionStorage.setItem(keyStorage, key.trim());
}

function changed(delta: number): void {
  inFlight += delta;
  idleListeners.forEach((listener) => listener());
}

async function problemOf(response: Response): Promise<string> {
  try {
    const problem = (await response.json()) as Problem;
    return problem.detail ?? problem.title ?? `${response.status} ${response.statusText}`;
  } catch {
    return `The server answered ${response.status} ${response.statusText}.`;
  }
}

/** GETs path with parameters; asks for a key on 401 and tries again with it. */
export async function getJson<T>(path: string, parameters?: URLSearchParams, signal?: AbortSignal): Promise<T> {
  const query = parameters?.toString();
  const url = query ? `${path}?${query}` : path;
  changed(1);
  try {
    for (;;) {
      const headers: Record<string, string> = { Accept: "application/json" };
      const key = storedKey();
      if (key) {
        headers.Authorization = `Bearer ${key}`;
      }

      const response = await fetch(url, signal ? { headers, signal } : { headers });
      if (response.status === 401 && askForKey) {
        const detail = await problemOf(response);
        // Panels loading at once share one prompt.
        pendingKey ??= askForKey(detail).finally(() => (pendingKey = null));
        await pendingKey;
        continue;
      }

      if (!response.ok) {
        throw new ApiError(response.status, await problemOf(response));
      }

      return (await response.json()) as T;
    }
  } finally {
    changed(-1);
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}
