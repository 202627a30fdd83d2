/** The paragraph library on both databases: importing the real seeds, search, versions, uses, bad input. */
import fs from "node:fs";
import path from "node:path";
import { Document, Packer, Paragraph, TextRun } from "docx";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.server";
import { libraryDocuments, paragraphs, paragraphSearchGrams, paragraphUses, paragraphVersions } from "#db/schema";
import { normalizeForSearch } from "~/domain/library";
import { proposalInputSchema } from "~/domain/proposal";
import { loadDemoLibrary } from "~/models/library-demo.server";
import { documentDefaults } from "~/domain/import-analysis";
import { importLibraryDocument, importWithDefaults, LibraryImportError, planLibraryImport, readLibrarySource, readPastedText } from "~/models/library-import.server";
import { rankParagraphs, rankParagraphsByScan, SEARCH_LIST_SIZE, searchParagraphs, suggestParagraphs } from "~/models/library-search.server";
import {
  compareVersions,
  createParagraph,
  getParagraph,
  listOutdatedDraftUses,
  listDocumentParagraphs,
  listParagraphsUsedBy,
  listParagraphUses,
  listVersions,
  ParagraphVersionConflictError,
  recordParagraphUse,
  reviseParagraph,
  setParagraphStatus,
} from "~/models/paragraph.server";
import { registerProposal } from "~/models/proposal.server";
import { createUser } from "~/models/user.server";
import { availableDatabases } from "../support/databases";

const SEEDS = ["policy-dongfu-2021-10.txt", "letter-108.txt", "letter-109.txt", "policy-electronic-info-action-plan.txt", "policy-smart-terminal-cluster-2023-2025.txt"];
const seedBytes = (f: string) => fs.readFileSync(path.resolve("seeds/source", f));
const today = new Date("2026-11-25T00:00:00Z");

/** GBK bytes for a text (Node can decode GBK but not encode it): a reverse table of all double-byte codes. */
function encodeGbk(text: string): Buffer {
  const decoder = new TextDecoder("gbk");
  const table = new Map<string, number[]>();
  for (let lead = 0x81; lead <= 0xfe; lead++)
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([lead, trail]));
      if (ch.length === 1 && ch !== "\uFFFD" && !table.has(ch)) table.set(ch, [lead, trail]);
    }
  const out: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else {
      const b = table.get(ch);
      if (!b) throw new Error(`not in GBK: ${ch}`);
      out.push(...b);
    }
  }
  return Buffer.from(out);
}

describe.each(await availableDatabases())("paragraph library on $name", (database) => {
  let h: DbHandle;
  let actor: string;
  let proposal10121: number;
  const imported: Record<string, Awaited<ReturnType<typeof importWithDefaults>>> = {};
  const counts = async () => ({
    documents: (await h.db.select({ n: count() }).from(libraryDocuments))[0]!.n,
    paragraphs: (await h.db.select({ n: count() }).from(paragraphs))[0]!.n,
    versions: (await h.db.select({ n: count() }).from(paragraphVersions))[0]!.n,
    uses: (await h.db.select({ n: count() }).from(paragraphUses))[0]!.n,
  });
  const paragraphTitled = async (title: string, documentId?: number) => {
    const rows = await h.db.select({ id: paragraphs.id, sourceDocumentId: paragraphs.sourceDocumentId }).from(paragraphs).where(eq(paragraphs.title, title));
    const row = documentId ? rows.find((r) => r.sourceDocumentId === documentId) : rows[0];
    if (!row) throw new Error(`no paragraph titled ${title}`);
    return (await getParagraph(h.db, row.id))!;
  };

  beforeAll(async () => {
    h = await database.open();
    actor = await createUser(h.db, { username: "liyong", displayName: "李泳", role: "handler", phone: "28685020", password: "correct horse battery" });
    proposal10121 = await h.db.transaction((tx) =>
      registerProposal(tx, {
        input: proposalInputSchema.parse({
          meeting: "东莞市政协第十三届六次会议",
          number: "10121",
          title: "关于打造具有区域辐射力和国际竞争力的世界级智能终端产业基地的建议",
          proposers: [{ kind: "body", name: "民建市委会" }],
          bureauRole: "lead",
          assignedOn: "2021-03-22",
          notes: "",
        }),
        actorId: actor,
      }),
    );
    for (const f of SEEDS) {
      const source = await readLibrarySource({ fileName: f, content: seedBytes(f) });
      imported[f] = await h.db.transaction((tx) => importWithDefaults(tx, { source, actorId: actor }));
    }
  });
  afterAll(() => h?.close());

  describe("importing the seed documents", () => {
    it("reads each document's kind, title, date and letter frame", () => {
      const l108 = imported["letter-108.txt"]!.document;
      expect(l108).toMatchObject({ kind: "letter", letterNumber: "东工信函〔2021〕108号", asOf: "2021-05-19" });
      expect(l108.title).toBe("东工信函〔2021〕108号 关于对东莞市政协第十三届六次会议第10121号提案的答复");
      expect(imported["policy-dongfu-2021-10.txt"]!.document).toMatchObject({
        kind: "policy",
        asOf: "2021-01-18",
        title: "东莞市人民政府关于印发《关于培育发展战略性新兴产业集群的实施意见》的通知",
      });
      expect(imported["policy-electronic-info-action-plan.txt"]!.document.kind).toBe("policy");
    });

    it("creates one paragraph per body candidate; headings become titles and sections, not paragraphs", async () => {
      expect(imported["letter-108.txt"]).toMatchObject({ created: 10, linked: 0, skipped: 0 });
      expect(imported["policy-dongfu-2021-10.txt"]).toMatchObject({ created: 24, skipped: 8 });
      expect(imported["policy-electronic-info-action-plan.txt"]).toMatchObject({ created: 36, skipped: 6 });
      const c = await counts();
      const created = Object.values(imported).reduce((n, r) => n + r.created, 0);
      expect(c.paragraphs).toBe(created);
      expect(c.documents).toBe(5);
      expect(c.versions).toBe(created);

      const s4 = await paragraphTitled("创新成果转化");
      expect(s4.sourceSection).toBe("四、创新成果转化");
      expect(s4.sourceLetterNumber).toBe("东工信函〔2021〕108号");
      expect(s4.asOf).toBe("2021-05-19");
      expect(s4.body.startsWith("以打造国家创新型城市为总抓手")).toBe(true);
      const p002 = await paragraphTitled("构建产业发展新格局");
      expect(p002.sourceSection).toBe("三、重点任务 / （一）构建产业发展新格局");
      expect(p002.tags.length).toBeGreaterThan(0);
      const box = await paragraphTitled("专栏1：重点项目", imported["policy-electronic-info-action-plan.txt"]!.documentId);
      expect(box.kind).toBe("box");
      const table = await paragraphTitled("国家先进制造业集群综合竞争力指标体系");
      expect(table.kind).toBe("table");
      expect(table.body.split("\n")).toHaveLength(29);
    });

    it("rejoins sentences split by page breaks and drops the doubled 专", async () => {
      const l108 = imported["letter-108.txt"]!.documentId;
      expect((await paragraphTitled("加强组织领导", l108)).body).toContain("我市培育国家先进制造业集群工作协调机制");
      expect((await paragraphTitled("提供空间保障", l108)).body).toContain("我市土地收储整备机制");
      const s7 = await paragraphTitled("做好强链补链", l108);
      expect(s7.body).toContain("四是推动专精特新企业发展。");
      expect(s7.body).not.toContain("专专");
    });

    it("letter 109 reuses 108: its paragraphs are linked, not duplicated, and 108's shared paragraph shows both letters", async () => {
      const r109 = imported["letter-109.txt"]!;
      expect(r109).toMatchObject({ created: 1, linked: 2, skipped: 3 });
      const first = r109.items[1]!;
      expect(first.action).toBe("link");
      expect(first.matches[0]).toMatchObject({ kind: "near", title: "创新成果转化" });
      expect(r109.items[5]!.matches.map((m) => [m.title, m.kind])).toEqual([
        ["完善顶层设计", "contains"],
        ["加强组织领导", "contains"],
        ["系统规划引领", "contains"],
      ]);
      expect(await h.db.select({ id: paragraphs.id }).from(paragraphs).where(eq(paragraphs.title, "创新成果转化"))).toHaveLength(1);

      const shared = await paragraphTitled("创新成果转化");
      const uses = await listParagraphUses(h.db, shared.id);
      expect(uses.map((u) => [u.letterNumber, u.versionNumber, u.mode, u.frozen])).toEqual([
        ["东工信函〔2021〕109号", 1, "edited", true],
        ["东工信函〔2021〕108号", 1, "verbatim", true],
      ]);
      expect(uses[0]!.text).toContain("推动莞深产业功能互补和产业链衔接");
      expect(uses.every((u) => u.inLetter)).toBe(true);
      // 108 answered proposal 10121, registered here: the letter and its uses point at it.
      expect(uses[1]!.proposalId).toBe(proposal10121);

      const drawnOn = await listParagraphsUsedBy(h.db, { documentId: r109.documentId });
      expect(drawnOn.map((u) => u.title)).toEqual(
        expect.arrayContaining(["创新成果转化", "完善顶层设计", "加强组织领导", "系统规划引领", "加强产业链招商和供应链招商，引导高新技术产业链集聚"]),
      );
      expect(drawnOn.find((u) => u.title === "创新成果转化")!.createdHere).toBe(false);
      const page = await listDocumentParagraphs(h.db, r109.documentId);
      expect(page.find((u) => u.title === "创新成果转化")!.origin).toBe("reused");
      expect(page.filter((u) => u.origin === "created").length).toBeGreaterThan(0);
    });

    it("a letter imported before its proposal was registered points at it once it is", async () => {
      const shared = await paragraphTitled("创新成果转化");
      const use109 = () => listParagraphUses(h.db, shared.id).then((u) => u.find((x) => x.letterNumber === "东工信函〔2021〕109号")!);
      expect((await use109()).proposalId).toBeNull();
      const id = await h.db.transaction((tx) =>
        registerProposal(tx, {
          input: proposalInputSchema.parse({
            meeting: "东莞市政协第十三届六次会议",
            number: "20210100",
            title: "关于加快构建莞深高新技术产业协同发展共同体的建议",
            proposers: [{ kind: "member", name: "殷毓德" }],
            bureauRole: "lead",
            assignedOn: "2021-03-22",
            notes: "",
          }),
          actorId: actor,
        }),
      );
      expect(await use109()).toMatchObject({ proposalId: id, proposalNumber: "20210100" });
    });

    it("003 links its near copy of 002's 行业协会 paragraph as an appearance, not a letter use", async () => {
      const r003 = imported["policy-smart-terminal-cluster-2023-2025.txt"]!;
      const item = r003.items.find((it) => it.candidate.text.startsWith("大力推动行业协会提升自身建设水平"))!;
      expect(item).toMatchObject({ action: "link" });
      expect(item.matches[0]).toMatchObject({ title: "提升产业促进机构水平", kind: "near" });
      const uses = await listParagraphUses(h.db, item.matches[0]!.paragraphId);
      expect(uses).toHaveLength(1);
      expect(uses[0]).toMatchObject({ inLetter: false, mode: "edited", letterNumber: null });
    });

    it("refuses the same file twice, or the same past letter (by its 文号), and writes nothing", async () => {
      const before = await counts();
      const source = await readLibrarySource({ fileName: "again.txt", content: seedBytes("letter-108.txt") });
      await expect(h.db.transaction((tx) => importWithDefaults(tx, { source, actorId: actor }))).rejects.toThrow(/该文件已于 .* 导入/);
      expect(await counts()).toEqual(before);
      // the same letter with one byte more (a trailing newline): known by its 文号 (it went in twice)
      const touched = await readLibrarySource({ fileName: "again-2.txt", content: Buffer.concat([seedBytes("letter-108.txt"), Buffer.from("\n")]) });
      await expect(h.db.transaction((tx) => importWithDefaults(tx, { source: touched, actorId: actor }))).rejects.toThrow("东工信函〔2021〕108号 已经导入过段落库，无需重复导入。");
      expect(await counts()).toEqual(before);
    });
  });

  describe("search", () => {
    const search = (q: string, extra: Partial<Parameters<typeof searchParagraphs>[1]> = {}) => searchParagraphs(h.db, { q, limit: 20, today, staleAfterDays: 365, ...extra });

    it("专精特新 finds the 专精特新 paragraphs of 002 and of letter 108, highlighted", async () => {
      const r = await search("专精特新");
      expect(r.strategy).toBe("index");
      expect(r.rows.length).toBeGreaterThanOrEqual(5);
      for (const row of r.rows) {
        expect(normalizeForSearch(row.title + row.tags.join("") + row.snippet.segments.map((s) => s.text).join(""))).toContain("专精特新");
      }
      const l108 = r.rows.find((x) => x.title === "做好强链补链")!;
      expect(l108.source).toBe("东工信函〔2021〕108号 · 七、做好强链补链");
      expect(l108.snippet.segments.filter((s) => s.hit).map((s) => s.text)).toContain("专精特新");
      const from002 = r.rows.filter((x) => x.source.startsWith("东莞市发展新一代电子信息"));
      expect(from002.map((x) => x.title)).toEqual(expect.arrayContaining(["优质企业梯队培育工程"]));
      // Sorted by score.
      const scores = r.rows.map((x) => x.score!);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    });

    it("科技成果转化 finds the paragraph 108 and 109 share at the top, with its two uses", async () => {
      const r = await search("科技成果转化");
      // Tied to the third decimal with 002's shorter 发展核心技术和重点产品 (its responsibility tags are not body text).
      const shared = r.rows.slice(0, 2).find((x) => x.title === "创新成果转化");
      expect(shared).toMatchObject({ title: "创新成果转化", uses: 2 });
      expect(shared!.snippet.hits).toBeGreaterThan(0);
    });

    it("ranks exactly like a full sequential scan", async () => {
      for (const q of ["专精特新", "科技成果转化", "智能终端", "土地", "产业链 供应链", "5G", "先进制造业集群", "人才 引进"]) {
        const fast = await rankParagraphs(h.db, { q, limit: 10 });
        const slow = await rankParagraphsByScan(h.db, { q, limit: 10 });
        expect(
          fast.hits.map((x) => x.score.toFixed(9)),
          q,
        ).toEqual(slow.map((x) => x.score.toFixed(9)));
      }
    });

    it("needs every term, ignores spaces and punctuation, and handles nothing to search", async () => {
      const both = await search("专精特新，小巨人");
      expect(both.rows.length).toBeGreaterThan(0);
      for (const row of both.rows) {
        const p = (await getParagraph(h.db, row.id))!;
        const text = normalizeForSearch(p.title + p.tags.join("") + p.body);
        expect(text).toContain("专精特新");
        expect(text).toContain("小巨人");
      }
      expect((await search("专精 特新 量子引力")).rows).toEqual([]);
      expect((await search("。，！")).strategy).toBe("none");
      expect((await search("镇")).strategy).toBe("scan");
    });

    it("filters by tag, source document and status", async () => {
      const tagged = await search("", { tag: "专精特新", limit: 200 });
      expect(tagged.total).toBeGreaterThan(0);
      expect(tagged.rows.every((r) => r.tags.includes("专精特新"))).toBe(true);
      const of109 = await search("", { documentId: imported["letter-109.txt"]!.documentId, limit: 50 });
      expect(of109.rows.map((r) => r.title)).toEqual(expect.arrayContaining(["创新成果转化", "完善顶层设计"]));
      const s4 = await paragraphTitled("系统规划引领");
      await h.db.transaction((tx) => setParagraphStatus(tx, { id: s4.id, status: "retired", actorId: actor }));
      expect((await search("系统规划引领")).rows.map((r) => r.id)).not.toContain(s4.id);
      expect((await search("系统规划引领", { status: "retired" })).rows.map((r) => r.id)).toEqual([s4.id]);
      expect((await search("系统规划引领", { status: "all" })).rows.map((r) => r.id)).toContain(s4.id);
      await h.db.transaction((tx) => setParagraphStatus(tx, { id: s4.id, status: "active", actorId: actor }));
    });

    it("flags stale paragraphs: 2021 figures are old in 2026", async () => {
      const r = await search("提供空间保障");
      expect(r.rows[0]!.stale.join()).toMatch(/内容截至2021-05-19|数据截至2020年/);
    });

    it("suggests paragraphs for a proposal from its 案由, marking those its reply used", async () => {
      const s = await suggestParagraphs(h.db, { text: "关于加快构建莞深高新技术产业协同发展共同体的建议", limit: 5, today, staleAfterDays: 365 });
      expect(s[0]!.title).toBe("加强产业链招商和供应链招商，引导高新技术产业链集聚");
      const s2 = await suggestParagraphs(h.db, {
        text: "关于打造具有区域辐射力和国际竞争力的世界级智能终端产业基地的建议",
        limit: 8,
        today,
        staleAfterDays: 365,
        proposalId: proposal10121,
      });
      expect(s2.length).toBeGreaterThan(0);
      expect(s2.some((x) => x.usedForProposal && x.source.startsWith("东工信函〔2021〕108号"))).toBe(true);
      expect(s2[0]!.matched.length).toBeGreaterThan(0);
    });

    it("keeps the index exact while paragraphs are added and edited past the list size", async () => {
      // 130 paragraphs with 专精特新 at different densities push its lists over the limit.
      for (let i = 0; i < 130; i++) {
        await h.db.transaction((tx) =>
          createParagraph(tx, {
            title: `测试段落${i}`,
            body: `${"推动专精特新企业发展。".repeat(1 + (i % 4))}${"其他内容".repeat(i % 7)}`,
            tags: i % 5 === 0 ? ["专精特新"] : [],
            asOf: "2026-01-01",
            ownerId: actor,
            actorId: actor,
          }),
        );
      }
      const target = await paragraphTitled("测试段落7");
      await h.db.transaction((tx) =>
        reviseParagraph(tx, { id: target.id, expectedVersion: 1, title: "专精特新专题", body: "专精特新".repeat(12), tags: ["专精特新"], asOf: null, actorId: actor }),
      );
      for (const q of ["专精特新", "专精特新企业", "推动专精", "其他内容"]) {
        const fast = await rankParagraphs(h.db, { q, limit: 10 });
        const slow = await rankParagraphsByScan(h.db, { q, limit: 10 });
        expect(
          fast.hits.map((x) => x.score.toFixed(9)),
          q,
        ).toEqual(slow.map((x) => x.score.toFixed(9)));
      }
      // The lists were cut (a floor above zero), and the certificate still held.
      const [gram] = await h.db.select().from(paragraphSearchGrams).where(eq(paragraphSearchGrams.gram, "专精"));
      expect(gram!.df).toBeGreaterThan(SEARCH_LIST_SIZE);
      expect(gram!.floor).toBeGreaterThan(0);
      expect((await rankParagraphs(h.db, { q: "专精特新", limit: 10 })).strategy).toBe("index");
      const top = await rankParagraphs(h.db, { q: "专精特新", limit: 1 });
      expect(top.hits[0]!.id).toBe(target.id);
    });
  });

  it("an imported paragraph with figures the library lacks is not linked by default (its new data would be lost); one without is, a reworded one said to be reworded", async () => {
    const tail =
      "坚持强链补链延链，围绕智能移动终端、新一代信息技术等重点产业链，梳理产业链关键环节和薄弱环节，精准开展招商引资，推动龙头企业与配套企业协同发展，产业链韧性和竞争力持续增强。";
    await h.db.transaction((tx) =>
      createParagraph(tx, {
        title: "做好强链补链（测试）",
        body: `近两年培育省级专精特新企业103家，推动34家企业认定为国家专精特新小巨人企业。${tail}`,
        tags: [],
        asOf: null,
        ownerId: actor,
        actorId: actor,
      }),
    );
    const plan = async (text: string, kind: "letter" | "policy" = "letter") => (await planLibraryImport(h.db, { text, kind })).find((it) => it.candidate.kind !== "heading")!;
    const fresh = await plan(`近三年培育省级专精特新企业250家，推动60家企业认定为国家专精特新小巨人企业。${tail}`);
    expect(fresh.matches[0]).toMatchObject({ kind: "near", newFigures: ["250", "60"] });
    expect(fresh.action).toBe("create");
    // worded differently (国家级 for 国家): linked as an edited appearance, and said to be reworded
    // (the plan showed nothing of it: a revision went in as a link, its wording unnoticed)
    const reworded = await plan(`近两年培育省级专精特新企业103家，推动34家企业认定为国家级专精特新小巨人企业。${tail}`, "policy");
    expect(reworded.matches[0]).toMatchObject({ kind: "near", newFigures: [], reworded: true });
    expect(reworded.action).toBe("link");
    // the same wording with a PDF's spaces and full-width digits: the same paragraph, linked
    const same = await plan(`近两年培育省级专精特新企业 １０３ 家，推动 34 家企业认定为国家专精特新小巨人企业。${tail}`);
    expect(same.matches[0]).toMatchObject({ newFigures: [], reworded: false });
    expect(same.action).toBe("link");
  });

  describe("versions and uses", () => {
    it("an edit is a new version; a letter keeps the version it used; drafts on older versions are listed", async () => {
      const { id, versionId: v1 } = await h.db.transaction((tx) =>
        createParagraph(tx, { title: "土地收储", body: "2020年全市共收储土地13239亩。", tags: ["土地保障"], asOf: "2021-01-01", ownerId: actor, actorId: actor }),
      );
      const draftUse = await h.db.transaction((tx) =>
        recordParagraphUse(tx, { paragraphId: id, letterRevisionId: 9001, letterNumber: null, proposalId: proposal10121, mode: "verbatim", usedBy: actor }),
      );
      await h.db.transaction((tx) =>
        recordParagraphUse(tx, { paragraphId: id, letterRevisionId: 9002, letterNumber: "东工信函〔2021〕120号", mode: "edited", text: "全市共收储土地13239亩。", frozen: true }),
      );
      expect(await listOutdatedDraftUses(h.db, id)).toEqual([]);

      const r = await h.db.transaction((tx) =>
        reviseParagraph(tx, {
          id,
          expectedVersion: 1,
          title: "土地收储",
          body: "2022年全市共收储土地15872亩。",
          tags: ["土地保障"],
          asOf: "2023-01-01",
          note: "更新为 2022 年数据",
          actorId: actor,
        }),
      );
      expect(r).toMatchObject({ changed: true, number: 2 });
      const p = (await getParagraph(h.db, id))!;
      expect(p).toMatchObject({ version: 2, body: "2022年全市共收储土地15872亩。", asOf: "2023-01-01" });
      const versions = await listVersions(h.db, id);
      expect(versions.map((v) => [v.number, v.body, v.note])).toEqual([
        [2, "2022年全市共收储土地15872亩。", "更新为 2022 年数据"],
        [1, "2020年全市共收储土地13239亩。", null],
      ]);
      const diff = await compareVersions(h.db, { paragraphId: id, from: 1, to: 2 });
      expect(diff!.body.filter((d) => d.op !== "same").map((d) => `${d.op}:${d.text}`)).toEqual(["del:2020", "add:2022", "del:13239", "add:15872"]);
      expect(diff!.asOf).toEqual({ from: "2021-01-01", to: "2023-01-01" });

      // The snapshot: both letters still point at version 1's text.
      const uses = await listParagraphUses(h.db, id);
      expect(uses.map((u) => [u.versionNumber, u.versionBody, u.outdated])).toEqual([
        [1, "2020年全市共收储土地13239亩。", false],
        [1, "2020年全市共收储土地13239亩。", true],
      ]);
      const [v1Row] = await h.db.select().from(paragraphVersions).where(eq(paragraphVersions.id, v1));
      expect(v1Row!.body).toBe("2020年全市共收储土地13239亩。");
      // Only the draft (never the signed letter) is offered the new version.
      expect((await listOutdatedDraftUses(h.db, id)).map((u) => [u.id, u.versionNumber, u.currentVersion])).toEqual([[draftUse, 1, 2]]);
      // Search sees the new text only.
      expect((await rankParagraphs(h.db, { q: "15872", limit: 5 })).hits.map((x) => x.id)).toEqual([id]);
      expect((await rankParagraphs(h.db, { q: "13239亩", limit: 5 })).hits.map((x) => x.id)).not.toContain(id);
    });

    it("refuses a stale edit, lets exactly one of two simultaneous edits win, and ignores an edit that changes nothing", async () => {
      const { id } = await h.db.transaction((tx) => createParagraph(tx, { title: "并发测试", body: "原文。", tags: [], asOf: null, ownerId: null, actorId: actor }));
      const unchanged = await h.db.transaction((tx) => reviseParagraph(tx, { id, expectedVersion: 1, title: "并发测试", body: "原文。", tags: [], asOf: null, actorId: actor }));
      expect(unchanged.changed).toBe(false);
      const results = await Promise.allSettled(
        ["甲的修改。", "乙的修改。"].map((body) =>
          h.db.transaction((tx) => reviseParagraph(tx, { id, expectedVersion: 1, title: "并发测试", body, tags: [], asOf: null, actorId: actor })),
        ),
      );
      expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(1);
      expect((results.find((x) => x.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(ParagraphVersionConflictError);
      await expect(
        h.db.transaction((tx) => reviseParagraph(tx, { id, expectedVersion: 1, title: "并发测试", body: "过时的修改。", tags: [], asOf: null, actorId: actor })),
      ).rejects.toBeInstanceOf(ParagraphVersionConflictError);
      expect(await listVersions(h.db, id)).toHaveLength(2);
    });
  });

  describe("updating from a newer document", () => {
    it("更新 refuses a paragraph edited after the plan was shown, and goes through once the user has seen the new version", async () => {
      const body =
        "推动新型储能产业链上下游协同，支持龙头企业牵头组建创新联合体，开展关键材料和电芯技术攻关。完善储能电站安全标准体系，建立覆盖设计、施工、验收和运行维护的全过程监管机制。鼓励工业园区和大型用户侧建设储能设施，探索峰谷电价、容量补偿等市场化收益模式，引导社会资本有序参与。加强储能领域高层次人才引进和培养，依托高校和科研院所建设公共技术服务平台，推动科技成果就地转化。";
      const { id } = await h.db.transaction((tx) => createParagraph(tx, { title: "新型储能协同", body, tags: [], asOf: null, ownerId: null, actorId: actor }));
      const text = `${body.replace("开展", "重点开展")}`;
      const source = await readPastedText(text, "储能更新.txt");
      const shown = await planLibraryImport(h.db, { text, kind: "policy" });
      const target = shown[0]!.matches.find((m) => m.paragraphId === id)!;
      expect(target).toMatchObject({ kind: "near", version: 1 });
      // A colleague edits the paragraph while the plan is on screen.
      await h.db.transaction((tx) =>
        reviseParagraph(tx, { id, expectedVersion: 1, title: "新型储能协同", body: body.replace("龙头企业", "链主企业"), tags: [], asOf: null, actorId: actor }),
      );
      const choose = (version: number) => planLibraryImport(h.db, { text, kind: "policy", choices: [{ action: "update", seen: { paragraphId: id, version } }] });
      const document = documentDefaults(text, "policy", source.fileName);
      const stale = await choose(1); // planned outside the transaction: PGlite runs one at a time
      expect(stale[0]!.action).toBe("update");
      await expect(h.db.transaction((tx) => importLibraryDocument(tx, { source, document, items: stale, actorId: actor }))).rejects.toThrow(/在您检查之后已被修改（现为第 2 版）/);
      expect(await listVersions(h.db, id)).toHaveLength(2);
      const items = await choose(2);
      const summary = await h.db.transaction((tx) => importLibraryDocument(tx, { source, document, items, actorId: actor }));
      expect(summary.updated).toBe(1);
      expect((await getParagraph(h.db, id))!.body).toBe(text);
      // The policy document's page lists the paragraph it updated (it records no use).
      expect(await listDocumentParagraphs(h.db, summary.documentId)).toEqual([
        expect.objectContaining({ paragraphId: id, title: "新型储能协同", versionNumber: 3, currentVersion: 3, mode: "updated", origin: "updated" }),
      ]);
      // a later edit in the library keeps the paragraph's source, but was not made by this document
      await h.db.transaction((tx) => reviseParagraph(tx, { id, expectedVersion: 3, title: "新型储能协同", body: `${text}（补充）`, tags: [], asOf: null, actorId: actor }));
      expect((await listDocumentParagraphs(h.db, summary.documentId)).map((r) => r.versionNumber)).toEqual([3]);

      // Rewritten beyond recognition after the plan was shown: the chosen 更新 is refused, never
      // turned into 新增 or 关联 behind the user's back.
      const body2 =
        "实施中小企业数字化转型专项行动，分行业编制数字化转型指南，遴选一批可复制推广的典型场景。对上云用云、智能化改造项目给予设备投资额一定比例的补助，引导服务商提供轻量化、低成本的解决方案。组织专家团队深入园区开展免费诊断，帮助企业找准转型切入点，逐步形成以点带面、梯次推进的工作格局。";
      const { id: other } = await h.db.transaction((tx) => createParagraph(tx, { title: "数字化转型", body: body2, tags: [], asOf: null, ownerId: null, actorId: actor }));
      const text2 = body2.replace("组织专家团队", "组织专业团队");
      const source2 = await readPastedText(text2, "转型更新.txt");
      await h.db.transaction((tx) =>
        reviseParagraph(tx, { id: other, expectedVersion: 1, title: "数字化转型", body: "完全改写后的另一段内容，与原文没有共同之处。", tags: [], asOf: null, actorId: actor }),
      );
      const planned = await planLibraryImport(h.db, { text: text2, kind: "policy", choices: [{ action: "update", seen: { paragraphId: other, version: 1 } }] });
      expect(planned[0]!.action).toBe("update");
      await expect(
        h.db.transaction((tx) => importLibraryDocument(tx, { source: source2, document: documentDefaults(text2, "policy", source2.fileName), items: planned, actorId: actor })),
      ).rejects.toThrow(/已不再与本段相同或相近/);
    });

    it("two paragraphs of one file that both choose to 更新 the same library paragraph are refused, naming both (the second was told someone else had changed it)", async () => {
      const body =
        "支持制造业企业建设工业互联网标识解析二级节点，推动标识在产品追溯、供应链管理和设备运维中的规模应用。对新建并接入国家顶级节点的二级节点，按建设投入给予一次性奖励，引导龙头企业带动上下游企业接入。建立标识应用案例库，每年遴选推广一批典型应用，提升中小企业的接入意愿和应用水平。";
      const { id } = await h.db.transaction((tx) => createParagraph(tx, { title: "标识解析节点", body, tags: [], asOf: null, ownerId: null, actorId: actor }));
      const text = `${body.replace("支持制造业", "鼓励制造业")}\n\n${body.replace("每年遴选", "每年评选")}`;
      const source = await readPastedText(text, "标识两段.txt");
      const choice = { action: "update" as const, seen: { paragraphId: id, version: 1 } };
      const items = await planLibraryImport(h.db, { text, kind: "policy", choices: [choice, choice] });
      expect(items.map((it) => it.action)).toEqual(["update", "update"]);
      await expect(
        h.db.transaction((tx) => importLibraryDocument(tx, { source, document: documentDefaults(text, "policy", source.fileName), items, actorId: actor })),
      ).rejects.toThrow("第 1 段和第 2 段都要更新库中段落“标识解析节点”");
      expect(await listVersions(h.db, id)).toHaveLength(1);
    });
  });

  describe("bad input: a clear message and nothing written", () => {
    it("an empty file, a fake DOCX, an old .doc, a PDF", async () => {
      const before = await counts();
      await expect(readLibrarySource({ fileName: "空.txt", content: Buffer.alloc(0) })).rejects.toThrow("文件是空的（0 字节），请选择包含正文的文件。");
      await expect(readLibrarySource({ fileName: "空白.txt", content: Buffer.from("\n\u3000\n  ") })).rejects.toThrow("文件内容为空");
      await expect(readLibrarySource({ fileName: "假的.docx", content: Buffer.from("这其实是一个文本文件") })).rejects.toThrow("文件不是有效的 Word 文档（.docx）");
      await expect(readLibrarySource({ fileName: "坏的.docx", content: Buffer.from("PK\u0003\u0004word/document.xml 但不是压缩包") })).rejects.toThrow(
        "文件不是有效的 Word 文档（.docx）",
      );
      await expect(readLibrarySource({ fileName: "旧.doc", content: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) })).rejects.toThrow("旧版 Word（.doc）");
      await expect(readLibrarySource({ fileName: "a.pdf", content: Buffer.from("%PDF-1.4\n") })).rejects.toThrow("暂不支持 PDF");
      expect(await counts()).toEqual(before);
    });

    it("GBK text is read as GBK (and says so); text already garbled, or UTF-16 without a BOM, is refused", async () => {
      const text = fs.readFileSync(path.resolve("seeds/source/letter-109.txt"), "utf8");
      const gbk = await readLibrarySource({ fileName: "109-gbk.txt", content: encodeGbk(text) });
      expect(gbk.encoding).toBe("gb18030");
      expect(gbk.text).toBe(text);
      expect(gbk.notes[0]).toContain("GBK");
      const garbled = new TextDecoder("gbk").decode(new TextEncoder().encode(text));
      await expect(readPastedText(garbled)).rejects.toThrow(/乱码|无法识别/);
      const utf16 = Buffer.from(text, "utf16le");
      await expect(readLibrarySource({ fileName: "utf16.txt", content: utf16 })).rejects.toThrow(/空字符|二进制/);
    });

    it("a 1 MB paragraph is refused with the paragraph and the limit named", async () => {
      const before = await counts();
      await expect(readLibrarySource({ fileName: "大.txt", content: Buffer.from("专".repeat(1 << 20)) })).rejects.toThrow("第 1 段超过 20000 字（实际 1048576 字）");
      await expect(readPastedText("专".repeat(1 << 20))).rejects.toThrow(LibraryImportError);
      expect(await counts()).toEqual(before);
    });

    it("a real DOCX is read through mammoth", async () => {
      const doc = new Document({
        sections: [
          {
            children: [
              new Paragraph({ children: [new TextRun("关于支持量子信息产业发展的若干措施")] }),
              new Paragraph({ children: [new TextRun("一、建设量子信息创新平台。支持松山湖科学城建设量子信息实验室，每年安排专项资金。")] }),
              new Paragraph({ children: [new TextRun("二、培育量子信息企业。对新落户的量子信息企业给予租金补贴。")] }),
            ],
          },
        ],
      });
      const source = await readLibrarySource({ fileName: "量子.docx", content: await Packer.toBuffer(doc) });
      expect(source.encoding).toBe("docx");
      const r = await h.db.transaction((tx) => importWithDefaults(tx, { source, kind: "policy", actorId: actor }));
      expect(r.items.map((it) => [it.action, it.title])).toEqual([
        ["skip", "关于支持量子信息产业发展的若干措施"],
        ["create", "建设量子信息创新平台"],
        ["create", "培育量子信息企业"],
      ]);
      expect((await rankParagraphs(h.db, { q: "量子信息实验室", limit: 3 })).hits).toHaveLength(1);
    });

    it("an import that fails half-way leaves nothing behind (one transaction)", async () => {
      const before = await counts();
      const text = "一、甲段落标题。甲段落的正文内容足够长，可以入库。\n\n二、乙段落标题。乙段落的正文内容也足够长，可以入库。";
      const source = await readPastedText(text, "半途失败.txt");
      const items = await planLibraryImport(h.db, { text, kind: "policy" });
      expect(items.map((it) => it.action)).toEqual(["create", "create"]);
      // The second paragraph points at a library paragraph that does not exist.
      items[1] = {
        ...items[1]!,
        action: "link",
        matches: [{ paragraphId: 99_999_999, title: "不存在", status: "active", kind: "exact", score: 1, version: 1, newFigures: [], reworded: false }],
      };
      await expect(
        h.db.transaction((tx) => importLibraryDocument(tx, { source, document: documentDefaults(text, "policy", source.fileName), items, actorId: actor })),
      ).rejects.toThrow("已不存在");
      expect(await counts()).toEqual(before);
    });
  });

  it("the demo library loads once (the seeds are already in: nothing is imported twice)", async () => {
    const before = await counts();
    expect(await h.db.transaction((tx) => loadDemoLibrary(tx))).toEqual({ loaded: true });
    expect(await counts()).toEqual(before);
    expect(await h.db.transaction((tx) => loadDemoLibrary(tx))).toEqual({ loaded: false });
  });
});
