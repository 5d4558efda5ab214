// Days are yyyy-MM-dd strings, computed in UTC like the server's days.

export type RangeChoice = { kind: "last"; days: number } | { kind: "custom"; from: string; to: string };

export interface DayRange {
  from: string;
  to: string;
}

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

export function isDay(text: string | null): text is string {
  return text !== null && dayPattern.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The first and last day (inclusive) of a choice. */
export function resolveRange(choice: RangeChoice): DayRange {
  return choice.kind === "custom" ? { from: choice.from, to: choice.to } : { from: addDays(today(), 1 - choice.days), to: today() };
}

/** The range of the same length just before range, for comparisons. */
export function previousRange(range: DayRange): DayRange {
  const length = daysBetween(range.from, range.to);
  return { from: addDays(range.from, -length), to: addDays(range.from, -1) };
}
