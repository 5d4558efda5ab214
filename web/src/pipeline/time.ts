// The server writes times as ISO text or as "yyyy-MM-dd HH:mm:ss" (UTC); days as yyyy-MM-dd.

/** Milliseconds since the epoch of a time the API wrote, or null. */
export function timeOf(text: string | null): number | null {
  if (!text) {
    return null;
  }

  const iso = text.includes("T") ? text : text.replace(" ", "T");
  const zoned = /[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`;
  const parsed = Date.parse(zoned);
  return Number.isNaN(parsed) ? null : parsed;
}

/** The UTC day of a time the API wrote. */
export function dayOf(text: string | null): string | null {
  const time = timeOf(text);
  return time === null ? null : new Date(time).toISOString().slice(0, 10);
}

/** A span of seconds as people read it: 42 s, 7 min, 3.5 h, 2.1 d. */
export function formatSpan(seconds: number | null): string {
  if (seconds === null) {
    return "–";
  }

  const abs = Math.abs(seconds);
  const [value, unit] = abs < 120 ? [seconds, "s"] : abs < 7200 ? [seconds / 60, "min"] : abs < 172_800 ? [seconds / 3600, "h"] : [seconds / 86_400, "d"];
  return `${value.toLocaleString("en-US", { maximumFractionDigits: 1 })} ${unit}`;
}

/** A time the API wrote, shown in UTC to the minute. */
export function formatTime(text: string | null): string {
  const time = timeOf(text);
  return time === null ? "–" : `${new Date(time).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
