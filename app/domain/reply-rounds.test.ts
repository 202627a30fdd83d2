import { describe, expect, it } from "vitest";
import { replyLabels, replyNumbers } from "./reply-rounds";

const d = (s: string) => new Date(`${s}T10:00:00+08:00`);

describe("reply numbers of letter rounds", () => {
  it("a correction re-issues the same reply; 再办理 starts the next", () => {
    // round 1 signed, corrected → round 2 sent; 不满意 → round 3 sent; 不满意 again → round 4
    const rounds = [
      { round: 1, createdAt: d("2026-04-01") },
      { round: 2, createdAt: d("2026-04-10") },
      { round: 3, createdAt: d("2026-07-01") },
      { round: 4, createdAt: d("2026-10-01") },
    ];
    const numbers = replyNumbers(rounds, [d("2026-06-20"), d("2026-09-20")]);
    expect([...numbers]).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
      [4, 3],
    ]);
    expect(replyLabels([{ round: 4 }, { round: 3 }, { round: 2 }], numbers)).toEqual(["最新答复", "第2次答复", "第1次答复"]);
  });

  it("without the history (imported data) the published replies are numbered by their order", () => {
    const numbers = replyNumbers(
      [
        { round: 1, createdAt: d("2026-04-01") },
        { round: 2, createdAt: d("2026-07-01") },
      ],
      [],
    );
    expect(replyLabels([{ round: 2 }, { round: 1 }], numbers)).toEqual(["最新答复", "第1次答复"]);
  });
});
