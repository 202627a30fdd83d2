import fs from "node:fs";
import path from "node:path";
import { describe, it, expect } from "vitest";
import { splitIntoCandidates } from "~/domain/paragraph-import";
import { extractYears, stalenessOf } from "~/domain/staleness";

const c108 = splitIntoCandidates(fs.readFileSync(path.resolve("seeds/source/letter-108.txt"), "utf8"), { kind: "letter" });
const byTitle = (title: string) => c108.find((c) => c.title === title)!;

describe("extractYears", () => {
  it("finds Arabic and Chinese-numeral years, with or without a space before 年", () => {
    expect(extractYears("2020 年“企莞家”平台，比 2019 年增长").all).toEqual([2019, 2020]);
    expect(extractYears("二〇二一年五月十九日").all).toEqual([2021]);
  });

  it("tells targets from data", () => {
    expect(extractYears("到 2025 年，力争建设 2 个国家级制造业单项冠军")).toMatchObject({ data: [], target: [2025] });
    expect(extractYears("力争到2025年，以智能移动终端为主导")).toMatchObject({ data: [], target: [2025] });
    expect(extractYears("2022年底基础值、2025年目标值")).toMatchObject({ data: [2022], target: [2025] });
    expect(extractYears("行动计划（2021-2025年）")).toMatchObject({ data: [], target: [2021, 2025] });
    expect(extractYears("三年行动计划（2023－2025年）")).toMatchObject({ target: [2023, 2025] });
    expect(extractYears("2019年至今落实“拓空间”年度收储任务以来")).toMatchObject({ data: [2019], target: [] });
    expect(extractYears("截至2021年底，全市")).toMatchObject({ data: [2021], target: [] });
  });

  it("ignores numbers that are not years", () => {
    expect(extractYears("联系电话：28685020，处理企业诉求 2134 条，统筹3000亩、2000-3000亩").all).toEqual([]);
  });
});

describe("stalenessOf", () => {
  it("108 六: data up to 2021 is stale in 2024, current in early 2022", () => {
    const text = byTitle("提供空间保障").text;
    const late = stalenessOf({ text, today: "2024-06-01", maxAgeDays: 365 });
    expect(late).toMatchObject({ stale: true, reasons: ["数据截至2021年，可能已过时"], yearsMentioned: [2019, 2020, 2021] });
    expect(stalenessOf({ text, today: "2022-03-01", maxAgeDays: 365 })).toMatchObject({ stale: false, reasons: [] });
    // The rule is newest < currentYear − 1: still fine during 2022, stale from 2023.
    expect(stalenessOf({ text, today: "2022-12-31" }).stale).toBe(false);
    expect(stalenessOf({ text, today: new Date(Date.UTC(2023, 0, 1)) }).stale).toBe(true);
  });

  it("flags a passed target year", () => {
    const text = "到 2025 年，新一代电子信息产业完成规上总产值 1.2 万亿元";
    expect(stalenessOf({ text, today: "2025-06-01" }).stale).toBe(false);
    expect(stalenessOf({ text, today: "2026-01-05" })).toMatchObject({ stale: true, reasons: ["文中目标年份2025年已过，表述可能需要更新"] });
    expect(stalenessOf({ text: byTitle("完善顶层设计").text, today: "2023-02-01" }).reasons).toEqual(["文中目标年份2022年已过，表述可能需要更新"]);
  });

  it("flags content older than maxAgeDays", () => {
    const text = "全力打造“企莞家”服务品牌。";
    expect(stalenessOf({ text, asOf: "2021-05-19", today: "2022-05-19", maxAgeDays: 365 }).stale).toBe(false);
    const r = stalenessOf({ text, asOf: "2021-05-19", today: "2022-05-21", maxAgeDays: 365 });
    expect(r).toMatchObject({ stale: true, reasons: ["内容截至2021-05-19，已超过365天，请核对是否需要更新"], yearsMentioned: [] });
    expect(stalenessOf({ text, asOf: "2021-05-19", today: "2021-08-01", maxAgeDays: 30 }).stale).toBe(true);
  });

  it("reports every rule that fires, and nothing for timeless text", () => {
    const r = stalenessOf({ text: byTitle("优化对企服务").text, asOf: "2021-05-19", today: "2024-06-01", maxAgeDays: 365 });
    expect(r.reasons).toHaveLength(2);
    expect(r.reasons[1]).toBe("数据截至2020年，可能已过时");
    expect(stalenessOf({ text: "市委市政府高度重视招商工作。", today: "2030-01-01" })).toEqual({
      stale: false,
      reasons: [],
      yearsMentioned: [],
      dataYears: [],
      targetYears: [],
      phrases: [],
    });
  });

  it("drafting (no maxAgeDays): age alone flags nothing; what the text says does, with the phrase to mark", () => {
    // 108's opening, written in May 2021, says "今年3月": in a 2022 letter that is the wrong year.
    const opening = "经过历时两年的组织推动，今年3月，工信部官网公示，东莞市智能移动终端集群成功入选第一批国家先进产业集群。";
    expect(stalenessOf({ text: opening, asOf: "2021-05-19", today: "2021-11-30" })).toMatchObject({ stale: false, phrases: [] });
    const later = stalenessOf({ text: opening, asOf: "2021-05-19", today: "2022-03-01" });
    expect(later.reasons).toEqual(["“今年3月”写于2021年，请改为具体年份"]);
    expect(later.phrases).toEqual(["今年3月"]);
    // Timeless text from an old document is not flagged at all.
    expect(stalenessOf({ text: "市委市政府高度重视招商工作。", asOf: "2019-01-01", today: "2026-11-30" }).stale).toBe(false);
    // A data year and an ended plan period, each marked where it stands.
    const d = stalenessOf({ text: "截止年底有22个项目动工。截至2020年底，全市收储土地13239亩。", today: "2026-11-30" });
    expect(d).toMatchObject({ reasons: ["数据截至2020年，可能已过时"], phrases: ["截至2020年底"] });
    const t = stalenessOf({ text: "实施《三年行动计划（2021—2023年）》，培育一批专精特新企业。", today: "2026-11-30" });
    expect(t).toMatchObject({ reasons: ["文中目标年份2023年已过，表述可能需要更新"], phrases: ["2021—2023年"] });
  });

  it("refuses an invalid today", () => {
    expect(() => stalenessOf({ text: "", today: "not a date" })).toThrow(RangeError);
  });
});
