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
  // A body filing with members ("民建市委会、张三、李四委员"): the list reads as bodies, each member
  // marked 委员, so that saving the form gives back the same proposers (the body stayed a body).
  const mixed = p.proposers.some((x) => x.kind === "body") && p.proposers.some((x) => x.kind === "member");
  const kind = mixed || p.proposers.every((x) => x.kind === "body") ? "body" : "member";
  return {
    meeting: p.meeting,
    number: p.number,
    title: p.title,
    proposerKind: kind,
    proposers:
      p.proposers.map((x) => (mixed && x.kind === "member" ? `${x.name}委员` : x.name)).join("\n") +
      (p.proposerTotal && p.proposerTotal > p.proposers.filter((x) => x.kind === "member").length ? `等${p.proposerTotal}位委员` : ""),
    bureauRole: p.bureauRole,
    assignedOn: p.assignedOn,
    receivedOn: p.receivedOn ?? "",
    notes: p.notes,
    leadUnit: p.leadUnit ?? "",
  };
}
