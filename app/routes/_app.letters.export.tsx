/**
 * 答复函导出: every signed letter of a 会议 (or the current drafts) as one ZIP with a manifest.
 *
 * With JavaScript: "导出" starts a job in the server process (app/letters/export-jobs.server.ts),
 * the page polls its progress with a fetcher and shows a progress bar, then downloads the
 * finished file. Without JavaScript the same form is a plain GET to /letters/export.zip, which
 * streams the ZIP as it is written.
 */
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { z } from "zod";
import { audit } from "~/models/audit.server";
import { getDb } from "#db/client.server";
import { requirePermission } from "~/auth/session.server";
import { today } from "~/models/deadline.server";
import { countExportItems, exportFilterSchema, type ExportFilter } from "~/letters/export.server";
import { cancelExportJob, ExportBusyError, getExportJob, startExportJob, type ExportJobView } from "~/letters/export-jobs.server";
import { listMeetings } from "~/models/proposal.server";
import { PageHeader } from "~/ui/layout";
import { readForm } from "~/http/form.server";

export const meta: MetaFunction = () => [{ title: "答复函导出 · 提案答复系统" }];

const STATE_OPTIONS = [
  { value: "signed", label: "已签发的答复函" },
  { value: "draft", label: "答复稿（带“草稿”水印）" },
] as const;

function readFilter(source: URLSearchParams | FormData) {
  const parsed = exportFilterSchema.safeParse({ meeting: source.get("meeting") ?? undefined, state: source.get("state") || undefined });
  return parsed.success ? parsed.data : null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "letter.export");
  const url = new URL(request.url);
  const filter: ExportFilter = readFilter(url.searchParams) ?? { meeting: undefined, state: "signed" };
  const db = await getDb();
  const [meetings, count] = await Promise.all([listMeetings(db), countExportItems(db, filter)]);
  const jobId = z.string().uuid().safeParse(url.searchParams.get("job"));
  const job = jobId.success ? await getExportJob(db, jobId.data, user.id) : null;
  return { meetings, filter, count, job };
}

const actionSchema = z.discriminatedUnion("intent", [z.object({ intent: z.literal("start") }), z.object({ intent: z.literal("cancel"), job: z.string().uuid() })]);

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "letter.export");
  const form = await readForm(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return data({ error: "请求无效。", job: null }, { status: 400 });
  if (parsed.data.intent === "cancel") {
    await cancelExportJob(await getDb(), parsed.data.job, user.id);
    return { error: null, job: null };
  }
  const filter = readFilter(form);
  if (!filter) return data({ error: "筛选条件无效。", job: null }, { status: 400 });
  try {
    const job = await startExportJob(await getDb(), { userId: user.id, filter, today: today() });
    if (!job) return data({ error: "没有符合条件的答复函。", job: null }, { status: 404 });
    // recorded when started, as the streamed export is: who took which letters out of the system
    await audit(request, {
      actor: user,
      action: "letters_exported",
      target: filter.meeting ?? "全部会议",
      detail: `${filter.state === "draft" ? "草稿" : "已签发"} ${job.total} 份`,
    });
    return { error: null, job };
  } catch (e) {
    if (e instanceof ExportBusyError) return data({ error: e.message, job: null }, { status: 429 });
    throw e;
  }
}

const formatSize = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);
const downloadUrl = (job: ExportJobView) => `/letters/export.zip?job=${job.id}`;

export default function LettersExport() {
  const { meetings, filter, count } = useLoaderData<typeof loader>();
  const [, setSearchParams] = useSearchParams();
  const starter = useFetcher<typeof action>();
  const poller = useFetcher<typeof loader>();
  const canceller = useFetcher<typeof action>();
  const [jobId, setJobId] = useState<string | null>(null);
  const downloaded = useRef<string | null>(null);

  const started = starter.data?.job ?? null;
  useEffect(() => {
    if (started) setJobId(started.id);
  }, [started]);

  // The job as last seen: the poll's answer, else what starting it returned.
  const polled = poller.data?.job;
  const job: ExportJobView | null = jobId ? (polled && polled.id === jobId ? polled : started && started.id === jobId ? started : null) : null;

  // Poll while the job runs: again after each answer (poller.data), until the job is no longer running.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the poll is driven by the answers, not by the fetcher object
  useEffect(() => {
    if (!jobId || (job && job.state !== "running")) return;
    const t = setTimeout(() => poller.load(`/letters/export?job=${jobId}`), 300);
    return () => clearTimeout(t);
  }, [jobId, job?.done, job?.state, poller.data]);

  // Download once, when it is done.
  useEffect(() => {
    if (job?.state === "done" && downloaded.current !== job.id) {
      downloaded.current = job.id;
      window.location.assign(downloadUrl(job));
    }
  }, [job]);

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    // With JavaScript: a job with a progress bar instead of the plain streamed download.
    e.preventDefault();
    const fd = new FormData(e.currentTarget);
    fd.set("intent", "start");
    setJobId(null);
    starter.submit(fd, { method: "post", action: "/letters/export" });
  };

  const running = starter.state !== "idle" || job?.state === "running";
  const percent = job?.total ? Math.floor((job.done / job.total) * 100) : 0;

  return (
    <>
      <PageHeader title="答复函导出" subtitle="把一次会议的答复函（Word 文件）打包为一个 ZIP 文件，附清单（清单.csv）。文件按文号和提案号命名。" />
      <Form
        method="get"
        action="/letters/export.zip"
        reloadDocument
        onSubmit={onSubmit}
        className="card mb-4 grid max-w-3xl grid-cols-1 gap-3 md:grid-cols-3"
        aria-label="导出条件"
      >
        <div className="md:col-span-2">
          <label htmlFor="meeting" className="mb-1 block text-sm font-medium text-slate-700">
            会议
          </label>
          <select
            id="meeting"
            name="meeting"
            defaultValue={filter.meeting ?? ""}
            className="input"
            onChange={(e) =>
              setSearchParams(
                (p) => {
                  p.set("meeting", e.target.value);
                  return p;
                },
                { replace: true },
              )
            }
          >
            <option value="">全部会议</option>
            {meetings.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="state" className="mb-1 block text-sm font-medium text-slate-700">
            内容
          </label>
          <select
            id="state"
            name="state"
            defaultValue={filter.state}
            className="input"
            onChange={(e) =>
              setSearchParams(
                (p) => {
                  p.set("state", e.target.value);
                  return p;
                },
                { replace: true },
              )
            }
          >
            {STATE_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-wrap items-center gap-3 md:col-span-3">
          <button type="submit" className="btn-primary" disabled={running || count === 0}>
            {running ? "正在导出…" : "导出 ZIP"}
          </button>
          <span className="text-sm text-slate-600" data-testid="export-count">
            {count === 0 ? "没有符合条件的答复函。" : `将导出 ${count} 封答复函。`}
          </span>
        </div>
      </Form>

      {starter.data?.error ? (
        <div role="alert" className="mb-4 max-w-3xl rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
          {starter.data.error}
        </div>
      ) : null}

      {job ? (
        <section aria-label="导出进度" className="card max-w-3xl">
          <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2 text-sm">
            <span className="font-medium">{job.fileName}</span>
            <span aria-live="polite" data-testid="export-status">
              {job.state === "running" ? `正在生成：${job.done} / ${job.total} 封` : null}
              {job.state === "done" ? `已完成：${job.total - job.failed} 封，${formatSize(job.bytes)}` : null}
              {job.state === "failed" ? job.error : null}
              {job.state === "cancelled" ? "已取消。" : null}
            </span>
          </div>
          <progress className="h-3 w-full" max={job.total} value={job.done} aria-label={`导出进度 ${percent}%`} />
          {job.failed > 0 ? <p className="mt-2 text-sm text-amber-800">有 {job.failed} 封无法生成，原因见清单.csv 的“说明”一列。</p> : null}
          <div className="mt-3 flex gap-2">
            {job.state === "done" ? (
              <a href={downloadUrl(job)} className="btn-primary" download>
                下载 ZIP
              </a>
            ) : null}
            {job.state === "running" ? (
              <canceller.Form method="post" action="/letters/export" onSubmit={() => setJobId(null)}>
                <input type="hidden" name="intent" value="cancel" />
                <input type="hidden" name="job" value={job.id} />
                <button type="submit" className="btn-secondary">
                  取消
                </button>
              </canceller.Form>
            ) : null}
          </div>
          {job.state === "done" ? <p className="mt-2 text-xs text-slate-500">下载应已自动开始；如未开始，请点击“下载 ZIP”。文件在服务器上保留一小时。</p> : null}
        </section>
      ) : null}

      <section className="mt-6 max-w-3xl text-sm text-slate-600">
        <h2 className="mb-1 font-medium text-slate-800">说明</h2>
        <ul className="list-disc space-y-1 pl-5">
          <li>已签发的答复函与签发时冻结的文本完全一致；更正过的答复函各轮都会导出，清单中注明哪一份是当前答复。</li>
          <li>导出文件以“文号_第N号提案答复.docx”命名，附清单“清单.csv”，可直接存档或报送。</li>
        </ul>
      </section>
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
