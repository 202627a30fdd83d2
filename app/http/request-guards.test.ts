import { describe, expect, it } from "vitest";
import { checkBodySize, checkMethod, checkOrigin, checkUrl, MAX_FORM_BYTES, refusalPage } from "./request-guards";

describe("CSRF: state-changing requests need this site's Origin", () => {
  const host = "proposals.dg.gov.cn";
  it("accepts this site, and reads without any Origin", () => {
    expect(checkOrigin({ method: "POST", origin: `https://${host}`, host })).toBeNull();
    expect(checkOrigin({ method: "GET", origin: undefined, host })).toBeNull();
  });
  it("refuses a foreign, missing, null or malformed Origin (never a 500)", () => {
    for (const origin of ["https://evil.example", undefined, "null", "not a url", `https://${host}.evil.example`]) {
      expect(checkOrigin({ method: "POST", origin, host }), String(origin)).toMatchObject({ status: 403 });
    }
  });
});

describe("body size, before anything reads the body", () => {
  const base = { method: "POST", path: "/proposals/new", transferEncoding: undefined, maxUploadMb: 20 };
  it("caps forms small and uploads at MAX_UPLOAD_MB", () => {
    expect(checkBodySize({ ...base, contentType: "application/x-www-form-urlencoded", contentLength: String(100 * 1024 * 1024) })).toMatchObject({ status: 413 });
    expect(checkBodySize({ ...base, contentType: "application/x-www-form-urlencoded", contentLength: String(MAX_FORM_BYTES) })).toBeNull();
    expect(checkBodySize({ ...base, contentType: "multipart/form-data; boundary=x", contentLength: String(20 * 1024 * 1024) })).toBeNull();
    // Somewhat over the limit still reaches the form (which keeps what was typed); far over is refused here.
    expect(checkBodySize({ ...base, contentType: "multipart/form-data; boundary=x", contentLength: String(22 * 1024 * 1024) })).toBeNull();
    expect(checkBodySize({ ...base, contentType: "multipart/form-data; boundary=x", contentLength: String(42 * 1024 * 1024) })).toMatchObject({
      status: 413,
      message: "上传的文件过大：不能超过 20 MB。",
    });
  });
  it("the upload limit only on the pages that take files: elsewhere (sign-in without an account) a multipart body has the form limit", () => {
    const big = { ...base, contentType: "multipart/form-data; boundary=x", contentLength: String(20 * 1024 * 1024) };
    // with JavaScript a form is posted to the page's .data address (single fetch)
    for (const path of ["/proposals/new", "/proposals/import", "/proposals/12", "/library/import", "/proposals/12.data", "/proposals/new.data", "/library/import.data"])
      expect(checkBodySize({ ...big, path }), path).toBeNull();
    for (const path of ["/login", "/account", "/proposals/12/letter", "/admin/users/x", "/proposals/new/x", "/login.data", "/proposals/12/letter.data"])
      expect(checkBodySize({ ...big, path }), path).toMatchObject({ status: 413, message: "提交的内容过大。" });
    expect(checkBodySize({ ...big, path: "/login", contentLength: String(MAX_FORM_BYTES) })).toBeNull();
  });
  it("takes forms only: a JSON or text body, or none declared, is refused before an action reads it", () => {
    for (const contentType of ["application/json", "text/plain", undefined])
      expect(checkBodySize({ ...base, contentType, contentLength: "2" }), String(contentType)).toMatchObject({ status: 415 });
    expect(checkBodySize({ ...base, method: "GET", contentType: undefined, contentLength: undefined })).toBeNull();
  });
  it("refuses a streamed body of unknown length", () => {
    expect(checkBodySize({ ...base, contentType: "application/x-www-form-urlencoded", contentLength: undefined, transferEncoding: "chunked" })).toMatchObject({ status: 411 });
  });
});

describe("URLs no page can answer", () => {
  it("404 for ids beyond 32 bits, 400 for NUL or broken encoding, 414 when too long", () => {
    expect(checkUrl("/proposals/2147483647")).toBeNull();
    expect(checkUrl("/proposals/2147483648")).toMatchObject({ status: 404 });
    expect(checkUrl("/library/99999999999999999999")).toMatchObject({ status: 404 });
    expect(checkUrl("/proposals?q=%00")).toMatchObject({ status: 400 });
    expect(checkUrl("/proposals/%00")).toMatchObject({ status: 400 });
    expect(checkUrl("/proposals?q=%E4%B8")).toMatchObject({ status: 400 });
    expect(checkUrl("/proposals?q=" + encodeURIComponent("专".repeat(1000)))).toMatchObject({ status: 414 });
    expect(checkUrl("/proposals?q=%E4%B8%93%E7%B2%BE%E7%89%B9%E6%96%B0&page=2")).toBeNull();
  });
  it("a file's Remix data request is no URL (it would serve the file past the method check); `?_data=` is refused in Chinese", () => {
    for (const path of [
      "/proposals/2/letter.docx.data",
      "/proposals/2/letter.pdf.DATA",
      "/library/documents/3/file.data",
      "/proposals/1/files/2.data",
      "/public/feed.atom.data",
      "/stats.xlsx.data",
    ])
      expect(checkUrl(path)).toMatchObject({ status: 404 });
    // pages keep theirs: client navigation fetches them; so does the print preview's fetcher its facts
    for (const path of ["/proposals/2.data", "/proposals.data?q=1", "/_root.data", "/public/108.data", "/proposals/2/letter/print.json.data"]) expect(checkUrl(path)).toBeNull();
    // …GET only, as print.json itself (a HEAD would start a LibreOffice conversion)
    expect(checkMethod("GET", "/proposals/2/letter/print.json.data")).toBeNull();
    expect(checkMethod("HEAD", "/proposals/2/letter/print.json.data")).toMatchObject({ status: 405, allow: "GET" });
    expect(checkUrl("/login?_data=x")).toMatchObject({ status: 400, message: expect.stringContaining("_data") });
    expect(checkUrl("/public?q=1&_data=routes%2Fpublic._index")).toMatchObject({ status: 400 });
    expect(checkUrl("/public?q=_data")).toBeNull();
  });
});

describe("checkMethod", () => {
  it("pages take GET, HEAD and POST; downloads GET only; the feed and open data GET and HEAD", () => {
    for (const m of ["GET", "HEAD", "POST"]) expect(checkMethod(m, "/proposals/1")).toBeNull();
    expect(checkMethod("GET", "/proposals/1/letter.pdf")).toBeNull();
    expect(checkMethod("HEAD", "/proposals/1/letter.pdf")).toMatchObject({ status: 405, allow: "GET" });
    expect(checkMethod("POST", "/deadlines.ics")).toMatchObject({ status: 405, allow: "GET" });
    expect(checkMethod("HEAD", "/proposals/1/files/2")).toMatchObject({ status: 405, allow: "GET" });
    expect(checkMethod("HEAD", "/public/feed.atom")).toBeNull();
    expect(checkMethod("POST", "/public/replies.json")).toMatchObject({ status: 405, allow: "GET, HEAD" });
    // the print preview's facts start a LibreOffice conversion: GET only
    expect(checkMethod("HEAD", "/proposals/3/letter/print.json")).toMatchObject({ status: 405, allow: "GET" });
  });
  it("OPTIONS is answered with the allowed methods; any other method is refused in Chinese", () => {
    expect(checkMethod("OPTIONS", "/stats.xlsx")).toEqual({ status: 204, allow: "GET", message: "" });
    expect(checkMethod("OPTIONS", "/")).toMatchObject({ status: 204, allow: "GET, HEAD, POST" });
    for (const m of ["TRACE", "PUT", "DELETE", "PATCH", "PROPFIND"])
      expect(checkMethod(m, "/proposals.data")).toMatchObject({ status: 405, message: expect.stringContaining(`不支持 ${m} 请求`) });
  });
});

describe("a refusal a browser asked for", () => {
  it("is a page in Chinese with the way back, the message escaped", () => {
    const page = refusalPage({ status: 404, message: "页面不存在。<script>" });
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain("<title>页面不存在</title>");
    expect(page).toContain("页面不存在。&#60;script&#62;");
    expect(page).toContain('<a href="/public">答复公开</a>');
    expect(page).not.toContain("<script>");
  });
});
