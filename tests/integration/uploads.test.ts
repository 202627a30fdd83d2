/** Reading upload forms as browsers send them (no database needed, but a real multipart body). */
import { afterEach, describe, expect, it } from "vitest";
import { resetConfig } from "~/config.server";
import { NOT_MULTIPART, readMultipartForm, readUpload, sanitizeFileName } from "~/models/upload.server";
import { MAX_LIBRARY_PLAN_FIELD_BYTES, MAX_LIBRARY_PLAN_FIELDS } from "~/models/library-import.server";

const pdf = (bytes: number) => {
  const b = Buffer.alloc(bytes, 0x20);
  b.write("%PDF-1.4\n");
  return b;
};

function request(fields: Record<string, string>, file: { name: string; content: Buffer; type: string }) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append("file", new File([new Uint8Array(file.content)], file.name, { type: file.type }));
  return new Request("http://app.test/proposals/new", { method: "POST", body: fd });
}

describe("multipart forms", () => {
  const before = process.env.MAX_UPLOAD_MB;
  afterEach(() => {
    if (before === undefined) delete process.env.MAX_UPLOAD_MB;
    else process.env.MAX_UPLOAD_MB = before;
    resetConfig();
  });

  it("keep file names with ; and = (which made every upload form fail with 500), Chinese intact", async () => {
    for (const name of ["会议纪要;附件.pdf", "政策=2021.pdf", "提案 “原件”.pdf"]) {
      const { form, tooLarge } = await readMultipartForm(request({ title: "关于某事的建议" }, { name, content: pdf(2000), type: "application/pdf" }));
      expect(tooLarge).toBe(false);
      expect(form.get("title")).toBe("关于某事的建议");
      const up = await readUpload(form.get("file"));
      expect(up.error, name).toBeUndefined();
      expect(up.file!.mediaType).toBe("application/pdf");
      expect(up.file!.fileName.endsWith(".pdf")).toBe(true);
      expect(up.file!.fileName).toContain(name.slice(0, 2));
    }
  });

  it("a file over the limit is reported while every typed field is kept", async () => {
    process.env.MAX_UPLOAD_MB = "1";
    resetConfig();
    const fields = { meeting: "东莞市政协第十四届五次会议", number: "39555", title: "关于某事的建议", proposers: "张三" };
    const { form, tooLarge } = await readMultipartForm(request(fields, { name: "大文件.pdf", content: pdf(1_500_000), type: "application/pdf" }));
    expect(tooLarge).toBe(true);
    expect(form.get("file")).toBeNull();
    for (const [k, v] of Object.entries(fields)) expect(form.get(k)).toBe(v);
  });

  it("a field over its limit is refused whole, never cut; the library import's plan step takes a 10 MB source back as base64", async () => {
    // the plan step carries the source file (base64, 4/3 of its size): a 7 MB DOCX made a 9.3 MB field
    const source = JSON.stringify({ content: Buffer.alloc(7 * 1024 * 1024, 1).toString("base64") });
    const cut = await readMultipartForm(request({ intent: "import", source }, { name: "a.txt", content: Buffer.from("x"), type: "text/plain" }));
    expect(cut.tooLarge).toBe(true);
    expect(cut.form.get("source")).toBeNull(); // not a shortened, broken JSON
    const whole = await readMultipartForm(request({ intent: "import", source }, { name: "a.txt", content: Buffer.from("x"), type: "text/plain" }), {
      maxFieldBytes: MAX_LIBRARY_PLAN_FIELD_BYTES,
    });
    expect(whole.tooLarge).toBe(false);
    expect(whole.form.get("source")).toBe(source);
  });

  it("a body that is not multipart is read to its end and dropped (left unread, it stalled the kept-alive connection's next request)", async () => {
    let sent = 0;
    const chunks = 50;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === chunks) controller.close();
        else {
          sent++;
          controller.enqueue(new Uint8Array(64 * 1024).fill(97));
        }
      },
    });
    const post = new Request("http://localhost/library/import", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
      duplex: "half",
    } as RequestInit);
    const refused = await readMultipartForm(post).then(
      () => null,
      (e: unknown) => e,
    );
    // answered as such (415, saying how the form must be sent), not read as a form with every field empty
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(415);
    expect(await (refused as Response).text()).toBe(NOT_MULTIPART);
    expect(sent).toBe(chunks);
  });

  it("a form with more fields than allowed is refused, never read without its last fields; a library plan of 3,000 candidates fits", async () => {
    // a plan of 150 candidates (a 35,000-character policy document) lost its 确认导入 past field 500
    const plan = (n: number) => {
      const fields: Record<string, string> = {};
      for (let i = 0; i < n; i++) Object.assign(fields, { [`action-${i}`]: "new", [`title-${i}`]: `标题${i}`, [`tags-${i}`]: "", [`split-${i}`]: "", [`seen-${i}`]: "" });
      return { ...fields, intent: "confirm" };
    };
    const cut = await readMultipartForm(request(plan(150), { name: "a.txt", content: Buffer.from("x"), type: "text/plain" }));
    expect(cut.tooLarge).toBe(true);
    const whole = await readMultipartForm(request(plan(3000), { name: "a.txt", content: Buffer.from("x"), type: "text/plain" }), { maxFields: MAX_LIBRARY_PLAN_FIELDS });
    expect(whole.tooLarge).toBe(false);
    expect(whole.form.get("intent")).toBe("confirm");
    expect(whole.form.get("title-2999")).toBe("标题2999");
  });

  it("a body cut off inside a file part is refused whole, and the server lives on (an unheard stream error ended the process)", async () => {
    const body = [
      '--X\r\nContent-Disposition: form-data; name="title"\r\n\r\n关于某事的建议\r\n',
      '--X\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nabc',
    ].join("");
    const cut = new Request("http://localhost/proposals/new", { method: "POST", headers: { "content-type": "multipart/form-data; boundary=X" }, body });
    // nothing of it is used (not the title without its file): the page answers 400 with a reason
    const refused = await readMultipartForm(cut).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(400);
    expect(await (refused as Response).text()).toBe("提交的内容无法读取。请回到本系统的页面重新提交。");
    // a well-formed form right after is read as usual
    expect((await readMultipartForm(request({ title: "下一件" }, { name: "b.txt", content: Buffer.from("x"), type: "text/plain" }))).form.get("title")).toBe("下一件");
  });
});

describe("an uploaded file's name", () => {
  it("keeps 100 characters whole: a rare hanzi (𠮷) or an emoji at the cut is not split in half", () => {
    const name = `${"提".repeat(99)}𠮷𠮷附件.pdf`;
    const kept = sanitizeFileName(name, ".pdf");
    expect(kept).toBe(`${"提".repeat(99)}𠮷.pdf`);
    expect(kept).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(sanitizeFileName("../../etc/passwd", ".pdf")).toBe("passwd.pdf");
  });
});
