/** The print line (one LibreOffice at a time): bounded, with a shorter lane for the public site. */
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { MAX_WAITING_PRINTS, MAX_WAITING_PUBLIC_PRINTS, PrintBusyError, printAvailable, printLetter } from "~/letters/print.server";
import { seedLetter } from "./helpers";

const skip = !printAvailable() && !process.env.CI;
if (skip) console.warn("[letters/print-queue] skipped: soffice, pdftotext or pdftoppm is not installed");

(skip ? it.skip : it)(
  "prints past the line's length are refused at once with a reason; the public site fills only part of it, and officers' prints still go in",
  async () => {
    // letters never printed before (a print cache hit would not queue)
    const fresh = () => ({ ...seedLetter("109"), opening: `${seedLetter("109").opening}（${randomUUID().slice(0, 8)}）` });
    const publicOnes = Array.from({ length: MAX_WAITING_PUBLIC_PRINTS + 2 }, () => printLetter(fresh(), { lane: "public" }));
    const officers = Array.from({ length: MAX_WAITING_PRINTS - MAX_WAITING_PUBLIC_PRINTS + 1 }, () => printLetter(fresh()));
    const settled = await Promise.allSettled([...publicOnes, ...officers]);
    const outcome = settled.map((r) => (r.status === "fulfilled" ? "printed" : r.reason instanceof PrintBusyError ? "busy" : String(r.reason)));
    expect(outcome).toEqual([
      ...Array(MAX_WAITING_PUBLIC_PRINTS).fill("printed"),
      "busy",
      "busy",
      ...Array(MAX_WAITING_PRINTS - MAX_WAITING_PUBLIC_PRINTS).fill("printed"),
      "busy",
    ]);
    expect((settled[MAX_WAITING_PUBLIC_PRINTS] as PromiseRejectedResult).reason.message).toBe("打印服务正忙，请稍后再试；仍可下载 Word 文件。");
    // the line is free again: the next print goes in
    await expect(printLetter(fresh(), { lane: "public" })).resolves.toMatchObject({ pages: 4 });
  },
  300_000,
);
