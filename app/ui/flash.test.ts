import { describe, expect, it } from "vitest";
import { flashCount, flashKnown } from "./flash";

describe("success notices from the address", () => {
  it("print a count only when the parameter is one", () => {
    expect(flashCount(new URLSearchParams("assigned=3"), "assigned")).toBe(3);
    expect(flashCount(new URLSearchParams("assigned=0"), "assigned")).toBe(0);
    expect(flashCount(new URLSearchParams("assigned=3 件提案已撤销，请联系"), "assigned")).toBeNull();
    expect(flashCount(new URLSearchParams("assigned="), "assigned")).toBeNull();
    expect(flashCount(new URLSearchParams(""), "assigned")).toBeNull();
  });
  it("print a name only when the page knows it", () => {
    expect(flashKnown(new URLSearchParams("created=liyong"), "created", ["admin", "liyong"])).toBe("liyong");
    expect(flashKnown(new URLSearchParams("created=系统将于今晚停用，请把密码发给"), "created", ["admin", "liyong"])).toBeNull();
  });
});
