/** 会议 corrected after the fact (管理 → 会议): 改名 and 合并, on both databases. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.server";
import { batches } from "#db/schema";
import { DEFAULT_DEADLINE_RULES } from "~/domain/deadlines";
import { proposalInputSchema, type ProposalInput } from "~/domain/proposal";
import { setBatchRules } from "~/models/deadline.server";
import { listEvents } from "~/models/event.server";
import { listMeetingsForAdmin, MeetingChangeRefused, mergeMeeting, renameMeeting } from "~/models/meeting-admin.server";
import { findProposalByNumber, getProposal, registerProposal } from "~/models/proposal.server";
import { createUser } from "~/models/user.server";
import { availableDatabases } from "../support/databases";

const input = (meeting: string, number: string): ProposalInput =>
  proposalInputSchema.parse({
    meeting,
    number,
    title: `关于第${number}号事项的建议`,
    proposers: [{ kind: "member", name: "张三" }],
    bureauRole: "lead",
    assignedOn: "2026-03-02",
    notes: "",
  });

describe.each(await availableDatabases())("会议 改名 and 合并 on $name", (database) => {
  let h: DbHandle;
  let actor: string;
  const register = (meeting: string, number: string) => h.db.transaction((tx) => registerProposal(tx, { input: input(meeting, number), actorId: actor }));
  const batchOf = async (meeting: string) => (await listMeetingsForAdmin(h.db)).find((m) => m.meeting === meeting);
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => null,
      (e: unknown) => (e instanceof MeetingChangeRefused ? { message: e.message, field: e.field } : Promise.reject(e)),
    );
  beforeAll(async () => {
    h = await database.open();
    actor = await createUser(h.db, { username: "reg", displayName: "登记员甲", role: "registrar", phone: null, password: "correct horse battery" });
  });
  afterAll(() => h?.close());

  it("改名 corrects a misspelt 会议 for every proposal in it: a new version and a history entry each, and the right name then finds them", async () => {
    const a = await register("东莞市政协第十四届五次会义", "501");
    const b = await register("东莞市政协第十四届五次会义", "502");
    const before = (await getProposal(h.db, a))!.version;
    const typo = (await batchOf("东莞市政协第十四届五次会义"))!;
    expect(typo.proposals).toBe(2);
    const r = await h.db.transaction((tx) => renameMeeting(tx, { batchId: typo.id, seen: typo.meeting, name: " 东莞市政协第十四届五次会议 ", actorId: actor }));
    expect(r).toEqual({ moved: 2, from: "东莞市政协第十四届五次会义", to: "东莞市政协第十四届五次会议" });
    expect((await getProposal(h.db, a))!.meeting).toBe("东莞市政协第十四届五次会议");
    expect((await getProposal(h.db, a))!.version).toBe(before + 1);
    expect((await findProposalByNumber(h.db, "十四届五次会议", "502"))?.id).toBe(b);
    const last = (await listEvents(h.db, b)).at(-1)!;
    expect(last).toMatchObject({ kind: "updated", comment: "会议更名", actorName: "登记员甲" });
    expect(last.changes).toEqual([{ field: "meeting", label: "届次/会议", from: "东莞市政协第十四届五次会义", to: "东莞市政协第十四届五次会议" }]);
  });

  it("改名 refuses a name another 会议 has (that is 合并), an unchanged or empty name, and a page from before a colleague's change", async () => {
    await register("东莞市政协第十四届四次会议", "401");
    await register("十四届四次会议（补充）", "402");
    const other = (await batchOf("十四届四次会议（补充）"))!;
    expect(await refusal(h.db.transaction((tx) => renameMeeting(tx, { batchId: other.id, seen: other.meeting, name: "东莞市政协第十四届四次会议", actorId: actor })))).toEqual({
      message: "已有会议“东莞市政协第十四届四次会议”。如两者是同一会议，请用“合并到”把本会议的提案并入该会议。",
      field: "name",
    });
    expect((await refusal(h.db.transaction((tx) => renameMeeting(tx, { batchId: other.id, seen: other.meeting, name: other.meeting, actorId: actor }))))?.field).toBe("name");
    expect((await refusal(h.db.transaction((tx) => renameMeeting(tx, { batchId: other.id, seen: other.meeting, name: "　", actorId: actor }))))?.message).toBe(
      "请填写新的会议名称。",
    );
    // the page showed the old name; a colleague renamed it meanwhile: not renamed back
    await h.db.transaction((tx) => renameMeeting(tx, { batchId: other.id, seen: other.meeting, name: "东莞市政协第十四届四次会议（补充提案）", actorId: actor }));
    expect(await refusal(h.db.transaction((tx) => renameMeeting(tx, { batchId: other.id, seen: other.meeting, name: "别的名称", actorId: actor })))).toEqual({
      message: "会议“十四届四次会议（补充）”刚被其他人改名为“东莞市政协第十四届四次会议（补充提案）”，未作更改。请确认后再操作。",
      field: null,
    });
  });

  it("合并 is refused when a 提案号 is in both 会议 (they would share it); nothing moves", async () => {
    await register("东莞市政协第十四届二次会议", "201");
    // a second name for it (no 第), stored before registration read short names as the registered 会议
    await h.db.insert(batches).values({ meeting: "东莞市政协十四届二次会议" });
    await register("东莞市政协十四届二次会议", "201");
    const main = (await batchOf("东莞市政协第十四届二次会议"))!;
    const dup = (await batchOf("东莞市政协十四届二次会议"))!;
    expect(dup.id).not.toBe(main.id);
    expect(await refusal(h.db.transaction((tx) => mergeMeeting(tx, { fromId: dup.id, seen: dup.meeting, intoId: main.id, actorId: actor })))).toEqual({
      message: "两个会议都有提案号 201，合并后会重号，未作更改。请先核对这些提案（是否重复登记）。",
      field: "into",
    });
    expect((await batchOf(dup.meeting))!.proposals).toBe(1);
    expect((await batchOf(main.meeting))!.proposals).toBe(1);
  });

  it("合并 moves one 会议's proposals into the other and removes it — refused while their 期限规则 differ — and a page from before it is refused", async () => {
    await register("东莞市政协第十四届三次会议", "301");
    await h.db.insert(batches).values({ meeting: "东莞市政协十四届三次会议" });
    await register("东莞市政协十四届三次会议", "302");
    const main = (await batchOf("东莞市政协第十四届三次会议"))!;
    const dup = (await batchOf("东莞市政协十四届三次会议"))!;
    const merge = () => h.db.transaction((tx) => mergeMeeting(tx, { fromId: dup.id, seen: dup.meeting, intoId: main.id, actorId: actor }));
    await h.db.transaction((tx) => setBatchRules(tx, dup.id, { ...DEFAULT_DEADLINE_RULES, reminderDays: [...DEFAULT_DEADLINE_RULES.reminderDays], replyMonths: 2 }));
    expect((await refusal(merge()))?.message).toBe("两个会议的期限规则不同，合并会改变本会议提案的办理期限，未作更改。请先在“期限规则”中把两者设为相同。");
    // the same rules written out (not the default left unset) are the same rules
    await h.db.transaction((tx) => setBatchRules(tx, dup.id, { ...DEFAULT_DEADLINE_RULES, reminderDays: [...DEFAULT_DEADLINE_RULES.reminderDays] }));
    const due = (await findProposalByNumber(h.db, dup.meeting, "302"))!;
    expect(await merge()).toEqual({ moved: 1, from: "东莞市政协十四届三次会议", into: "东莞市政协第十四届三次会议" });
    expect(await batchOf("东莞市政协十四届三次会议")).toBeUndefined();
    expect((await batchOf(main.meeting))!.proposals).toBe(2);
    const moved = (await getProposal(h.db, due.id))!;
    expect(moved.meeting).toBe("东莞市政协第十四届三次会议");
    expect(moved.due).toBe((await getProposal(h.db, (await findProposalByNumber(h.db, main.meeting, "301"))!.id))!.due); // same day, same rules
    expect((await listEvents(h.db, due.id)).at(-1)).toMatchObject({ kind: "updated", comment: "会议合并：并入“东莞市政协第十四届三次会议”" });
    // a page still showing the merged 会议: refused with a reason, not a 500
    expect((await refusal(merge()))?.message).toBe("会议“东莞市政协十四届三次会议”已被其他人合并或删除，未作更改。页面已刷新为最新状态。");
    expect((await refusal(h.db.transaction((tx) => mergeMeeting(tx, { fromId: main.id, seen: main.meeting, intoId: main.id, actorId: actor }))))?.field).toBe("into");
  });
});
