import { describe, expect, it } from "vitest";
import { safeRedirectTarget } from "./redirect";

describe("safeRedirectTarget (after sign-in)", () => {
  it("keeps paths on this site", () => {
    expect(safeRedirectTarget("/proposals/6/letter?q=108号#block-end")).toBe("/proposals/6/letter?q=108%E5%8F%B7#block-end");
    expect(safeRedirectTarget("/")).toBe("/");
  });
  it("refuses everything that a browser resolves elsewhere", () => {
    // As the login form receives them (URLSearchParams decoded %09 into a tab).
    for (const bad of [
      "/\t/evil.example/",
      "//evil.example",
      "/\\evil.example",
      "/\\/evil.example",
      "https://evil.example/",
      "javascript:alert(1)",
      "/\n/evil.example",
      " /x",
      "",
      null,
      undefined,
      "/" + "a".repeat(3000),
    ]) {
      expect(safeRedirectTarget(bad), JSON.stringify(bad)).toBe("/");
    }
    expect(safeRedirectTarget(new URLSearchParams("redirectTo=/%09/evil.example/").get("redirectTo"))).toBe("/");
  });
});
