/** The render workers: downloads and prints render there too, so an idle one must not hold its memory for good. */
import { describe, expect, it } from "vitest";
import { RenderPool } from "~/letters/render-pool.server";
import { seedLetter } from "./helpers";

describe("render workers", () => {
  it("a worker with nothing to do is ended, and the next letter starts one again", async () => {
    const pool = new RenderPool(1, { idleMs: 300 });
    try {
      const first = await pool.render(seedLetter("108"));
      expect(first.subarray(0, 2).toString()).toBe("PK");
      expect(pool.threaded).toBe(true);
      expect(pool.workerCount).toBe(1);
      await expect.poll(() => pool.workerCount, { timeout: 10_000 }).toBe(0);
      const again = await pool.render(seedLetter("109"), { target: "libreoffice" });
      expect(again.subarray(0, 2).toString()).toBe("PK");
      expect(pool.workerCount).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it("a letter too large for a worker's memory is refused — the worker ends, not the server — and the next letter renders", { timeout: 120_000 }, async () => {
    const pool = new RenderPool(1);
    const table = { type: "table" as const, headerRows: 0, rows: Array.from({ length: 500 }, () => Array<string>(30).fill("甲")) };
    // far past a draft's 5,000 cells: what a letter signed before that limit could hold
    const huge = { ...seedLetter("109"), sections: [table, table, table, table] };
    try {
      await expect(pool.render(huge)).rejects.toThrow();
      expect((await pool.render(seedLetter("108"))).subarray(0, 2).toString()).toBe("PK");
      expect(pool.threaded).toBe(true);
    } finally {
      await pool.close();
    }
  });
});
