import { describe, expect, it } from "vitest";
import { draftFromForm } from "./draft-form";
import { foldFullWidthDigits } from "./full-width";
import { parseDocumentNumber } from "./letter";
import { normalizeDateInput } from "./proposal";

describe("full-width digits typed with a Chinese input method", () => {
  it("fold to ASCII with the marks typed beside them, and nothing else", () => {
    expect(foldFullWidthDigits("（０７６９）２８６８５０２０－１２＋８６／１．５")).toBe("(0769)28685020-12+86/1.5");
    expect(foldFullWidthDigits("东工信函〔２０２６〕５号，“专精特新”")).toBe("东工信函〔2026〕5号，“专精特新”");
  });
  it("are the same date, 文号 and phone as typed in ASCII", () => {
    expect(normalizeDateInput("２０２７－０１－１５")).toBe("2027-01-15");
    expect(normalizeDateInput("２０２７年１月１５日")).toBe("2027-01-15");
    expect(parseDocumentNumber("东工信函〔２０２６〕５号")).toEqual({ prefix: "东工信函", year: 2026, seq: 5 });
    expect(draftFromForm({ phone: " ２８６８５０２０ " }).phone).toBe("28685020");
  });
});
