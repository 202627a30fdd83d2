/** A registered proposal as the edit form shows it (the form itself: app/domain/proposal-form.ts). */
import type { ProposalFormValues } from "~/domain/proposal-form";

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
