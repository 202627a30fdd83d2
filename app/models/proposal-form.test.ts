import { describe, expect, it } from "vitest";
import { parseProposers, parseProposerTotal, type Proposer } from "~/domain/proposal";
import { formValuesOf } from "./proposal-form.server";

const registered = (proposers: Proposer[], proposerTotal: number | null = null) => ({
  meeting: "东莞市政协第十四届五次会议",
  number: "10121",
  title: "关于加快建设智能终端产业集群的建议",
  proposers,
  proposerTotal,
  bureauRole: "lead",
  assignedOn: "2026-03-02",
  receivedOn: null,
  notes: "",
});

describe("修改登记信息 shows the proposers so that saving gives the same ones back", () => {
  const cases: [string, Proposer[], number | null][] = [
    [
      "a body with members",
      [
        { kind: "body", name: "民建市委会" },
        { kind: "member", name: "张三" },
        { kind: "member", name: "李四" },
        { kind: "member", name: "王五" },
      ],
      null,
    ],
    [
      "a body with members, more signed than named",
      [
        { kind: "body", name: "民建市委会" },
        { kind: "member", name: "张三" },
      ],
      5,
    ],
    [
      "members only",
      [
        { kind: "member", name: "张三" },
        { kind: "member", name: "李四" },
      ],
      4,
    ],
    [
      "bodies only",
      [
        { kind: "body", name: "民建市委会" },
        { kind: "body", name: "致公党市委会" },
      ],
      null,
    ],
  ];
  for (const [name, proposers, total] of cases)
    it(name, () => {
      const v = formValuesOf(registered(proposers, total));
      expect(parseProposers(v.proposers, v.proposerKind as "body" | "member")).toEqual(proposers);
      expect(parseProposerTotal(v.proposers)).toBe(total);
    });
});
