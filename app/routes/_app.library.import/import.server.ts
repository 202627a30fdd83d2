/** Loader and action of /library/import (the page is ImportLibrary.tsx): each step of the import is a post. */
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getDb } from "#db/client.server";
import { requirePermission } from "~/auth/session.server";
import { DOCUMENT_KINDS, IMPORT_ACTIONS, type ImportAction } from "~/domain/library";
import { DEFAULT_MAX_PARAGRAPH_CHARS, mergeCandidates, splitCandidate, type Candidate } from "~/domain/paragraph-import";
import { jsonField } from "~/domain/json-field";
import { optionalDateInputSchema } from "~/domain/proposal";
import type { DocumentFields } from "~/domain/import-analysis";
import {
  analyseLibraryText,
  findImportedFile,
  findImportedLetter,
  alreadyImportedLetter,
  importedName,
  importLibraryDocument,
  LibraryImportError,
  LibraryVersionChangedError,
  MAX_LIBRARY_PLAN_FIELD_BYTES,
  MAX_LIBRARY_PLAN_CANDIDATES,
  MAX_LIBRARY_PLAN_FIELDS,
  planLibraryImport,
  readLibrarySource,
  readPastedText,
  type ItemChoice,
  type PlanItem,
  type SourceText,
} from "~/models/library-import.server";
import { readMultipartForm } from "~/models/upload.server";
import { dropImportUpload, findImportUpload, keepImportUpload, touchImportUpload } from "~/models/library-import-upload.server";
import { isUniqueViolation } from "#db/errors";
import { ParagraphVersionConflictError } from "~/models/paragraph.server";

/** Step 1: a file or pasted text. */
const uploadSchema = z.object({
  kind: z.enum(["auto", ...DOCUMENT_KINDS]).catch("auto"),
  pasted: z.string().max(2_000_000, "粘贴的文字过长（上限 200 万字），请拆分后分别导入。"),
});

const candidateSchema = z.object({
  index: z.number().int().min(0),
  kind: z.enum(["heading", "paragraph", "table", "box"]),
  level: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  headingPath: z.array(z.string().max(300)).max(12),
  title: z.string().max(300),
  marker: z.string().max(30).optional(),
  lead: z.string().max(300).optional(),
  annotation: z.string().max(600).optional(),
  continues: z.boolean().optional(),
  text: z.string().max(DEFAULT_MAX_PARAGRAPH_CHARS * 4),
  rows: z
    .array(z.array(z.string().max(5000)).max(60))
    .max(5000)
    .optional(),
  notes: z.array(z.string().max(300)).max(30).optional(),
});

/** What the plan page shows of the file (its bytes stay on the server: library-import-upload.server.ts). */
const sourceSchema = z.object({
  upload: z.string({ error: "导入数据无效，请重新上传文件。" }).max(64),
  fileName: z.string().min(1).max(300),
  mediaType: z.string().max(200),
  encoding: z.string().max(20),
  notes: z.array(z.string()).max(10),
});

const documentSchema = z.object({
  kind: z.enum(DOCUMENT_KINDS),
  letterNumber: z.string().max(100).nullable(),
  frame: z.record(z.string(), z.string()).nullable(),
});

/** "paragraphId:version" of the 更新 target the plan page showed (seen-i); anything else: none. */
const seenSchema = z
  .string()
  .regex(/^\d{1,9}:\d{1,9}$/)
  .transform((s) => {
    const [paragraphId, version] = s.split(":").map(Number);
    return { paragraphId: paragraphId!, version: version! };
  })
  .nullable()
  .catch(null);

/** After 合并/拆分 the paragraphs are renumbered: a field's error ("title-3") moves with its paragraph, or goes with it. */
function moveItemErrors(errors: Record<string, string>, to: (k: number) => number | null) {
  const moved: Record<string, string> = {};
  for (const [key, message] of Object.entries(errors)) {
    const m = /^(.+)-(\d+)$/.exec(key);
    if (!m) moved[key] = message;
    else {
      const k = to(Number(m[2]));
      if (k != null) moved[`${m[1]}-${k}`] = message;
    }
  }
  for (const key of Object.keys(errors)) delete errors[key];
  Object.assign(errors, moved);
}

const UPLOAD_GONE = "找不到这次读取的文件：它已经导入，或一天以上未操作，或之后又读取了五份以上其他文件。请重新选择文件读取。";
const tooManyCandidates = (n: number) => `共 ${n} 段，超过一次导入的上限 ${MAX_LIBRARY_PLAN_CANDIDATES} 段：请把文件分成几份，分别导入。`;

/** Step 2: the plan, as edited. One schema for the whole form; per-candidate fields are `title-3` etc. */
const planSchema = z.object({
  intent: z.string().regex(/^(import|refresh|merge:\d+|split:\d+)$/, "未知的操作"),
  source: jsonField(sourceSchema),
  document: jsonField(documentSchema),
  candidates: jsonField(
    z.array(candidateSchema).min(1, "没有候选段落").max(MAX_LIBRARY_PLAN_CANDIDATES, `候选段落超过一次导入的上限 ${MAX_LIBRARY_PLAN_CANDIDATES} 段：请把文件分成几份，分别导入。`),
  ),
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

function toState(s: SourceText, upload: string): SourceState {
  return { upload, fileName: s.fileName, mediaType: s.mediaType, encoding: s.encoding, notes: s.notes };
}

function str(form: FormData, name: string) {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "library.edit");
  const { form, tooLarge } = await readMultipartForm(request, {
    maxFieldBytes: MAX_LIBRARY_PLAN_FIELD_BYTES,
    maxFields: MAX_LIBRARY_PLAN_FIELDS,
  });
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
      else if (parsed.data.pasted.trim()) source = await readPastedText(parsed.data.pasted);
      else return fail({ file: "请选择要导入的文件，或在下方粘贴文字。" });
    } catch (e) {
      if (e instanceof LibraryImportError) return fail({ [hasFile ? "file" : "pasted"]: e.messages.join(" ") });
      throw e;
    }
    const existing = await findImportedFile(db, source.content);
    if (existing) return fail({}, `该文件已经导入过（${importedName(existing)}），无需重复导入。`, existing.id);
    let analysis: Awaited<ReturnType<typeof analyseLibraryText>>;
    try {
      analysis = await analyseLibraryText({ text: source.text, kind: parsed.data.kind, fileName: source.fileName });
    } catch (e) {
      if (e instanceof LibraryImportError) return fail({ [hasFile ? "file" : "pasted"]: e.messages.join(" ") });
      throw e;
    }
    // The plan's later steps carry every candidate in the form: past this many they cannot (counted before matching them against the library).
    if ("tooMany" in analysis) return fail({ [hasFile ? "file" : "pasted"]: tooManyCandidates(analysis.tooMany) });
    const { kind, document, candidates } = analysis;
    const sameLetter = kind === "letter" ? await findImportedLetter(db, document.letterNumber) : null;
    if (sameLetter) return fail({}, alreadyImportedLetter(document.letterNumber!), sameLetter.id);
    const items = await planLibraryImport(db, { text: source.text, kind, candidates });
    const upload = await keepImportUpload(db, { userId: user.id, fileName: source.fileName, content: source.content });
    return { stage: "plan", errors: {}, formError: null, source: toState(source, upload), document, items } satisfies ActionResult;
  }

  if (tooLarge) return data<ActionResult>({ stage: "upload", errors: {}, formError: "提交的内容过大，请重新上传文件。" }, { status: 413 });
  const count = (() => {
    try {
      const list = JSON.parse(str(form, "candidates")) as unknown;
      return Array.isArray(list) ? Math.min(list.length, MAX_LIBRARY_PLAN_CANDIDATES) : 0;
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
    seen: seenSchema.parse(str(form, `seen-${i}`)),
  }));
  // (a refused form keeps the typed 资料截至 too, not only the title)
  const docFields: DocumentFields = { ...document, frame: document.frame, title: raw?.title ?? str(form, "title"), asOf: raw ? raw.asOf : str(form, "asOf") || null };
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const i of parsed.error.issues) errors[i.path[0] === "items" ? `${String(i.path[2])}-${String(i.path[1])}` : String(i.path[0])] ??= i.message;
  let formError: string | null = null;

  const [op, at] = intent.split(":");
  const i = Number(at);
  try {
    if (op === "merge") {
      candidates = mergeCandidates(candidates, i, i + 1);
      // what was typed stays: the first one's title, the tags of both (the 处理方式 is decided again: the merged text may match other paragraphs)
      const tags = [...new Set([...(choices[i]?.tags ?? []), ...(choices[i + 1]?.tags ?? [])].filter(Boolean))];
      choices = [...choices.slice(0, i), { title: choices[i]?.title, tags }, ...choices.slice(i + 2)];
      moveItemErrors(errors, (k) => (k <= i ? k : k === i + 1 ? null : k - 1));
    } else if (op === "split") {
      const offset = Number(str(form, `split-${i}`));
      candidates = splitCandidate(candidates, i, offset);
      // both halves keep the tags typed for the whole; the first keeps its title
      const tags = choices[i]?.tags;
      choices = [...choices.slice(0, i), { title: choices[i]?.title, tags }, { tags }, ...choices.slice(i + 1)];
      moveItemErrors(errors, (k) => (k <= i ? k : k + 1));
    }
  } catch (e) {
    formError = e instanceof Error ? `无法${op === "merge" ? "合并" : "拆分"}：${e.message}` : String(e);
  }
  const items = await planLibraryImport(db, { text: "", kind: document.kind, candidates, choices });
  items.forEach((it, k) => {
    if (it.action !== "skip" && !it.title.trim()) errors[`title-${k}`] = "请填写标题，或选择“不导入”";
  });
  const plan: Plan = { source, document: docFields, items };
  // The file waits on the server: each step of its plan keeps it a day longer. Gone (imported,
  // expired, pushed out by newer reads, or someone else's), the page says so and keeps the plan as edited.
  if (!(await touchImportUpload(db, { id: source.upload, userId: user.id })))
    return data<ActionResult>({ stage: "plan", errors, formError: UPLOAD_GONE, ...plan }, { status: 409 });

  if (op === "import" && !formError) {
    if (Object.keys(errors).length) return data<ActionResult>({ stage: "plan", errors, formError: "请按提示修改标红的内容后再导入。", ...plan }, { status: 400 });
    if (items.every((it) => it.action === "skip")) return data<ActionResult>({ stage: "plan", errors, formError: "所有段落都选择了“不导入”。", ...plan }, { status: 400 });
    const kept = await findImportUpload(db, { id: source.upload, userId: user.id });
    if (!kept) return data<ActionResult>({ stage: "plan", errors, formError: UPLOAD_GONE, ...plan }, { status: 409 });
    try {
      // Type and encoding are read again from the kept bytes, never taken from the page (a type
      // sent back with a line break made the original's download a 500).
      const original = await readLibrarySource(kept);
      const summary = await db.transaction(async (tx) => {
        const done = await importLibraryDocument(tx, {
          source: { fileName: original.fileName, mediaType: original.mediaType, encoding: original.encoding, content: original.content },
          document: docFields,
          items,
          actorId: user.id,
        });
        await dropImportUpload(tx, { id: source.upload });
        return done;
      });
      throw redirect(`/library/documents/${summary.documentId}?imported=1`);
    } catch (e) {
      // The page now shows the paragraph as it is: that is what the user decides against next.
      const shownPlan = e instanceof LibraryVersionChangedError ? { ...plan, items: plan.items.map((it) => ({ ...it, seen: null })) } : plan;
      if (e instanceof LibraryImportError)
        return data<ActionResult>({ stage: "plan", errors, formError: `未导入任何段落：${e.messages.join(" ")}`, ...shownPlan }, { status: 400 });
      // The same file imported at the same moment by someone else (or a double submit): its unique
      // checksum refuses the second; a paragraph revised meanwhile refuses the update.
      if (isUniqueViolation(e))
        return data<ActionResult>({ stage: "upload", errors: {}, formError: "该文件刚刚已被导入（其他人同时导入，或重复提交），无需重复导入。" }, { status: 409 });
      if (e instanceof ParagraphVersionConflictError)
        return data<ActionResult>(
          {
            stage: "plan",
            errors,
            formError: "未导入任何段落：要更新的库中段落刚被其他人修改，请重新检查后再导入。",
            ...plan,
            items: plan.items.map((it) => ({ ...it, seen: null })),
          },
          { status: 409 },
        );
      throw e;
    }
  }
  return data<ActionResult>({ stage: "plan", errors, formError, ...plan }, { status: Object.keys(errors).length ? 400 : 200 });
}
