/**
 * The festivals every year's holiday arrangement has, for the check before an admin confirms a
 * year entered by hand. Lunar dates and 清明 from chinese-days (tables for 1900–2100; the same
 * package the shipped calendar comes from): ICU's Chinese calendar puts 2027's 春节 on 7 February,
 * a day late.
 */
// the default export: the package is CommonJS (UMD) to Node's ESM loader, whose named exports it cannot see
import chineseDays from "chinese-days";
import { addDays, formatIsoDate, type IsoDate } from "./calendar";

/**
 * Since 2008 (全国年节及纪念日放假办法) 元旦, 春节 (正月初一), 清明节, 劳动节, 端午节 (五月初五),
 * 中秋节 (八月十五) and 国庆节; before 2008 元旦, 春节, 劳动节 and 国庆节.
 */
export function statutoryFestivals(year: number): { name: string; day: IsoDate }[] {
  const lunar = (month: number, day: number) => chineseDays.getSolarDateFromLunar(formatIsoDate(year, month, day)).date as IsoDate;
  const all = [
    { name: "元旦", day: formatIsoDate(year, 1, 1) },
    { name: "春节", day: lunar(1, 1) },
    { name: "清明节", day: chineseDays.getSolarTermDate(year, 4, "pure_brightness") as IsoDate, since: 2008 },
    { name: "劳动节", day: formatIsoDate(year, 5, 1) },
    { name: "端午节", day: lunar(5, 5), since: 2008 },
    { name: "中秋节", day: lunar(8, 15), since: 2008 },
    { name: "国庆节", day: formatIsoDate(year, 10, 1) },
  ];
  return all.filter((f) => !f.since || year >= f.since).map(({ name, day }) => ({ name, day }));
}

/** A festival counts as entered with a holiday on its day or within three days of it: a festival on a weekend may be listed by its weekdays only (端午 2012). */
const NEAR = 3;

/** The festivals of `year` with no holiday entered on or near their day, named with the day. */
export function missingFestivals(year: number, holidays: ReadonlySet<string>): string[] {
  return festivalCoverage(year, holidays).missing;
}

/**
 * The same, with the festivals that are entered (by name): a holiday entered without a name, or
 * named otherwise ("放假"), still counts for the festival it is near.
 */
export function festivalCoverage(year: number, holidays: ReadonlySet<string>): { missing: string[]; entered: string[] } {
  const near = (f: { day: IsoDate }) => Array.from({ length: 2 * NEAR + 1 }, (_, i) => addDays(f.day, i - NEAR)).some((d) => holidays.has(d));
  const all = statutoryFestivals(year);
  return { missing: all.filter((f) => !near(f)).map((f) => `${f.name}（${f.day}）`), entered: all.filter(near).map((f) => f.name) };
}
