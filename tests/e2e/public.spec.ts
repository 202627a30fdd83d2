/**
 * The public site as a crawler sees it: starting at /public and following every link it offers
 * (list, filters, pages, Word files, the Atom feed, the JSON), it finds letter 108 (published) and
 * nothing of what is not public — 109 (依申请公开, not published), a draft waiting for signature,
 * the officer's phone — and guessing ids leads nowhere else.
 */
import { expect, test } from "./fixtures";
import { unzipDocx, xmlText } from "../letters/helpers";

const PUBLISHED = "三、系统规划引领。"; // letter 108
const NOT_PUBLIC = [
  "聚焦产业链优势环节，重点关注科技成果转化", // letter 109: 依申请公开, never published
  "加快培育智能制造示范项目", // the draft of 第30145号, waiting for signature
  "28685020", // the officer's phone, printed on the signed letter only
  "承办人姓名",
];

test("a crawler over the public site finds only published text, and ids lead nowhere else", async ({ request }) => {
  const seen = new Set<string>();
  const queue = ["/public", "/public/feed.atom", "/public/replies.json"];
  const texts: string[] = [];
  while (queue.length && seen.size < 200) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const r = await request.get(path);
    expect(r.status(), path).toBe(200);
    const type = r.headers()["content-type"] ?? "";
    if (type.includes("wordprocessingml")) {
      const parts = await unzipDocx(await r.body());
      texts.push(xmlText(parts.document));
      continue;
    }
    const body = await r.text();
    texts.push(body);
    // Follow every link on this site under /public (HTML hrefs, feed links, JSON urls).
    for (const m of body.matchAll(/(?:href="|"url": "|"docx": ")([^"]+)"/g)) {
      const u = new URL(m[1]!.replace(/&amp;/g, "&"), "http://x");
      if ((u.host === "x" || u.host === new URL(r.url()).host) && u.pathname.startsWith("/public")) queue.push(u.pathname + u.search);
    }
  }
  expect([...seen]).toContain("/public/1");
  expect([...seen]).toContain("/public/1.docx");
  const all = texts.join("\n");
  expect(all).toContain(PUBLISHED);
  for (const secret of NOT_PUBLIC) expect(all, secret).not.toContain(secret);

  // Every other id, as a page or a file: not found, and the same answer whether or not it exists.
  for (let id = 2; id <= 40; id++) {
    expect((await request.get(`/public/${id}`)).status(), `/public/${id}`).toBe(404);
    expect((await request.get(`/public/${id}.docx`)).status(), `/public/${id}.docx`).toBe(404);
  }
  for (const odd of ["/public/0", "/public/-1", "/public/1e3", "/public/99999999999", "/public/1%00"]) expect((await request.get(odd)).status(), odd).toBeGreaterThanOrEqual(400);
});

test("the public pages answer conditional requests: 304 while nothing changed", async ({ request }) => {
  for (const path of ["/public", "/public/1", "/public/feed.atom", "/public/replies.json"]) {
    const first = await request.get(path);
    const etag = first.headers().etag;
    expect(etag, path).toMatch(/^W\/"/);
    expect(first.headers()["cache-control"]).toBe("public, no-cache");
    const again = await request.get(path, { headers: { "If-None-Match": etag! } });
    expect(again.status(), path).toBe(304);
  }
  const json = await (await request.get("/public/replies.json")).json();
  expect(json.replies).toEqual([
    expect.objectContaining({ documentNumber: "东工信函〔2021〕108号", proposalNumber: "10121", meeting: "东莞市政协第十三届六次会议", date: "2021-05-19" }),
  ]);
  expect((await (await request.get("/public/replies.json?year=2020")).json()).replies).toEqual([]);
});
