import { describe, expect, it } from "vitest";
import { accessOf, GLOBAL_PERMISSIONS, grantsOf, may, mayEver, PERMISSIONS, PROPOSAL_PERMISSIONS, rolesWith, whoMay } from "./permissions";
import { ROLES } from "./roles";

const handler = { id: "h1", role: "handler" as const };
const mine = { handlerId: "h1" };
const theirs = { handlerId: "h2" };
const unassigned = { handlerId: null };

describe("may: own and any scopes", () => {
  it("a handler acts on the proposals assigned to them, never on others' or unassigned ones", () => {
    for (const p of ["proposal.read", "proposal.draft", "proposal.send", "extension.request", "letter.correct", "proposal.manage_co_units"] as const) {
      expect(may(handler, p, mine), p).toBe(true);
      expect(may(handler, p, theirs), p).toBe(false);
      expect(may(handler, p, unassigned), p).toBe(false);
    }
  });

  it("any scope ignores the 承办人", () => {
    const registrar = { id: "r", role: "registrar" as const };
    expect(may(registrar, "proposal.send", theirs)).toBe(true);
    expect(may(registrar, "proposal.read", unassigned)).toBe(true);
    expect(may({ id: "l", role: "leader" }, "letter.correct", theirs)).toBe(true);
  });

  it("the admin's setting lets handlers read every proposal but still act only on their own", () => {
    const settings = { handlersMayReadAll: true };
    expect(may(handler, "proposal.read", theirs, settings)).toBe(true);
    expect(may(handler, "proposal.draft", theirs, settings)).toBe(false);
    expect(accessOf(handler, "proposal.read", settings)).toBe("any");
    expect(accessOf(handler, "proposal.read")).toBe("own");
  });

  it("the admin is not a superuser: no drafting, signing or sending", () => {
    const admin = { id: "a", role: "admin" as const };
    expect(may(admin, "letter.sign")).toBe(false);
    expect(may(admin, "proposal.draft", { handlerId: "a" })).toBe(false);
    expect(may(admin, "proposal.send", theirs)).toBe(false);
    expect(may(admin, "user.manage")).toBe(true);
  });

  it("a viewer only reads", () => {
    expect(grantsOf("viewer")).toEqual([
      { permission: "proposal.read", access: "any" },
      { permission: "stats.read", access: "any" },
    ]);
  });

  it("global permissions: who holds each", () => {
    expect(rolesWith("letter.sign")).toEqual(["leader"]);
    expect(rolesWith("extension.approve")).toEqual(["admin", "leader"]);
    expect(rolesWith("extension.request")).toEqual(["registrar", "handler"]);
    expect(rolesWith("proposal.register")).toEqual(["admin", "registrar"]);
    expect(rolesWith("audit.read")).toEqual(["admin"]);
    expect(rolesWith("library.edit")).toEqual(["admin", "registrar", "handler"]);
  });

  it("mayEver answers for menus: a handler may ever draft, a leader never", () => {
    expect(mayEver(handler, "proposal.draft")).toBe(true);
    expect(mayEver({ role: "leader" }, "proposal.draft")).toBe(false);
  });

  it("names who may in refusals, the person closest to the work first", () => {
    expect(whoMay("proposal.send")).toBe("本提案的承办人或登记员");
    expect(whoMay("proposal.assign")).toBe("登记员或系统管理员");
    expect(whoMay("letter.correct")).toBe("本提案的承办人或签发领导");
  });

  it("every permission is proposal-scoped or global, never both, and someone holds it", () => {
    for (const p of PERMISSIONS) {
      expect(p in PROPOSAL_PERMISSIONS !== p in GLOBAL_PERMISSIONS, p).toBe(true);
      expect(
        ROLES.some((r) => mayEver({ role: r }, p)),
        p,
      ).toBe(true);
    }
    // A global permission is never granted "own": there is no proposal to be own.
    for (const r of ROLES) for (const g of grantsOf(r)) if (g.permission in GLOBAL_PERMISSIONS) expect(g.access, `${r} ${g.permission}`).toBe("any");
  });
});
