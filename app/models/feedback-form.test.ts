import { describe, expect, it } from "vitest";
import { readFeedbackForm } from "./feedback.server";

const form = (answer: Record<string, string>) => ({
  intent: "feedback",
  version: "6",
  "answers.0.proposer": "张三",
  ...Object.fromEntries(Object.entries(answer).map(([k, v]) => [`answers.0.${k}`, v])),
});

describe("the 登记征询意见 form", () => {
  it("names an impossible or missing answer date at its field (2025-02-30 reached the database: a 500)", () => {
    expect(readFeedbackForm(form({ result: "satisfied", answeredOn: "2025-02-30" }))).toEqual({ ok: false, fieldErrors: { "answers.0.answeredOn": "不是有效的日期" } });
    expect(readFeedbackForm(form({ result: "satisfied", answeredOn: "" }))).toEqual({ ok: false, fieldErrors: { "answers.0.answeredOn": "请填写意见日期" } });
  });

  it("reads a date typed in any usual form", () => {
    const r = readFeedbackForm(form({ result: "basically_satisfied", answeredOn: "2026年11月3日", channel: "电话" }));
    expect(r).toEqual({ ok: true, version: 6, answers: [{ proposer: "张三", result: "basically_satisfied", answeredOn: "2026-11-03", channel: "电话" }] });
  });
});
