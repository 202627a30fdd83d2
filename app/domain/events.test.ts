import { describe, expect, it } from "vitest";
import { meanwhileMessage } from "./events";

describe("meanwhileMessage", () => {
  it("names who did what since the page was shown, in the history's words", () => {
    expect(meanwhileMessage([{ kind: "assign", actorName: "陈敏", self: false, time: "12/02 11:32" }])).toBe(
      "您打开本页后，其他人办理了这件提案（12/02 11:32 陈敏：分派），您的操作未执行。页面已刷新为最新状态，请确认后再操作。",
    );
  });

  it("says it was the user's own other window, and an entry without an actor is the system's", () => {
    expect(meanwhileMessage([{ kind: "assign", actorName: "陈敏", self: true, time: "11:32" }])).toContain("您在另一窗口办理了这件提案（11:32 您本人（在另一窗口）：分派）");
    expect(meanwhileMessage([{ kind: "deadline_recomputed", actorName: null, self: false, time: "11:32" }])).toContain("11:32 系统：期限重新计算");
  });

  it("shows the last three and counts the earlier ones", () => {
    const kinds = ["updated", "assign", "co_unit_added", "co_opinion"];
    const m = meanwhileMessage(kinds.map((kind, i) => ({ kind, actorName: "王芳", self: false, time: `11:3${i}` })));
    expect(m).toContain("另有更早的 1 项，11:31 王芳：分派；11:32 王芳：添加会办单位；11:33 王芳：登记会办意见");
    expect(m).not.toContain("修改登记信息");
  });

  it("without history entries it says so generally", () => {
    expect(meanwhileMessage([])).toBe("其他人刚刚办理了这件提案，页面已刷新为最新状态，请确认后再操作。");
  });
});
