import { describe, expect, it } from "vitest";
import { foldIcsLines } from "./ics";

const octets = (s: string) => new TextEncoder().encode(s).length;

describe("foldIcsLines", () => {
  it("folds every line at 75 octets, not characters, and unfolds back to the same text", () => {
    const long = `DESCRIPTION:${"东莞市政协第十三届六次会议".repeat(6)}\\n承办人：李泳`;
    const folded = foldIcsLines(`BEGIN:VEVENT\r\n${long}\r\nEND:VEVENT\r\n`);
    const lines = folded.split("\r\n");
    for (const l of lines) expect(octets(l), l).toBeLessThanOrEqual(75);
    expect(lines.filter((l) => l.startsWith(" ")).length).toBeGreaterThan(2);
    expect(folded.replace(/\r\n /g, "")).toBe(`BEGIN:VEVENT\r\n${long}\r\nEND:VEVENT\r\n`);
  });

  it("re-folds what a library folded by characters", () => {
    const byChars = `SUMMARY:${"提".repeat(67)}\r\n\t${"案".repeat(40)}`;
    const out = foldIcsLines(byChars);
    for (const l of out.split("\r\n")) expect(octets(l)).toBeLessThanOrEqual(75);
    expect(out.replace(/\r\n /g, "")).toBe(`SUMMARY:${"提".repeat(67)}${"案".repeat(40)}`);
  });

  it("leaves short lines alone", () => {
    expect(foldIcsLines("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")).toBe("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
  });
});
