import { describe, expect, it } from "vitest";
import { typedTexts } from "./unsaved-typing";

describe("typedTexts", () => {
  it("gives back the free text of a refused step, labelled, without its hidden fields, choices or blanks", () => {
    const values = {
      intent: "workflow",
      action: "send",
      version: "3",
      seenEvent: "17",
      repliedOn: "2026-12-02",
      channel: " 邮寄 ",
      comment: "已电话告知委员\n次日寄出",
      disclosureReason: "  ",
    };
    expect(typedTexts(values)).toEqual([
      { label: "发送方式", text: "邮寄" },
      { label: "说明", text: "已电话告知委员\n次日寄出" },
    ]);
  });

  it("calls the comment what its form called it", () => {
    expect(typedTexts({ action: "return", comment: "请补充数据" }, "修改意见")).toEqual([{ label: "修改意见", text: "请补充数据" }]);
  });

  it("labels a proposer's feedback with the proposer's name", () => {
    const values = {
      intent: "feedback",
      "answers.0.proposer": "张三",
      "answers.0.result": "satisfied",
      "answers.0.comment": "满意",
      "answers.1.proposer": "",
      "answers.1.channel": "电话",
    };
    expect(typedTexts(values)).toEqual([
      { label: "张三的意见说明", text: "满意" },
      { label: "第2位提案者的反馈方式", text: "电话" },
    ]);
  });

  it("has nothing to show for a form without text", () => {
    expect(typedTexts(undefined)).toEqual([]);
    expect(typedTexts({ intent: "republish_reply", publicationId: "4" })).toEqual([]);
  });
});
