/**
 * 工作日历's two forms with fields (a day or a run of days; a year to add), in the browser and in
 * the action. The page's buttons (删除, 确认, 撤销确认, 从内置数据补充) carry no typed value.
 */
import { z } from "zod";
import { calendarRange, isIsoDate } from "./calendar";
import { dateInputSchema } from "./proposal";

const day = (missing: string) => z.string({ error: missing }).pipe(dateInputSchema);

export const calendarDaySchema = z
  .object({
    intent: z.literal("set"),
    day: day("请填写日期"),
    /** optional: the last day of a run set at once (a holiday of several days) */
    until: day("").optional(),
    kind: z.enum(["holiday", "workday"], { error: "请选择类型" }),
    name: z
      .string()
      .trim()
      .max(40, "名称过长")
      .optional()
      .transform((s) => s || null),
    /** the year shown and its days, as the page showed them (a change made meanwhile is not replaced unseen) */
    seen: z.string().max(100_000).optional(),
  })
  // said with the other fields' errors (a refinement runs only on a valid object unless told when)
  .refine((f) => !("problem" in calendarRange(f.day, f.until)), {
    path: ["until"],
    error: (issue) => {
      const f = issue.input as { day: string; until?: string };
      const range = calendarRange(f.day, f.until);
      return "problem" in range ? range.problem : undefined;
    },
    when: ({ value }) => {
      const f = value as { day?: unknown; until?: unknown };
      return isIsoDate(f.day) && (f.until === undefined || isIsoDate(f.until));
    },
  })
  .transform((f) => {
    const range = calendarRange(f.day, f.until);
    return { ...f, days: "days" in range ? range.days : [f.day] };
  });

export const calendarYearSchema = z.object({
  intent: z.literal("add_year"),
  year: z.coerce.number({ error: "请填写年份" }).int("请填写年份").min(2000, "年份不合理").max(2100, "年份不合理"),
});
