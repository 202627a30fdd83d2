/** 工作日历: the official holidays and make-up workdays (调休) per year, editable. Years not listed are unknown. */
import { clientAddressOf } from "~/http/client-address";
import { dateInputSchema } from "~/domain/proposal";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "#db/client.server";
import { requirePermission } from "~/auth/session.server";
import { CALENDAR_DAY_KIND_LABELS, calendarDayKey, dayOfWeek } from "~/domain/calendar";
import { calendarDaySchema, calendarYearSchema } from "~/domain/calendar-form";
import { CalendarDayChangedError, CalendarYearEmptyError, listCalendarDays, listCalendarYears } from "~/models/calendar.server";
import { type CalendarChange, CalendarNothingShippedError, changeCalendar } from "~/models/calendar-change.server";
import { today } from "~/models/deadline.server";
import { getFormProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { FocusesFirstError, SelectField, TextField, DateField } from "~/ui/form";
import { useZodForm } from "~/ui/zod-form";
import { PageHeader } from "~/ui/layout";
import { readForm } from "~/http/form.server";
import { ScrollArea } from "~/ui/scroll-area";

const WEEKDAYS = ["日", "一", "二", "三", "四", "五", "六"];
/** The page's buttons: they carry no typed value (the two forms with fields: `~/domain/calendar-form`). */
const buttons = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("delete"), day: z.string().pipe(dateInputSchema), seenDay: z.string().max(200).optional() }),
  z.object({ intent: z.literal("shipped") }),
  z.object({ intent: z.enum(["confirm_year", "reopen_year"]), year: z.coerce.number().int().min(2000).max(2100) }),
]);

export const meta: MetaFunction = () => [{ title: "工作日历 · 提案答复系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "calendar.edit");
  const db = await getDb();
  const years = await listCalendarYears(db);
  // ?year=2027 shows 2027 — or says it is missing — never silently another year.
  const param = new URL(request.url).searchParams.get("year");
  const requested = param && /^\d{4}$/.test(param) ? Number(param) : null;
  const year = requested ?? years.at(-1)?.year ?? Number(today().slice(0, 4));
  const entry = years.find((y) => y.year === year);
  const status = !entry ? ("missing" as const) : entry.holidays === 0 ? ("empty" as const) : !entry.complete ? ("entering" as const) : ("known" as const);
  return { years, year, status, days: entry ? await listCalendarDays(db, year) : [] };
}

/**
 * The day as the page showed it (hidden `seen`: the shown year and its days) and the year shown. A
 * day of another year was not shown: taken as not entered, so an entry there is not replaced unseen.
 */
function seenDay(raw: string | undefined, day: string): { seen?: string; shownYear?: number } {
  try {
    const shown = z.object({ year: z.number(), days: z.record(z.string(), z.string()) }).parse(JSON.parse(raw ?? ""));
    return { seen: Number(day.slice(0, 4)) === shown.year ? (shown.days[day] ?? "") : "", shownYear: shown.year };
  } catch {
    return {};
  }
}

type Refusal = { intent: string; result: SubmissionResult<string[]> | null; message: string | null };
const refused = (r: Refusal, status = 400) => data(r, { status });

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "calendar.edit");
  const form = await readForm(request);
  const db = await getDb();
  const write = (change: CalendarChange) =>
    db
      .transaction((tx) => changeCalendar(tx, { change, actor: user, address: clientAddressOf(request) }))
      // nothing to confirm yet, a day changed meanwhile, nothing to add: said on the page, nothing written
      .catch((e: unknown) => {
        if (e instanceof CalendarYearEmptyError || e instanceof CalendarDayChangedError || e instanceof CalendarNothingShippedError) return e;
        throw e;
      });
  // (a new value each save: the day form below is drawn afresh by it)
  const saved = (year: number) => redirect(`/admin/calendar?year=${year}&saved=${Date.now().toString(36)}`);
  if (form.get("intent") === "set") {
    const submission = parseWithZod(form, { schema: calendarDaySchema });
    if (submission.status !== "success") return refused({ intent: "set", result: submission.reply(), message: null });
    const f = submission.value;
    const refuseDay = (message: string, status = 400) => refused({ intent: "set", result: submission.reply({ fieldErrors: { day: [message] } }), message: null }, status);
    const y = Number(f.day.slice(0, 4));
    if (!(await listCalendarYears(db)).some((r) => r.year === y)) return refuseDay(`${y} 年尚未建立日历，请先在左侧添加该年度。`);
    const year = await write({ intent: "set", days: f.days, kind: f.kind, name: f.name, seen: (day) => seenDay(f.seen, day) });
    if (year instanceof CalendarDayChangedError) return refuseDay(year.message, 409);
    if (year instanceof Error) throw year;
    throw saved(year);
  }
  if (form.get("intent") === "add_year") {
    const submission = parseWithZod(form, { schema: calendarYearSchema });
    if (submission.status !== "success") return refused({ intent: "add_year", result: submission.reply(), message: null });
    const year = await write(submission.value);
    if (year instanceof Error) throw year;
    throw saved(year);
  }
  const button = buttons.safeParse(Object.fromEntries(form));
  if (!button.success) throw new Response("请求无效。", { status: 400 });
  const year = await write(button.data);
  if (year instanceof CalendarNothingShippedError) return refused({ intent: "shipped", result: null, message: year.message });
  if (year instanceof CalendarDayChangedError) return refused({ intent: "delete", result: null, message: year.message }, 409);
  if (year instanceof CalendarYearEmptyError) return refused({ intent: button.data.intent, result: null, message: year.message });
  throw saved(year);
}

export default function Calendar() {
  const { years, year, status, days } = useLoaderData<typeof loader>();
  const current = years.find((y) => y.year === year);
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const said = (intent: string) => (actionData?.intent === intent ? actionData.message : null);
  const [dayForm, day] = useZodForm(calendarDaySchema, { id: "calendar-day", lastResult: actionData?.intent === "set" ? (actionData.result ?? undefined) : undefined });
  const [yearForm, added] = useZodForm(calendarYearSchema, { id: "calendar-year", lastResult: actionData?.intent === "add_year" ? (actionData.result ?? undefined) : undefined });
  const typed = (f: { initialValue?: unknown }) => (typeof f.initialValue === "string" ? f.initialValue : "");
  const seen = JSON.stringify({ year, days: Object.fromEntries(days.map((d) => [d.day, calendarDayKey(d)])) });
  return (
    <>
      <PageHeader title="工作日历" subtitle="国务院公布的放假安排与调休上班日。未列出的年度、手工录入后尚未确认完整的年度视为“未知”，涉及该年度的期限会提示人工核对。" />
      {params.get("saved") && !actionData ? (
        <div role="status" className="mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          已保存；未答复提案（及期限曾因日历未覆盖而待核对的已答复提案）的期限已按新日历重新计算。
        </div>
      ) : null}
      <div className="grid grid-cols-1 gap-5 lg:grid-cols-[16rem_1fr]">
        <aside className="space-y-4">
          <nav aria-label="年度" className="card p-2">
            <ul className="grid grid-cols-3 gap-1 text-sm">
              {years.map((y) => (
                <li key={y.year}>
                  <Link
                    to={`?year=${y.year}`}
                    className={`block rounded px-2 py-1 text-center no-underline ${y.year === year ? "bg-blue-800 text-white" : "text-slate-700 hover:bg-slate-100"}`}
                  >
                    {y.year}
                    {y.holidays === 0 || !y.complete ? <span title="尚未录入完整并确认，仍视为未知年度"> ⚠</span> : null}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <Form method="post" {...getFormProps(yearForm)} className="card space-y-2">
            <input type="hidden" name="intent" value="add_year" />
            <TextField label="添加年度" name="year" type="number" defaultValue={typed(added.year)} error={added.year.errors?.[0]} hint="国务院公布新年度安排后添加，再逐日录入" />
            <button type="submit" className="btn-secondary" disabled={busy}>
              添加
            </button>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="shipped" />
            <button type="submit" className="btn-secondary w-full justify-center" disabled={busy} aria-describedby={said("shipped") ? "shipped-said" : undefined}>
              从内置数据补充缺少的年度
            </button>
            {said("shipped") ? (
              <p id="shipped-said" role="status" className="mt-2 text-sm text-slate-700">
                {said("shipped")}
              </p>
            ) : null}
          </Form>
        </aside>
        <section>
          <h2 className="mb-2 text-lg font-semibold">{year} 年</h2>
          {status === "missing" ? (
            <div role="alert" className="card mb-4 border-amber-300 bg-amber-50 text-sm text-amber-900">
              <p>{year} 年尚未建立日历。涉及该年度的期限无法确认是否落在节假日，系统会在提案、列表、工作台和导出中提示人工核对。</p>
              <Form method="post" className="mt-2">
                <input type="hidden" name="intent" value="add_year" />
                <input type="hidden" name="year" value={year} />
                <button type="submit" className="btn-secondary" disabled={busy}>
                  添加 {year} 年度
                </button>
              </Form>
            </div>
          ) : status === "empty" ? (
            <div role="alert" className="card mb-4 border-amber-300 bg-amber-50 text-sm text-amber-900">
              {year} 年已添加，但还没有录入放假日：在录入国务院公布的放假安排并确认之前，该年度仍视为“未知”，相关期限继续提示人工核对。
            </div>
          ) : status === "entering" ? (
            <div role="alert" className="card mb-4 border-amber-300 bg-amber-50 text-sm text-amber-900">
              <p>
                {year} 年正在录入：已录入放假日 {current?.holidays ?? 0} 天、调休上班日 {current?.workdays ?? 0}{" "}
                天。录入完国务院公布的全部放假安排（元旦、春节、清明、劳动节、端午、中秋、国庆及调休上班日）后请确认；确认之前该年度仍视为“未知”，相关期限继续提示人工核对。
              </p>
              <Form method="post" className="mt-2">
                <input type="hidden" name="intent" value="confirm_year" />
                <input type="hidden" name="year" value={year} />
                <button type="submit" className="btn-primary" disabled={busy}>
                  确认 {year} 年安排已录入完整
                </button>
              </Form>
              {said("confirm_year") ? (
                <p className="mt-1 text-red-700" role="alert">
                  {said("confirm_year")}
                </p>
              ) : null}
            </div>
          ) : current?.complete ? (
            // a known year's festival holidays are kept (keepFestivals): reopening is the way to change one
            <div className="mb-4 flex flex-wrap items-center gap-3 text-sm text-slate-600">
              <span>{current.source === "admin" ? `${year} 年安排为手工录入，已确认完整。` : `${year} 年安排为内置的国务院放假安排，视为完整。`}</span>
              <Form method="post">
                <input type="hidden" name="intent" value="reopen_year" />
                <input type="hidden" name="year" value={year} />
                <button type="submit" className="btn-secondary text-xs" disabled={busy}>
                  撤销确认（重新视为未知）
                </button>
              </Form>
            </div>
          ) : null}
          {/* top-aligned: the date's format hint and an error under a field shifted its label up (items-end) */}
          {/* drawn afresh after each save (keyed by the save's mark in the address and the year's days): a
              range's 至 left filled refused the next day entered. Not by every visit: a refused post elsewhere
              on the page (确认…) is a visit too, and the dates typed meanwhile were wiped */}
          <Form
            key={`${params.get("saved") ?? ""}:${seen}`}
            method="post"
            {...getFormProps(dayForm)}
            className="card mb-4 grid grid-cols-1 items-start gap-3 md:grid-cols-5"
            aria-label="录入放假或调休上班日"
          >
            <input type="hidden" name="intent" value="set" />
            <input type="hidden" name="seen" value={seen} />
            <FocusesFirstError>
              <DateField label="日期" name="day" defaultValue={typed(day.day)} error={day.day.errors?.[0]} />
              <DateField
                label="至（可选）"
                name="until"
                defaultValue={typed(day.until)}
                error={day.until.errors?.[0]}
                hint="连续几天同为放假或调休上班时填写，如春节 7 天一次录入"
              />
              <SelectField
                label="类型"
                name="kind"
                defaultValue={typed(day.kind)}
                placeholder="请选择"
                options={[
                  { value: "holiday", label: "放假（休息日）" },
                  { value: "workday", label: "调休上班（工作日）" },
                ]}
                error={day.kind.errors?.[0]}
              />
              <TextField label="名称" name="name" defaultValue={typed(day.name)} placeholder="如：春节" error={day.name.errors?.[0]} />
            </FocusesFirstError>
            <button type="submit" className="btn-primary md:mt-6" disabled={busy}>
              保存该日
            </button>
          </Form>
          {said("delete") ? (
            <p role="alert" className="mb-4 rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
              未删除：{said("delete")}
            </p>
          ) : null}
          <ScrollArea label="日历（表格）" className="card p-0">
            <table className="table-base">
              <thead>
                <tr>
                  <th>日期</th>
                  <th>星期</th>
                  <th>类型</th>
                  <th>名称</th>
                  <th>来源</th>
                  <th>
                    <span className="sr-only">操作</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {days.map((d) => (
                  <tr key={d.day}>
                    <td>{d.day}</td>
                    <td>周{WEEKDAYS[dayOfWeek(d.day)]}</td>
                    <td className={d.kind === "holiday" ? "text-red-700" : "text-blue-800"}>{CALENDAR_DAY_KIND_LABELS[d.kind]}</td>
                    <td>{d.name ?? ""}</td>
                    <td className="text-xs text-slate-500">{d.source === "admin" ? "手工录入" : "系统内置（国务院办公厅公布的放假安排）"}</td>
                    <td>
                      <Form method="post">
                        <input type="hidden" name="intent" value="delete" />
                        <input type="hidden" name="day" value={d.day} />
                        {/* the day as shown: a delete from an older page must not remove a colleague's change */}
                        <input type="hidden" name="seenDay" value={calendarDayKey(d)} />
                        <button type="submit" className="btn-secondary text-xs" disabled={busy}>
                          删除
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        </section>
      </div>
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
