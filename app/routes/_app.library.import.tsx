/**
 * Import a policy document or a past reply letter into the library: upload (or paste) →
 * candidate paragraphs with their library duplicates → accept / merge / split / discard, edit
 * titles and tags → import, the whole document in one transaction. The candidates travel in
 * the form between steps, so every step is a plain form post (works without JavaScript).
 */
import { optionalDateInputSchema } from "~/domain/proposal";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "#db/client.server";
import { requirePermission } from "~/auth/session.server";
import {
  DOCUMENT_KIND_LABELS,
  DOCUMENT_KINDS,
  DUPLICATE_KIND_LABELS,
  IMPORT_ACTION_LABELS,
  IMPORT_ACTIONS,
  PARAGRAPH_KIND_LABELS,
  splitPoints,
  type ImportAction,
} from "~/domain/library";
import { DEFAULT_MAX_PARAGRAPH_CHARS, mergeCandidates, splitCandidate, type Candidate } from "~/domain/paragraph-import";
import {
  detectKind,
  documentDefaults,
  findImportedFile,
  importLibraryDocument,
  LibraryImportError,
  planLibraryImport,
  readLibrarySource,
  readPastedText,
  type DocumentFields,
  type ItemChoice,
  type PlanItem,
  type SourceText,
} from "~/models/library-import.server";
import { readMultipartForm } from "~/models/upload.server";
import { FileField, FormError, SelectField, TextArea, TextField, DateField } from "~/ui/form";
import { PageHeader, StateBadge } from "~/ui/layout";

export const meta: MetaFunction = () => [{ title: "导入段落 · 段落库" }];

/** Step 1: a file or pasted text. */
const uploadSchema = z.object({
  kind: z.enum(["auto", ...DOCUMENT_KINDS]).catch("auto"),
  pasted: z.string().max(2_000_000, "粘贴的文字过长（上限 200 万字），请拆分后分别导入。"),
});

const json = <T extends z.ZodTypeAny>(schema: T) =>
  z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "导入数据无效，请重新上传文件。" });
        return z.NEVER;
      }
    })
    .pipe(schema);

const candidateSchema = z.object({
  index: z.number().int().min(0),
  kind: z.enum(["heading", "paragraph", "table", "box"]),
  level: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  headingPath: z.array(z.string().max(300)).max(12),
  title: z.string().max(300),
  marker: z.string().max(30).optional(),
  lead: z.string().max(300).optional(),
  annotation: z.string().max(600).optional(),
  text: z.string().max(DEFAULT_MAX_PARAGRAPH_CHARS * 4),
  rows: z
    .array(z.array(z.string().max(5000)).max(60))
    .max(5000)
    .optional(),
  notes: z.array(z.string().max(300)).max(30).optional(),
});

const sourceSchema = z.object({
  fileName: z.string().min(1).max(300),
  mediaType: z.string().max(200),
  encoding: z.string().max(20),
  content: z.string().max(30_000_000),
  notes: z.array(z.string()).max(10),
});

const documentSchema = z.object({
  kind: z.enum(DOCUMENT_KINDS),
  letterNumber: z.string().max(100).nullable(),
  frame: z.record(z.string(), z.string()).nullable(),
});

/** Step 2: the plan, as edited. One schema for the whole form; per-candidate fields are `title-3` etc. */
const planSchema = z.object({
  intent: z.string().regex(/^(import|refresh|merge:\d+|split:\d+)$/, "未知的操作"),
  source: json(sourceSchema),
  document: json(documentSchema),
  candidates: json(z.array(candidateSchema).min(1, "没有候选段落").max(3000)),
  title: z.string().trim().min(1, "请填写文件标题").max(200, "标题不能超过 200 个字"),
  asOf: optionalDateInputSchema,
  items: z.array(
    z.object({
      title: z.string().trim().max(80, "标题不能超过 80 个字"),
      tags: z.string().max(300, "标签过长"),
      action: z.enum(IMPORT_ACTIONS).catch("create"),
      split: z.coerce.number().int().min(0).catch(0),
    }),
  ),
});

type SourceState = z.infer<typeof sourceSchema>;
type Plan = { source: SourceState; document: DocumentFields; items: PlanItem[] };
type ActionResult =
  | { stage: "upload"; errors: Record<string, string>; formError: string | null; existingId?: number }
  | ({ stage: "plan"; errors: Record<string, string>; formError: string | null } & Plan);

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "library.edit");
  return null;
}

function toState(s: SourceText): SourceState {
  return { fileName: s.fileName, mediaType: s.mediaType, encoding: s.encoding, content: s.content.toString("base64"), notes: s.notes };
}

function str(form: FormData, name: string) {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "library.edit");
  const { form, tooLarge } = await readMultipartForm(request);
  const db = await getDb();
  const intent = str(form, "intent");

  if (intent === "read") {
    const fail = (errors: Record<string, string>, formError: string | null = null, existingId?: number) =>
      data<ActionResult>({ stage: "upload", errors, formError, existingId }, { status: 400 });
    if (tooLarge) return fail({ file: "文件过大，超过上传上限。" });
    const parsed = uploadSchema.safeParse({ kind: str(form, "kind"), pasted: str(form, "pasted") });
    if (!parsed.success) return fail({ pasted: parsed.error.issues[0].message });
    const file = form.get("file");
    const hasFile = file !== null && typeof file !== "string" && (file.size > 0 || file.name !== "");
    let source: SourceText;
    try {
      if (hasFile) source = await readLibrarySource({ fileName: file.name || "未命名.txt", content: Buffer.from(await file.arrayBuffer()) });
      else if (parsed.data.pasted.trim()) source = readPastedText(parsed.data.pasted);
      else return fail({ file: "请选择要导入的文件，或在下方粘贴文字。" });
    } catch (e) {
      if (e instanceof LibraryImportError) return fail({ [hasFile ? "file" : "pasted"]: e.messages.join(" ") });
      throw e;
    }
    const existing = await findImportedFile(db, source.content);
    if (existing) return fail({}, `该文件已经导入过（《${existing.title}》），无需重复导入。`, existing.id);
    const kind = parsed.data.kind === "auto" ? detectKind(source.text) : parsed.data.kind;
    const document = documentDefaults(source.text, kind, source.fileName);
    const items = await planLibraryImport(db, { text: source.text, kind });
    return { stage: "plan", errors: {}, formError: null, source: toState(source), document, items } satisfies ActionResult;
  }

  const count = (() => {
    try {
      const list = JSON.parse(str(form, "candidates")) as unknown;
      return Array.isArray(list) ? Math.min(list.length, 3000) : 0;
    } catch {
      return 0;
    }
  })();
  const parsed = planSchema.safeParse({
    intent,
    source: str(form, "source"),
    document: str(form, "document"),
    candidates: str(form, "candidates"),
    title: str(form, "title"),
    asOf: str(form, "asOf"),
    items: Array.from({ length: count }, (_, i) => ({
      title: str(form, `title-${i}`),
      tags: str(form, `tags-${i}`),
      action: str(form, `action-${i}`),
      split: str(form, `split-${i}`),
    })),
  });
  const badState = parsed.success ? null : parsed.error.issues.find((i) => ["source", "document", "candidates", "intent"].includes(String(i.path[0])));
  if (!parsed.success && badState) return data<ActionResult>({ stage: "upload", errors: {}, formError: badState.message }, { status: 400 });

  // Re-plan with what the user changed, so the page always shows current duplicates.
  const raw = parsed.success ? parsed.data : null;
  const source = sourceSchema.parse(JSON.parse(str(form, "source")));
  const document = documentSchema.parse(JSON.parse(str(form, "document")));
  let candidates = (raw?.candidates ?? candidateSchema.array().parse(JSON.parse(str(form, "candidates")))) as Candidate[];
  let choices: (ItemChoice | undefined)[] = Array.from({ length: candidates.length }, (_, i) => ({
    title: str(form, `title-${i}`),
    tags: str(form, `tags-${i}`).split(/[,，、;；\s]+/),
    action: (IMPORT_ACTIONS as readonly string[]).includes(str(form, `action-${i}`)) ? (str(form, `action-${i}`) as ImportAction) : undefined,
  }));
  const docFields: DocumentFields = { ...document, frame: document.frame, title: raw?.title ?? str(form, "title"), asOf: raw?.asOf ?? null };
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const i of parsed.error.issues) errors[i.path[0] === "items" ? `${String(i.path[2])}-${String(i.path[1])}` : String(i.path[0])] ??= i.message;
  let formError: string | null = null;

  const [op, at] = intent.split(":");
  const i = Number(at);
  try {
    if (op === "merge") {
      candidates = mergeCandidates(candidates, i, i + 1);
      choices = [...choices.slice(0, i), { title: choices[i]?.title }, ...choices.slice(i + 2)];
    } else if (op === "split") {
      const offset = Number(str(form, `split-${i}`));
      candidates = splitCandidate(candidates, i, offset);
      choices = [...choices.slice(0, i), { title: choices[i]?.title }, undefined, ...choices.slice(i + 1)];
    }
  } catch (e) {
    formError = e instanceof Error ? `无法${op === "merge" ? "合并" : "拆分"}：${e.message}` : String(e);
  }
  const items = await planLibraryImport(db, { text: "", kind: document.kind, candidates, choices });
  items.forEach((it, k) => {
    if (it.action !== "skip" && !it.title.trim()) errors[`title-${k}`] = "请填写标题，或选择“不导入”";
  });
  const plan: Plan = { source, document: docFields, items };

  if (op === "import" && !formError) {
    if (Object.keys(errors).length) return data<ActionResult>({ stage: "plan", errors, formError: "请按提示修改标红的内容后再导入。", ...plan }, { status: 400 });
    if (items.every((it) => it.action === "skip")) return data<ActionResult>({ stage: "plan", errors, formError: "所有段落都选择了“不导入”。", ...plan }, { status: 400 });
    try {
      const summary = await db.transaction((tx) =>
        importLibraryDocument(tx, {
          source: { fileName: source.fileName, mediaType: source.mediaType, encoding: source.encoding, content: Buffer.from(source.content, "base64") },
          document: docFields,
          items,
          actorId: user.id,
        }),
      );
      throw redirect(`/library/documents/${summary.documentId}?imported=1`);
    } catch (e) {
      if (e instanceof LibraryImportError) return data<ActionResult>({ stage: "plan", errors, formError: `未导入任何段落：${e.messages.join(" ")}`, ...plan }, { status: 400 });
      throw e;
    }
  }
  return data<ActionResult>({ stage: "plan", errors, formError, ...plan }, { status: Object.keys(errors).length ? 400 : 200 });
}

export default function ImportLibrary() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (!result || result.stage === "upload") {
    return (
      <>
        <PageHeader title="导入段落" subtitle="第一步：选择政策文件或已发出的答复函。系统会接好分页和换行断开的句子、保留标题层级，并查出库中已有的段落。" />
        <Form method="post" encType="multipart/form-data" className="card space-y-4" noValidate>
          <FormError message={result?.formError} />
          {result?.existingId ? (
            <p className="text-sm">
              <Link to={`/library/documents/${result.existingId}`}>查看已导入的文件</Link>
            </p>
          ) : null}
          <FileField
            label="文件"
            name="file"
            accept=".txt,.md,.docx,text/plain,text/markdown,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            error={result?.errors.file}
            hint="支持纯文本（UTF-8 或 GBK）、Markdown 和 Word（.docx）"
          />
          <TextArea label="或直接粘贴文字" name="pasted" rows={8} error={result?.errors.pasted} placeholder="将政策文件或答复函的正文粘贴到这里" />
          <SelectField
            label="类型"
            name="kind"
            defaultValue="auto"
            options={[
              { value: "auto", label: "自动识别" },
              { value: "policy", label: DOCUMENT_KIND_LABELS.policy },
              { value: "letter", label: DOCUMENT_KIND_LABELS.letter },
            ]}
            hint="答复函会识别发文字号、提案号和落款，只把正文段落作为候选"
          />
          <div className="flex gap-2">
            <button type="submit" name="intent" value="read" className="btn-primary" disabled={busy}>
              {busy ? "正在读取…" : "读取并拆分段落"}
            </button>
            <Link to="/library" className="btn-secondary">
              取消
            </Link>
          </div>
        </Form>
      </>
    );
  }

  const { source, document: doc, items } = result;
  const errors = result.errors as Record<string, string | undefined>;
  const counts = Object.fromEntries(IMPORT_ACTIONS.map((a) => [a, items.filter((it) => it.action === a).length])) as Record<ImportAction, number>;
  const duplicates = items.filter((it) => it.matches.length > 0).length;
  return (
    <>
      <PageHeader
        title="导入段落"
        subtitle={`第二步：检查 ${items.length} 个候选段落（${source.fileName}）。可修改标题和标签，合并或拆分段落，选择每段的处理方式；确认后整份文件一次导入。`}
      />
      <Form method="post" encType="multipart/form-data" noValidate>
        <FormError message={result.formError} />
        {source.notes.map((n) => (
          <p key={n} role="note" className="mb-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {n}
          </p>
        ))}
        <input type="hidden" name="source" value={JSON.stringify(source)} />
        <input type="hidden" name="document" value={JSON.stringify({ kind: doc.kind, letterNumber: doc.letterNumber, frame: doc.frame })} />
        <input type="hidden" name="candidates" value={JSON.stringify(items.map((it) => it.candidate))} />
        <section className="card mb-4 grid gap-4 md:grid-cols-3">
          <TextField label="文件标题" name="title" required defaultValue={doc.title} error={errors.title} className="md:col-span-2" />
          <DateField label="资料截至" name="asOf" defaultValue={doc.asOf ?? ""} error={errors.asOf} hint="段落中数据的截止日期，用于时效提醒" />
          <div className="text-sm md:col-span-3">
            <span className="text-slate-500">类型：</span>
            {DOCUMENT_KIND_LABELS[doc.kind]}
            {doc.letterNumber ? <span className="ml-4">发文字号：{doc.letterNumber}</span> : null}
            {doc.frame?.proposalNumber ? (
              <span className="ml-4">
                提案：{doc.frame.session}第{doc.frame.proposalNumber}号
              </span>
            ) : null}
            <span className="ml-4 text-slate-500">
              库中已有 {duplicates} 段；将新增 {counts.create} 段、关联 {counts.link} 段、更新 {counts.update} 段、不导入 {counts.skip} 段。
            </span>
          </div>
        </section>
        <ol className="space-y-3">
          {items.map((it, i) => {
            const c = it.candidate;
            const points = splitPoints(c);
            const actions = IMPORT_ACTIONS.filter(
              (a) => (a !== "link" || it.matches.length > 0) && (a !== "update" || it.matches.some((m) => m.kind === "exact" || m.kind === "near")),
            );
            return (
              <li key={`${i}-${c.text.length}-${c.title}`} className={`card ${it.action === "skip" ? "opacity-70" : ""}`} data-testid="import-candidate">
                <fieldset>
                  <legend className="flex flex-wrap items-center gap-2 text-sm">
                    <span className="font-semibold">第 {i + 1} 段</span>
                    <StateBadge label={c.kind === "heading" ? "标题" : PARAGRAPH_KIND_LABELS[c.kind]} />
                    {c.headingPath.length ? <span className="text-xs text-slate-500">{c.headingPath.join(" / ")}</span> : null}
                  </legend>
                  {c.notes?.map((n) => (
                    <p key={n} className="mt-1 text-xs text-amber-800">
                      自动修正：{n}
                    </p>
                  ))}
                  <div className="mt-2 grid gap-3 md:grid-cols-[1fr_16rem]">
                    <div>
                      <div className="max-h-48 overflow-auto whitespace-pre-wrap rounded border border-slate-200 bg-slate-50 px-2 py-1.5 text-sm leading-6">
                        {c.lead ? <strong>{c.lead}</strong> : null}
                        {c.text}
                      </div>
                      {it.matches.length ? (
                        <ul className="mt-2 space-y-1 text-sm" aria-label="库中已有的相同或相似段落">
                          {it.matches.map((m) => (
                            <li key={m.paragraphId} className="flex flex-wrap items-center gap-2">
                              <StateBadge label={DUPLICATE_KIND_LABELS[m.kind]} tone={m.kind === "exact" ? "green" : "amber"} />
                              <Link to={`/library/${m.paragraphId}`} target="_blank">
                                #{m.paragraphId} {m.title}
                              </Link>
                              <span className="text-xs text-slate-500">相似度 {Math.round(m.score * 100)}%</span>
                              {m.status === "retired" ? <StateBadge label="已停用" tone="red" /> : null}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </div>
                    <div className="space-y-2">
                      <SelectField label="处理方式" name={`action-${i}`} defaultValue={it.action} options={actions.map((a) => ({ value: a, label: IMPORT_ACTION_LABELS[a] }))} />
                      <TextField label="标题" name={`title-${i}`} defaultValue={it.title} error={errors[`title-${i}`]} />
                      <TextField label="标签" name={`tags-${i}`} defaultValue={it.tags.join("、")} error={errors[`tags-${i}`]} />
                    </div>
                  </div>
                  <div className="mt-2 flex flex-wrap items-end gap-2 border-t border-slate-100 pt-2">
                    {i < items.length - 1 ? (
                      <button type="submit" name="intent" value={`merge:${i}`} className="btn-secondary" disabled={busy}>
                        与下一段合并
                      </button>
                    ) : null}
                    {points.length ? (
                      <>
                        <SelectField label="拆分位置" name={`split-${i}`} options={points.map((p) => ({ value: String(p.offset), label: p.label }))} className="min-w-[14rem]" />
                        <button type="submit" name="intent" value={`split:${i}`} className="btn-secondary" disabled={busy}>
                          拆分
                        </button>
                      </>
                    ) : null}
                  </div>
                </fieldset>
              </li>
            );
          })}
        </ol>
        <div className="sticky bottom-0 mt-4 flex flex-wrap items-center gap-2 border-t border-slate-200 bg-slate-50 py-3">
          <button type="submit" name="intent" value="import" className="btn-primary" disabled={busy}>
            {busy ? "正在处理…" : "确认导入"}
          </button>
          <button type="submit" name="intent" value="refresh" className="btn-secondary" disabled={busy}>
            按修改后的选择刷新
          </button>
          <Link to="/library/import" className="btn-secondary">
            重新开始
          </Link>
          <span className="text-xs text-slate-500">整份文件一次导入：任何一段出错，都不会写入。</span>
        </div>
      </Form>
    </>
  );
}
