import { describe, expect, it } from "vitest";
import { contentDisposition, letterFileName, rfc5987, safeFileName, uniqueNamer } from "./files";

describe("letter file names", () => {
  it("names a signed letter by 文号 and 提案号, a draft by 提案号", () => {
    expect(letterFileName({ documentNumber: "东工信函〔2021〕108号", proposalNumber: "10121", draft: false })).toBe("东工信函〔2021〕108号_第10121号提案答复.docx");
    expect(letterFileName({ documentNumber: null, proposalNumber: "30123", draft: true })).toBe("草稿_第30123号提案答复.docx");
    expect(letterFileName({ documentNumber: "东工信函〔2021〕108号", proposalNumber: "30123", draft: true })).toBe("草稿_第30123号提案答复.docx");
    expect(letterFileName({ documentNumber: "东工信函〔2022〕5号", proposalNumber: "30210", kind: "co_handling_opinion", draft: false })).toBe(
      "东工信函〔2022〕5号_第30210号提案会办意见.docx",
    );
    expect(letterFileName({ documentNumber: "东工信函〔2021〕108号", proposalNumber: "10121", draft: false, public: true })).toBe(
      "东工信函〔2021〕108号_第10121号提案答复（公开版）.docx",
    );
  });

  it("never lets a proposal number make a path", () => {
    expect(letterFileName({ documentNumber: null, proposalNumber: "../1/2", draft: true })).toBe("草稿_第.._1_2号提案答复.docx");
    expect(safeFileName("..\\a:b*c?")).toBe("_a_b_c_");
    expect(safeFileName("")).toBe("_");
  });

  it("numbers repeated names", () => {
    const name = uniqueNamer();
    expect(["a.docx", "a.docx", "a.docx", "b"].map(name)).toEqual(["a.docx", "a_2.docx", "a_3.docx", "b"]);
  });
});

describe("Content-Disposition", () => {
  it("carries the UTF-8 name per RFC 5987 with an ASCII fallback", () => {
    const h = contentDisposition("东工信函〔2021〕108号_第10121号提案答复.docx", "letter-10121.docx");
    expect(h).toBe(`attachment; filename="letter-10121.docx"; filename*=UTF-8''${encodeURIComponent("东工信函〔2021〕108号_第10121号提案答复.docx")}`);
    expect(decodeURIComponent(h.split("''")[1])).toBe("东工信函〔2021〕108号_第10121号提案答复.docx");
  });

  it("encodes the characters attr-char excludes and keeps quotes out of the fallback", () => {
    expect(rfc5987("a'b(c)*d e")).toBe("a%27b%28c%29%2Ad%20e");
    expect(contentDisposition('x"y;.zip')).toMatch(/^attachment; filename="xy.zip"; /);
    expect(contentDisposition("答复.docx")).toMatch(/^attachment; filename="download.docx"; /);
  });
});
