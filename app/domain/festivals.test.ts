import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { workCalendarSchema } from "./calendar";
import { festivalCoverage, missingFestivals, statutoryFestivals } from "./festivals";

const cal = workCalendarSchema.parse(JSON.parse(readFileSync(path.resolve("seeds/calendar/cn-official.json"), "utf8")));

describe("statutoryFestivals", () => {
  it("gives each festival's day, lunar ones by the Chinese calendar (2027's 春节 is 6 February)", () => {
    expect(statutoryFestivals(2027)).toEqual([
      { name: "元旦", day: "2027-01-01" },
      { name: "春节", day: "2027-02-06" },
      { name: "清明节", day: "2027-04-05" },
      { name: "劳动节", day: "2027-05-01" },
      { name: "端午节", day: "2027-06-09" },
      { name: "中秋节", day: "2027-09-15" },
      { name: "国庆节", day: "2027-10-01" },
    ]);
    // 2028 has a leap fifth month: 端午 is in the first one
    expect(statutoryFestivals(2028).find((f) => f.name === "端午节")!.day).toBe("2028-05-28");
    expect(statutoryFestivals(2007).map((f) => f.name)).toEqual(["元旦", "春节", "劳动节", "国庆节"]);
  });

  it("every shipped year has each of its festivals as a holiday on or near its day (the rule a year entered by hand must meet)", () => {
    for (const year of cal.years) {
      const holidays = new Set(
        Object.entries(cal.days)
          .filter(([d, o]) => d.startsWith(`${year}-`) && o.kind === "holiday")
          .map(([d]) => d),
      );
      expect([year, missingFestivals(year, holidays)]).toEqual([year, []]);
    }
  });

  it("names what is missing with its day; a holiday a few days off counts, one further off does not", () => {
    const all = ["2027-01-01", "2027-02-06", "2027-04-05", "2027-05-01", "2027-06-09", "2027-09-15", "2027-10-01"];
    expect(missingFestivals(2027, new Set(all))).toEqual([]);
    expect(missingFestivals(2027, new Set(all.filter((d) => d !== "2027-02-06")))).toEqual(["春节（2027-02-06）"]);
    expect(missingFestivals(2027, new Set([...all.filter((d) => d !== "2027-02-06"), "2027-02-09"]))).toEqual([]);
    expect(missingFestivals(2027, new Set([...all.filter((d) => d !== "2027-02-06"), "2027-02-10"]))).toEqual(["春节（2027-02-06）"]);
  });
  it("says which festivals are entered by the days, whatever the holidays were named (an unnamed 2027-01-04 is 元旦's)", () => {
    expect(festivalCoverage(2027, new Set(["2027-01-04", "2027-10-02"]))).toEqual({
      missing: ["春节（2027-02-06）", "清明节（2027-04-05）", "劳动节（2027-05-01）", "端午节（2027-06-09）", "中秋节（2027-09-15）"],
      entered: ["元旦", "国庆节"],
    });
  });
});
