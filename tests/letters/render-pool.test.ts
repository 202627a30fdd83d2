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
});
