/** The registration/edit form's one schema: FormData → ProposalInput, or field errors plus what was typed. */
import { z } from "zod";
import type { ProposalFormValues } from "~/ui/proposal-form";
import { assignedOnProblem, fieldErrors, parseProposers, parseProposerTotal, proposalInputSchema, proposerTotalProblem, type ProposalInput } from "~/domain/proposal";

const str = (form: FormData, key: string) => {
  const v = form.get(key);
  return typeof v === "string" ? v : "";
};

export function readProposalForm(
  form: FormData,
  today: string,
): { values: ProposalFormValues } & ({ ok: true; input: ProposalInput } | { ok: false; errors: Record<string, string> }) {
  const values: ProposalFormValues = {
    meeting: str(form, "meeting"),
    number: str(form, "number"),
    title: str(form, "title"),
    proposerKind: str(form, "proposerKind") || "member",
    proposers: str(form, "proposers"),
    bureauRole: str(form, "bureauRole"),
    assignedOn: str(form, "assignedOn"),
    receivedOn: str(form, "receivedOn"),
    notes: str(form, "notes"),
    leadUnit: str(form, "leadUnit"),
  };
  const kind = z.enum(["body", "member"]).catch("member").parse(values.proposerKind);
  const parsed = proposalInputSchema.safeParse({
    ...values,
    title: values.title.trim().replace(/^《(.*)》$/, "$1"),
    proposers: parseProposers(values.proposers, kind),
    proposerTotal: parseProposerTotal(values.proposers),
    receivedOn: values.receivedOn || undefined,
    leadUnit: values.leadUnit || undefined,
  });
  const totalProblem = parsed.success ? proposerTotalProblem(parsed.data) : null;
  const future = parsed.success ? assignedOnProblem(parsed.data.assignedOn, today) : null;
  if (future && "refuse" in future) return { values, ok: false, errors: { assignedOn: future.refuse } };
  if (parsed.success && !totalProblem) return { values, ok: true, input: parsed.data };
  if (totalProblem) return { values, ok: false, errors: { proposers: totalProblem } };
  return { values, ok: false, errors: fieldErrors(parsed.error!) };
}

export function formValuesOf(p: {
  meeting: string;
  number: string;
  title: string;
  proposers: { kind: "body" | "member"; name: string }[];
  proposerTotal?: number | null;
  bureauRole: string;
  assignedOn: string;
  receivedOn: string | null;
  notes: string;
  leadUnit?: string | null;
}): ProposalFormValues {
  const kind = p.proposers.every((x) => x.kind === "body") ? "body" : "member";
  return {
    meeting: p.meeting,
    number: p.number,
    title: p.title,
    proposerKind: kind,
    proposers:
      p.proposers.map((x) => x.name).join("\n") + (p.proposerTotal && p.proposerTotal > p.proposers.filter((x) => x.kind === "member").length ? `等${p.proposerTotal}位委员` : ""),
    bureauRole: p.bureauRole,
    assignedOn: p.assignedOn,
    receivedOn: p.receivedOn ?? "",
    notes: p.notes,
    leadUnit: p.leadUnit ?? "",
  };
}
