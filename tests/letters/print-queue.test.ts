/** The print line (one LibreOffice at a time): bounded, with a shorter lane for the public site. */
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { cachedPrint, MAX_WAITING_PRINTS, MAX_WAITING_PUBLIC_PRINTS, PrintBusyError, printAvailable, printKey, printLetter } from "~/letters/print.server";
import { seedLetter } from "./helpers";

const skip = !printAvailable() && !process.env.CI;
if (skip) console.warn("[letters/print-queue] skipped: soffice, pdftotext or pdftoppm is not installed");

(skip ? it.skip : it)(
  "prints past the line's length are refused at once with a reason; the public site fills only part of it; a print whose requests all went away is given up before LibreOffice runs it",
  async () => {
    // letters never printed before (a print cache hit would not queue)
    const fresh = () => ({ ...seedLetter("109"), opening: `${seedLetter("109").opening}（${randomUUID().slice(0, 8)}）` });
    const outcome = (r: PromiseSettledResult<unknown>) => (r.status === "fulfilled" ? "printed" : r.reason instanceof PrintBusyError ? "busy" : String(r.reason));
    // one print under way (out of the line), so that the next ones wait
    const first = printLetter(fresh());
    await new Promise((r) => setImmediate(r));
    // the public lane filled by two visitors, who then leave before their turn
    const leaving = Array.from({ length: MAX_WAITING_PUBLIC_PRINTS }, () => ({ letter: fresh(), controller: new AbortController() }));
    const gone = leaving.map((v) => printLetter(v.letter, { lane: "public", signal: v.controller.signal }));
    const publicBusy = printLetter(fresh(), { lane: "public" });
    const officers = Array.from({ length: MAX_WAITING_PRINTS - MAX_WAITING_PUBLIC_PRINTS + 1 }, () => printLetter(fresh()));
    // refused at once, while the line is full
    expect((await Promise.allSettled([publicBusy])).map(outcome)).toEqual(["busy"]);
    await expect(officers.at(-1)).rejects.toThrow("打印服务正忙，请稍后再试；仍可下载 Word 文件。");
    // the visitors leave: their places are free at once, and their letters are never printed
    for (const v of leaving) v.controller.abort(new Error("连接已断开"));
    expect((await Promise.allSettled(gone)).map(outcome)).toEqual(Array(MAX_WAITING_PUBLIC_PRINTS).fill("Error: 连接已断开"));
    const next = printLetter(fresh(), { lane: "public" });
    const settled = await Promise.allSettled([first, ...officers.slice(0, -1), next]);
    expect(settled.map(outcome)).toEqual(Array(MAX_WAITING_PRINTS - MAX_WAITING_PUBLIC_PRINTS + 2).fill("printed"));
    await expect(next).resolves.toMatchObject({ pages: 4 });
    for (const v of leaving) expect(cachedPrint(printKey(v.letter))).toBeNull();
  },
  300_000,
);
