/**
 * A realistic large data set for measuring the app at city scale (`npm run cli -- demo:scale`):
 * proposals over eight 会议 and years in every workflow state, with proposers, history,
 * deadlines from the real calendar and rules, handlers, signed letters (frozen Letter values
 * built from the seed letters' paragraphs, with their revision and 文号), publications and notices.
 *
 * Bulk inserts in chunks (one statement per thousand rows), deterministic numbering and
 * `on conflict do nothing`, so a second run adds nothing and a larger run tops the set up.
 */
import fs from "node:fs";
import path from "node:path";
import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { batches, documentNumbers, events, letterRevisions, letters, libraryDocuments, notifications, paragraphs, proposals, proposers, publications, users } from "#db/schema";
import { addDays } from "~/domain/calendar";
import { DEFAULT_DEADLINE_RULES, remindersDue } from "~/domain/deadlines";
import type { Draft } from "~/domain/draft";
import { buildLetter, parseLetterTemplate, type LetterBlock, type LetterInput } from "~/domain/letter";
import { FEEDBACK_LABELS, type ProposalState } from "~/domain/workflow";
import { formatProposers } from "~/domain/proposal";
import { deadlineColumns, deadlineContext, today } from "./deadline.server";
import { generateLibrary } from "./library-scale.server";
import { reminderMessage } from "./reminders.server";

export interface ScaleOptions {
  proposals: number;
  letters: number;
  /** Synthetic library paragraphs to have in all (generateLibrary); 0: the library is left alone. */
  paragraphs?: number;
  /** Reported after each step (for the CLI's progress lines). */
  onProgress?: (message: string) => void;
  /** No reply or letter is dated after this day (default: the app's today). */
  today?: string;
}

export interface ScaleResult {
  proposalsAdded: number;
  lettersAdded: number;
  notificationsAdded: number;
  proposalsTotal: number;
  paragraphsAdded: number;
  ms: number;
}

/** Source documents of the scale data set's library paragraphs are titled with this. */
export const SCALE_LIBRARY_LABEL = "（规模测试）";

/** The data set's 会议: one a year, the last one this year's (open proposals with live deadlines). */
export const SCALE_MEETINGS = [
  { meeting: "东莞市政协第十三届二次会议（规模测试）", year: 2019 },
  { meeting: "东莞市政协第十三届三次会议（规模测试）", year: 2020 },
  { meeting: "东莞市政协第十三届四次会议（规模测试）", year: 2021 },
  { meeting: "东莞市政协第十三届五次会议（规模测试）", year: 2022 },
  { meeting: "东莞市政协第十四届一次会议（规模测试）", year: 2023 },
  { meeting: "东莞市政协第十四届二次会议（规模测试）", year: 2024 },
  { meeting: "东莞市政协第十四届三次会议（规模测试）", year: 2025 },
  { meeting: "东莞市政协第十四届四次会议（规模测试）", year: 2026 },
] as const;

const TOPICS = [
  "智能终端产业",
  "专精特新企业",
  "先进制造业集群",
  "工业互联网",
  "数字经济",
  "新能源汽车",
  "集成电路",
  "生物医药",
  "低空经济",
  "中小企业融资",
  "工业用地保障",
  "技工人才培养",
  "绿色低碳转型",
  "外贸企业稳订单",
  "科技成果转化",
  "松山湖科学城",
];
const VERBS = ["关于加快", "关于推动", "关于支持", "关于进一步完善", "关于优化", "关于加强"];
const TAILS = ["发展的建议", "的提案", "工作的建议", "政策体系的建议", "服务保障的建议"];
const BODIES = ["民建市委会", "民盟市委会", "民进市委会", "农工党市委会", "致公党市委会", "九三学社市委会", "市工商联", "台盟市委会"];
const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈";
const GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英文华建国志强海燕俊杰";

/** Where the current year's open proposals stand: drafting dominates, as in June–November. */
const OPEN_STATES: ProposalState[] = ["received", "assigned", "drafting", "drafting", "drafting", "in_review", "signed", "replied", "published", "closed"];
const PAST_STATES: ProposalState[] = ["closed", "closed", "closed", "published", "replied", "closed", "transferred_out", "closed", "published", "closed"];
const ANSWERED = new Set<ProposalState>(["signed", "replied", "published", "closed"]);

const pick = <T>(list: readonly T[], i: number): T => list[((i % list.length) + list.length) % list.length];
const chunks = <T>(rows: T[], size: number): T[][] => Array.from({ length: Math.ceil(rows.length / size) }, (_, k) => rows.slice(k * size, (k + 1) * size));

function memberName(i: number): string {
  return pick([...SURNAMES], i * 7) + pick([...GIVEN], i * 13) + (i % 3 ? pick([...GIVEN], i * 5 + 1) : "");
}

export async function fillScaleData(db: Db, opts: ScaleOptions): Promise<ScaleResult> {
  const started = Date.now();
  const say = opts.onProgress ?? (() => {});
  const now = opts.today ?? today();
  // A reply is dated before its deadline, but never after today nor before the assignment.
  const clampDate = (d: string, from: string) => (d > now ? now : d < from ? from : d);
  const deadlines = await deadlineContext(db);
  const handlers = await db.select({ id: users.id, displayName: users.displayName }).from(users).where(eq(users.role, "handler"));
  if (!handlers.length) throw new Error("数据库里没有承办人账号：先用 user:create --role handler 创建，或用演示数据启动一次。");

  await db
    .insert(batches)
    .values(SCALE_MEETINGS.map((m) => ({ meeting: m.meeting })))
    .onConflictDoNothing();
  const batchRows = await db
    .select({ id: batches.id, meeting: batches.meeting })
    .from(batches)
    .where(
      inArray(
        batches.meeting,
        SCALE_MEETINGS.map((m) => m.meeting),
      ),
    );
  const batchOf = new Map(batchRows.map((b) => [b.meeting, b.id]));

  // ── proposals ──
  type Planned = typeof proposals.$inferInsert & { i: number; year: number; proposerList: { kind: "body" | "member"; name: string }[] };
  const planned: Planned[] = [];
  for (let i = 0; i < opts.proposals; i++) {
    const m = SCALE_MEETINGS[i % SCALE_MEETINGS.length];
    const current = m.year === 2026;
    const batchId = batchOf.get(m.meeting)!;
    // this year's proposals were assigned from June to November, so deadlines fall all around today
    const assignedOn = current ? addDays(`${m.year}-06-01`, (i * 37) % 180) : addDays(`${m.year}-02-20`, i % 20);
    const bureauRole = i % 5 === 4 ? ("co" as const) : ("lead" as const);
    const drawn = current ? pick(OPEN_STATES, Math.floor(i / SCALE_MEETINGS.length)) : pick(PAST_STATES, Math.floor(i / SCALE_MEETINGS.length));
    // a 会办 reply goes to the 主办单位, never onto the public site
    const state = bureauRole === "co" && drawn === "published" ? "replied" : drawn;
    const rules = await deadlines.rulesFor(batchId);
    const due = deadlineColumns({ assignedOn, bureauRole }, deadlines.calendar, rules);
    const proposerList =
      i % 4 === 0
        ? [{ kind: "body" as const, name: pick(BODIES, i) }]
        : Array.from({ length: 1 + (i % 3) }, (_, k) => ({ kind: "member" as const, name: memberName(i + k * 101) }));
    const handler = state === "received" ? null : pick(handlers, i);
    // 已调出: handed to another unit, never answered here
    const answered = ANSWERED.has(state);
    // about one reply in twelve after its deadline (up to nine days), as in a real year
    const repliedOn = answered && state !== "signed" && due.due ? clampDate(addDays(due.due, i % 12 === 5 ? (i % 9) + 1 : -((i % 20) + 1)), assignedOn) : null;
    const disclosure = answered && bureauRole === "lead" ? (i % 3 ? ("public" as const) : ("not_public" as const)) : null;
    planned.push({
      i,
      year: m.year,
      proposerList,
      batchId,
      number: String(20000 + Math.floor(i / SCALE_MEETINGS.length)),
      title: `${pick(VERBS, i)}${pick(TOPICS, i * 3)}${pick(TAILS, i)}`,
      bureauRole,
      assignedOn,
      receivedOn: assignedOn,
      state,
      handlerId: handler?.id ?? null,
      handlerPhone: handler ? "28685020" : null,
      ...due,
      repliedOn,
      replyChannel: answered && state !== "signed" ? "邮寄" : null,
      disclosure,
      disclosureReason: disclosure === "not_public" ? "涉及企业经营信息" : null,
      leadUnit: bureauRole === "co" ? "市科学技术局" : null,
      // the lead unit asks a 会办 proposal's proposer, not this bureau
      feedback: state === "closed" && bureauRole !== "co" ? pick(["satisfied", "satisfied", "basically_satisfied"] as const, i) : null,
      transferredTo: state === "transferred_out" ? "市发展和改革局" : null,
      proposerNames: formatProposers(proposerList),
    });
  }
  // Signed letters go to the newest replies first: the system has been in use for the latest years,
  // and the replies before it were written in Word. Those have no 公开方式 recorded and were
  // published (or not) on the old site — as 已公开 without a publication row here they filled
  // 待公开 with ~3,000 replies no one could publish.
  const scaleBatchIds = batchRows.map((b) => b.id);
  const [{ existingLetters }] = await db
    .select({ existingLetters: sql<number>`count(*)::int` })
    .from(letters)
    .innerJoin(proposals, eq(proposals.id, letters.proposalId))
    .where(inArray(proposals.batchId, scaleBatchIds));
  const wanted = Math.max(0, opts.letters - Number(existingLetters));
  const withLetter = new Set(
    planned
      .filter((p) => ANSWERED.has(p.state as ProposalState))
      .sort((a, b) => b.year - a.year || a.i - b.i)
      .slice(0, wanted)
      .map((p) => p.i),
  );
  for (const p of planned) {
    if (!ANSWERED.has(p.state as ProposalState) || withLetter.has(p.i)) continue;
    if (p.state === "signed") p.state = "drafting"; // (--letters below this year's replies) a signed reply without its letter is no state
    if (p.state === "published") Object.assign(p, { state: "closed", feedback: pick(["satisfied", "basically_satisfied"] as const, p.i) });
    Object.assign(p, { disclosure: null, disclosureReason: null });
  }

  // ── 再办理: one 主办 reply in 20 drew 不满意 and was answered again — or, this year, every other one is
  // still being re-handled (the data set had none: 再办理 read 0 at scale) ──
  const rehandled = new Map<number, string>(); // i → the day the proposer said 不满意
  for (const p of planned) {
    // (picked by the proposal's place in its 会议, as its state is: one in 20 of the answered 主办 ones)
    const m = Math.floor(p.i / SCALE_MEETINGS.length);
    if (m % 20 !== 7 || p.bureauRole !== "lead" || !p.repliedOn || !p.due) continue;
    if (!["replied", "closed", "published"].includes(p.state as string)) continue;
    // 不满意 some 20 days after the reply, and not after today
    const from = [addDays(p.repliedOn, 20), now].sort()[0]!;
    if (from <= p.repliedOn) continue;
    const still = p.year === 2026 && m % 40 === 7;
    // answered twice: only where the first reply has no letter here (two rounds of letters are the
    // workflow's to write); still in 再办理: its first reply's letter stays, signed, as the only one
    if (withLetter.has(p.i) && !still) continue;
    const again = deadlineColumns({ assignedOn: p.assignedOn!, bureauRole: "lead", rehandlingFrom: from }, deadlines.calendar, await deadlines.rulesFor(p.batchId!));
    // one in four of the new replies a few days late, as first replies are now and then
    const repliedAgain = m % 80 === 47 && again.due ? addDays(again.due, 2 + (p.i % 5)) : addDays(from, 10 + (p.i % 40));
    if (!still && repliedAgain > now) continue;
    Object.assign(p, again, {
      firstRepliedOn: p.repliedOn,
      firstDue: p.extendedDue ?? p.due,
      rehandlingFrom: from,
      extendedDue: null,
      state: still ? "rehandling" : "closed",
      repliedOn: still ? null : repliedAgain,
      feedback: still ? "dissatisfied" : pick(["satisfied", "basically_satisfied"] as const, p.i),
    });
    rehandled.set(p.i, from);
  }

  let proposalsAdded = 0;
  const added: (Planned & { id: number })[] = [];
  for (const part of chunks(planned, 500)) {
    const rows = await db
      .insert(proposals)
      .values(part.map(({ i: _i, year: _y, proposerList: _p, ...row }) => row))
      .onConflictDoNothing({ target: [proposals.batchId, proposals.number] })
      .returning({ id: proposals.id, batchId: proposals.batchId, number: proposals.number });
    const byKey = new Map(part.map((p) => [`${p.batchId}:${p.number}`, p]));
    for (const r of rows) added.push({ ...byKey.get(`${r.batchId}:${r.number}`)!, id: r.id });
    proposalsAdded += rows.length;
  }
  say(`提案：新增 ${proposalsAdded} 件`);

  for (const part of chunks(added, 1000)) {
    const proposerRows = part.flatMap((p) => p.proposerList.map((x, position) => ({ proposalId: p.id, position, kind: x.kind, name: x.name })));
    for (const rows of chunks(proposerRows, 2000)) await db.insert(proposers).values(rows);
    await db.insert(events).values(part.map((p) => ({ proposalId: p.id, kind: "imported", comment: "规模测试数据", changes: [] })));
    // the 不满意 that began 再办理, as the workflow records it (reply rounds are read from it)
    const dissatisfied = part.filter((p) => rehandled.has(p.i));
    if (dissatisfied.length)
      await db.insert(events).values(
        dissatisfied.map((p) => ({
          proposalId: p.id,
          kind: "record_feedback",
          at: new Date(`${rehandled.get(p.i)}T10:00:00+08:00`),
          changes: [
            { field: "feedback", label: "提案者意见", from: null, to: FEEDBACK_LABELS.dissatisfied },
            { field: "due", label: "办理期限", from: p.firstDue ?? null, to: p.due ?? null },
          ],
        })),
      );
  }
  say("提案者与办理记录：已写入");

  // ── signed letters, for the newest answered proposals (withLetter) ──
  const template = parseLetterTemplate(JSON.parse(fs.readFileSync(path.resolve("templates/reply-dg-gxj.json"), "utf8")));
  const seedBlocks = ["108", "109"].flatMap((n) => (JSON.parse(fs.readFileSync(path.resolve(`seeds/letters/letter-${n}.json`), "utf8")) as LetterInput).sections);
  const toSign = added.filter((p) => withLetter.has(p.i));
  let lettersAdded = 0;
  for (const part of chunks(toSign, 200)) {
    const values = part.map((p) => {
      const seq = 5000 + p.i;
      const documentNumber = `东工信函〔${p.year}〕${seq}号`;
      const sections: LetterBlock[] = Array.from({ length: 4 + (p.i % 5) }, (_, k) => pick(seedBlocks, p.i + k * 3));
      const date = p.firstRepliedOn ?? p.repliedOn ?? clampDate(p.due ?? `${p.year}-05-20`, p.assignedOn);
      const letter = buildLetter(template, {
        meeting: batchRows.find((b) => b.id === p.batchId)!.meeting,
        proposalNumber: p.number,
        proposalTitle: p.title,
        proposers: p.proposerList,
        documentNumber,
        date,
        handlerName: pick(handlers, p.i).displayName,
        phone: "28685020",
        leaderName: "詹志斌",
        printSignerName: false,
        disclosure: p.disclosure === "public" ? "主动公开" : "不予公开",
        outcome: pick(["A", "B", "C"] as const, p.i),
        sections,
      } as LetterInput);
      return { p, seq, documentNumber, letter, sections };
    });
    const rows = await db
      .insert(letters)
      .values(
        values.map((v) => ({
          proposalId: v.p.id,
          templateId: template.id,
          state: "signed" as const,
          documentNumber: v.documentNumber,
          // written the day it was signed: a 不满意 recorded later starts the next round (reply-rounds)
          createdAt: new Date(`${v.letter.date}T08:00:00+08:00`),
          signedAt: new Date(`${v.letter.date}T09:00:00+08:00`),
          finalLetter: v.letter,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: letters.id, proposalId: letters.proposalId });
    const letterOf = new Map(rows.map((r) => [r.proposalId, r.id]));
    const kept = values.filter((v) => letterOf.has(v.p.id));
    if (!kept.length) continue;
    const revisions = await db
      .insert(letterRevisions)
      .values(
        kept.map((v) => {
          const draft: Draft = {
            blocks: v.sections.map((b, k) => ({ ...b, id: `b${k}` })),
            outcome: v.letter.outcome ?? null,
            disclosure: v.letter.disclosure,
            disclosureReason: null,
            phone: "28685020",
            printSignerName: false,
          };
          return { letterId: letterOf.get(v.p.id)!, revisionNo: 1, draft, kind: "signed" as const };
        }),
      )
      .returning({ id: letterRevisions.id, letterId: letterRevisions.letterId });
    for (const r of revisions) await db.update(letters).set({ currentRevisionId: r.id, submittedRevisionId: r.id }).where(eq(letters.id, r.letterId));
    await db
      .insert(documentNumbers)
      .values(kept.map((v) => ({ number: v.documentNumber, prefix: "东工信函", year: v.p.year, seq: v.seq, letterId: letterOf.get(v.p.id)!, note: "规模测试数据" })))
      .onConflictDoNothing();
    const published = kept.filter((v) => v.p.state === "published" || (v.p.state === "closed" && v.p.disclosure === "public"));
    if (published.length) await db.insert(publications).values(published.map((v) => ({ proposalId: v.p.id, letterId: letterOf.get(v.p.id)! })));
    lettersAdded += kept.length;
  }
  say(`答复函：新增 ${lettersAdded} 份（含修订记录、文号与公开记录）`);

  // ── notices: the handlers' due-soon and overdue reminders for this year's open proposals ──
  // Keyed as the reminder job keys its own (reminders.server.ts), so its first run does not send each again.
  const open = added.flatMap((p): { p: typeof p; kind: "overdue" | "due_soon"; dedupeKey: string }[] => {
    if (p.year !== 2026 || ANSWERED.has(p.state as ProposalState) || !p.handlerId || !p.due) return [];
    if (p.due < now) return [{ p, kind: "overdue", dedupeKey: `overdue:${p.id}:${p.due}` }];
    const reminder = remindersDue(p.due, now, DEFAULT_DEADLINE_RULES.reminderDays, addDays(now, -7)).at(-1);
    return reminder ? [{ p, kind: "due_soon", dedupeKey: `due:${p.id}:${p.due}:${reminder.daysBefore}` }] : [];
  });
  let notificationsAdded = 0;
  for (const part of chunks(open, 1000)) {
    const rows = await db
      .insert(notifications)
      .values(
        part.map(({ p, kind, dedupeKey }) => ({
          userId: p.handlerId!,
          proposalId: p.id,
          kind,
          message: reminderMessage(kind, { number: p.number, due: p.due! }, now),
          dedupeKey,
          readAt: p.i % 3 ? null : new Date(),
        })),
      )
      .onConflictDoNothing()
      .returning({ id: notifications.id });
    notificationsAdded += rows.length;
  }
  say(`通知：新增 ${notificationsAdded} 条`);

  // ── library: synthetic paragraphs up to the number asked for ──
  let paragraphsAdded = 0;
  if (opts.paragraphs) {
    const [{ have }] = await db
      .select({ have: sql<number>`count(*)::int` })
      .from(paragraphs)
      .innerJoin(libraryDocuments, eq(libraryDocuments.id, paragraphs.sourceDocumentId))
      .where(sql`${libraryDocuments.title} like ${`${SCALE_LIBRARY_LABEL}%`}`);
    const missing = opts.paragraphs - Number(have);
    if (missing > 0) {
      // each top-up gets its own source documents (their content hash must be unique)
      await generateLibrary(db, missing, say, `${SCALE_LIBRARY_LABEL}${Number(have)}-`);
      paragraphsAdded = missing;
    }
    say(`段落库：新增 ${paragraphsAdded} 段`);
  }

  // Fresh statistics for the planner: after a bulk load, stale estimates (1 row where there are
  // 3,000) made the 待公开 query a nested-loop anti join costing 150 ms per home page. VACUUM
  // also sets the visibility map, as autovacuum would in a while, so that counts can be
  // answered from indexes alone (the home page's counts by state: 4 ms → 1 ms).
  await db.execute(sql`vacuum analyze`);
  say("统计信息：已更新（VACUUM ANALYZE）");

  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(proposals).where(inArray(proposals.batchId, scaleBatchIds));
  return { proposalsAdded, lettersAdded, notificationsAdded, proposalsTotal: Number(n), paragraphsAdded, ms: Date.now() - started };
}
