/**
 * The registration and edit forms of a proposal: one schema for the browser and the server
 * (conform). The form's fields are text; they become a ProposalInput through the same
 * proposalInputSchema the import and the CLI use, and every problem is named at the field the
 * user typed it in. conform hands an emptied field over as missing, hence the defaults.
 */
import { z } from "zod";
import { mergeFields } from "./field-merge";
import {
  assignedOnProblem,
  type BureauRole,
  cleanText,
  leadUnitProblem,
  normalizeDateInput,
  parseProposers,
  parseProposerTotal,
  proposalInputSchema,
  type ProposalInput,
  proposerTotalProblem,
  receivedOnProblem,
} from "./proposal";

const text = z.string().default("");

const fields = {
  meeting: text,
  number: text,
  title: text,
  proposerKind: z.enum(["body", "member"]).catch("member"),
  proposers: text,
  bureauRole: text,
  assignedOn: text,
  receivedOn: text,
  notes: text,
  leadUnit: text,
};

export type ProposalFormValues = { [K in keyof typeof fields]: string };

/** Where the input's problems are shown: the proposers' list and their "等N位委员" come from one text area. */
function fieldOf(path: PropertyKey[]): string {
  const key = String(path[0] ?? "");
  return key === "proposerTotal" ? "proposers" : key;
}

function toInput(v: z.output<z.ZodObject<typeof fields>>, ctx: z.RefinementCtx, today: string): ProposalInput {
  const proposers = parseProposers(v.proposers, v.proposerKind);
  const proposerTotal = parseProposerTotal(v.proposers);
  const parsed = proposalInputSchema.safeParse({
    ...v,
    title: v.title.trim().replace(/^《(.*)》$/, "$1"),
    proposers,
    proposerTotal,
    receivedOn: v.receivedOn || undefined,
    leadUnit: v.leadUnit || undefined,
  });
  const problems = (parsed.error?.issues ?? []).map((issue) => ({ field: fieldOf(issue.path), message: issue.message }));
  // The checks across fields run even when another field is wrong: every problem is named at once.
  const total = proposerTotalProblem({ proposers, proposerTotal });
  if (total && !problems.some((p) => p.field === "proposers")) problems.push({ field: "proposers", message: total });
  // as the import checks it: a 会办意见 goes to the lead unit, so it is asked for at registration, not found missing at drafting
  const lead = leadUnitProblem({ bureauRole: v.bureauRole as BureauRole, leadUnit: v.leadUnit?.trim() || null });
  if (lead && !problems.some((p) => p.field === "leadUnit")) problems.push({ field: "leadUnit", message: lead });
  const future = problems.some((p) => p.field === "assignedOn") ? null : assignedOnProblem(normalizeDateInput(v.assignedOn), today);
  if (future && "refuse" in future) problems.push({ field: "assignedOn", message: future.refuse });
  if (parsed.success && !problems.some((p) => p.field === "receivedOn")) {
    const received = receivedOnProblem(parsed.data, today);
    if (received) problems.push({ field: "receivedOn", message: received });
  }
  for (const p of problems) ctx.addIssue({ code: "custom", message: p.message, path: [p.field] });
  return parsed.success && problems.length === 0 ? parsed.data : z.NEVER;
}

/** 登记提案. `today` is the server's (the loader hands it to the browser). */
export function proposalFormSchema(today: string) {
  return z.object(fields).transform((v, ctx) => toInput(v, ctx, today));
}

/** 修改登记信息: the same fields, the version the user saw, and why it changed. */
export function proposalEditSchema(today: string) {
  return z
    .object({
      ...fields,
      version: z.number({ error: "页面已过期，请刷新后再修改" }).int().positive(),
      comment: text.transform(cleanText),
    })
    .transform((v, ctx) => {
      // Checked here rather than on the field, so that a long comment does not hide the other fields' problems.
      if (v.comment.length > 500) ctx.addIssue({ code: "custom", message: "说明不能超过 500 个字符", path: ["comment"] });
      return { input: toInput(v, ctx, today), version: v.version, comment: v.comment || null };
    });
}

/**
 * 修改登记信息 saved from a page opened before a colleague's save: a three-way merge of the form's
 * values. `base` is what the page was opened with, `theirs` what is stored now, `mine` what was
 * posted. A field only they changed takes their value (it was silently put back before); a field
 * both changed differently is a conflict for the person to decide; the rest is mine.
 */
export function mergeProposalEdits(p: { base: Record<string, string>; mine: Record<string, unknown>; theirs: ProposalFormValues }) {
  const norm = (v: unknown) => (typeof v === "string" ? v.replace(/\r\n?/g, "\n").trim() : "");
  const keys = Object.keys(fields) as (keyof ProposalFormValues)[];
  const of = (r: Record<string, unknown>) => Object.fromEntries(keys.map((k) => [k, r[k]])) as Record<keyof ProposalFormValues, unknown>;
  const { merged, conflicts } = mergeFields(
    keys,
    { base: Object.fromEntries(keys.map((k) => [k, p.base[k] ?? ""])) as Record<keyof ProposalFormValues, unknown>, mine: of(p.mine), theirs: of(p.theirs) },
    (_, a, b) => norm(a) === norm(b),
  );
  // the fields taken from theirs, over what was posted (its other fields as they came)
  return { merged: { ...p.mine, ...Object.fromEntries(keys.filter((k) => merged[k] !== p.mine[k]).map((k) => [k, merged[k]])) }, conflicts };
}
