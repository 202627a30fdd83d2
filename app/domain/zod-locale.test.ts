import { z } from "zod";
import { describe, expect, it } from "vitest";
import "./zod-locale";

describe("zod's default messages", () => {
  it("reach users in Chinese", () => {
    const r = z.array(z.string()).max(2).safeParse(["a", "b", "c"]);
    expect(r.success).toBe(false);
    const message = r.error!.issues[0]!.message;
    expect(message).toMatch(/[\u4e00-\u9fff]/);
    expect(message).not.toMatch(/Too big|expected/);
  });
});
