/**
 * Times shown to people, in Beijing time whatever the server's or browser's zone. One
 * formatter per style, made once: `toLocaleString` with options builds a new Intl formatter on
 * every call, which was 13 % of a page listing a few hundred sessions.
 */
const ZONE = "Asia/Shanghai";
const FORMATS = {
  /** 2026/11/30 16:05 */
  minute: new Intl.DateTimeFormat("zh-CN", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }),
  /** 2026/11/30 16:05:09 */
  second: new Intl.DateTimeFormat("zh-CN", {
    timeZone: ZONE,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  }),
  /** 2026/11/30 16:05 (short date) */
  short: new Intl.DateTimeFormat("zh-CN", { timeZone: ZONE, dateStyle: "short", timeStyle: "short" }),
  /** 11/30 16:05 */
  monthDay: new Intl.DateTimeFormat("zh-CN", { timeZone: ZONE, month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }),
} as const;

export type TimeStyle = keyof typeof FORMATS;

export function formatTime(d: string | Date | null | undefined, style: TimeStyle = "minute"): string {
  return d ? FORMATS[style].format(new Date(d)) : "—";
}
