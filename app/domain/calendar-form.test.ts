import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { calendarDaySchema, calendarYearSchema } from "./calendar-form";
import "./zod-locale";

const submit = <S extends typeof calendarDaySchema | typeof calendarYearSchema>(schema: S, fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return parseWithZod(f, { schema });
};

describe("工作日历's day form", () => {
  it("a run of days typed as 年月日 is every day from the first to the last", () => {
    const r = submit(calendarDaySchema, { intent: "set", day: "2027年2月6日", until: "2027-02-08", kind: "holiday", name: " 春节 " });
    expect(r.status === "success" && r.value).toMatchObject({ days: ["2027-02-06", "2027-02-07", "2027-02-08"], kind: "holiday", name: "春节" });
  });

  it("one day: 至 left empty, 名称 optional", () => {
    const r = submit(calendarDaySchema, { intent: "set", day: "2027-10-09", until: "", kind: "workday", name: "" });
    expect(r.status === "success" && r.value).toMatchObject({ days: ["2027-10-09"], name: null });
  });

  it("a wrong range is said beside 至 together with the other fields' errors, not one at a time", () => {
    expect(submit(calendarDaySchema, { intent: "set", day: "2027-04-04", until: "2028-01-02", kind: "" }).reply().error).toEqual({
      kind: ["请选择类型"],
      until: ["一次只能设置同一年内的日期"],
    });
    expect(submit(calendarDaySchema, { intent: "set", day: "2027-02-06", until: "2027-02-01", kind: "holiday" }).reply().error).toEqual({
      until: ["结束日期不能早于开始日期"],
    });
    expect(submit(calendarDaySchema, { intent: "set", day: "", kind: "holiday" }).reply().error).toEqual({ day: ["请填写日期"] });
    expect(submit(calendarDaySchema, { intent: "set", day: "2027-02-30", kind: "holiday" }).reply().error).toEqual({ day: ["不是有效的日期"] });
  });

  it("a year to add", () => {
    expect(submit(calendarYearSchema, { intent: "add_year", year: "" }).reply().error).toEqual({ year: ["请填写年份"] });
    expect(submit(calendarYearSchema, { intent: "add_year", year: "1999" }).reply().error).toEqual({ year: ["年份不合理"] });
    const r = submit(calendarYearSchema, { intent: "add_year", year: "2028" });
    expect(r.status === "success" && r.value).toEqual({ intent: "add_year", year: 2028 });
  });
});
