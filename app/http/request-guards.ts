/**
 * What the HTTP server refuses before any parsing (scripts/server.ts). Pure, unit-tested.
 *
 * CSRF: a state-changing request must carry an Origin equal to this site. Browsers send Origin
 * on every POST; a missing one or "null" (sandboxed frames, some redirects) is refused, like a
 * foreign one. Together with SameSite=Lax session cookies this is the whole CSRF policy.
 *
 * Size: bodies are capped by their declared length before they are read — 8 MB for forms,
 * twice MAX_UPLOAD_MB (+1 MB) for multipart uploads: a file somewhat over the limit still reaches
 * the form, which says so beside the field and keeps what was typed (the parser stops keeping
 * bytes at the limit); a body without a length is refused.
 */
export const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** The largest ordinary form: a draft of many long paragraphs. */
export const MAX_FORM_BYTES = 8 * 1024 * 1024;

export type Refusal = { status: 400 | 403 | 404 | 411 | 413 | 414 | 415; message: string };

/** Database ids are 32-bit: a larger number in a path names nothing. */
const MAX_ID = 2_147_483_647;
const MAX_URL_LENGTH = 8192;

/** URLs no page can answer: refused with a clear status instead of reaching a query and failing there. */
export function checkUrl(rawUrl: string): Refusal | null {
  if (rawUrl.length > MAX_URL_LENGTH) return { status: 414, message: "网址过长。" };
  const [path = "", query = ""] = rawUrl.split("?", 2);
  let decodedPath: string;
  let decodedQuery: string;
  try {
    decodedPath = decodeURIComponent(path);
    decodedQuery = decodeURIComponent(query.replace(/\+/g, " "));
  } catch {
    return { status: 400, message: "网址中有无效的编码。" };
  }
  if (decodedPath.includes("\u0000") || decodedQuery.includes("\u0000")) return { status: 400, message: "网址中有无效的字符。" };
  if (decodedPath.split("/").some((seg) => /^\d+$/.test(seg) && (seg.length > 10 || Number(seg) > MAX_ID))) return { status: 404, message: "页面不存在。" };
  // Remix's data requests ask for a page's loader data as `<path>.data`; a download's "data" is the
  // file (in a turbo-stream), recorded as a download: no such URL. (print.json's is how the print
  // preview's fetcher loads it: allowed, GET only — checkMethod.)
  const dataOf = /\.data$/i.test(decodedPath) ? decodedPath.slice(0, -5) : null;
  if (dataOf && (DOWNLOAD_PATHS.test(dataOf) || FEED_PATHS.test(dataOf))) return { status: 404, message: "页面不存在。" };
  // `?_data=` is the data request of Remix before single fetch: this app never makes one, and
  // Remix answers it in English and logs a stack trace per request (anyone could fill the log).
  if (new URLSearchParams(query).has("_data")) return { status: 400, message: "网址中有不支持的参数（_data）。" };
  return null;
}

/**
 * Files: prints, exports and downloads recorded in the audit log. Remix runs a route's loader for
 * HEAD and OPTIONS too — as if the letter had been taken — so these answer GET only.
 */
const DOWNLOAD_PATHS = /\.(?:pdf|docx|zip|png|xlsx|csv|ics)$|^\/(?:library\/documents\/\d+\/file|proposals\/\d+\/files\/\d+)$/i;
const FILE_PATHS = new RegExp(`${DOWNLOAD_PATHS.source}|\\.json$`, "i");
/** The public feed and open data: read-only, HEAD welcome (feed readers ask it). (print.json is a print: a file.) */
const FEED_PATHS = /^\/public\/[^/]+\.(?:json|atom)$/i;

export type MethodAnswer = { status: 204 | 405; allow: string; message: string };

/**
 * Which methods a path takes, answered before Remix: a method it does not take (TRACE made
 * `new Request()` throw: a 500; POST to a download: an English "Unexpected Server Error" and a
 * stack trace in the log) is a 405 with `Allow`; OPTIONS is answered here with `Allow`, never by
 * a loader. A page without an action still gets Remix's own 405 for POST.
 */
export function checkMethod(method: string, requested: string): MethodAnswer | null {
  // a data request (`print.json.data`, by a fetcher) takes what its route takes
  const path = requested.replace(/\.data$/i, "");
  const allow = FEED_PATHS.test(path) ? "GET, HEAD" : FILE_PATHS.test(path) ? "GET" : "GET, HEAD, POST";
  if (method === "OPTIONS") return { status: 204, allow, message: "" };
  if (allow.split(", ").includes(method)) return null;
  return { status: 405, allow, message: `此地址不支持 ${method.slice(0, 20)} 请求（支持：${allow}）。` };
}

export function checkOrigin(r: { method: string; origin: string | undefined; host: string | undefined }): Refusal | null {
  if (SAFE_METHODS.has(r.method.toUpperCase())) return null;
  let host: string | null = null;
  try {
    host = r.origin && r.origin !== "null" ? new URL(r.origin).host : null;
  } catch {
    host = null;
  }
  if (!host || !r.host || host !== r.host) return { status: 403, message: "跨站或来源不明的请求已被拒绝。请从本系统的页面提交。" };
  return null;
}

/**
 * The pages that take files (their actions read the body with readMultipartForm): only they get the
 * upload limit — posted to the page, without JavaScript, or to its `.data` address (single fetch),
 * as a form is posted with it: a file over the form limit was refused there with a bare 413.
 */
const UPLOAD_PATHS = /^\/(?:proposals\/new|proposals\/import|proposals\/\d+|library\/import)(?:\/|\.data)?$/;

export function checkBodySize(r: {
  method: string;
  /** The request's path (no query): a multipart body elsewhere has the form limit. */
  path: string;
  contentType: string | undefined;
  contentLength: string | undefined;
  transferEncoding: string | undefined;
  maxUploadMb: number;
}): Refusal | null {
  if (SAFE_METHODS.has(r.method.toUpperCase())) return null;
  const type = (r.contentType ?? "").toLowerCase();
  const multipart = type.startsWith("multipart/form-data");
  // Every action reads a form: any other body (JSON, text) made request.formData() throw — a 500.
  if (!multipart && !type.startsWith("application/x-www-form-urlencoded")) return { status: 415, message: "请求格式无效：请通过页面上的表单提交。" };
  // Any action parses a multipart body whole into memory (request.formData()): only the upload
  // pages may take files, the others (sign-in among them, without an account) the form limit.
  const upload = multipart && UPLOAD_PATHS.test(r.path);
  const limit = upload ? (2 * r.maxUploadMb + 1) * 1024 * 1024 : MAX_FORM_BYTES;
  if (r.contentLength === undefined) {
    return r.transferEncoding ? { status: 411, message: "请求缺少长度信息。" } : null;
  }
  const n = Number(r.contentLength);
  if (!Number.isFinite(n) || n < 0) return { status: 411, message: "请求长度无效。" };
  if (n > limit) return { status: 413, message: upload ? `上传的文件过大：不能超过 ${r.maxUploadMb} MB。` : "提交的内容过大。" };
  return null;
}

/**
 * For a GET that is more than a read — an audited download, a print, an export: a link on another
 * site (a top-level navigation, which carries the SameSite=Lax cookie) must not make one in the
 * user's name; the pages offering them are this site's. Browsers send Sec-Fetch-Site only over
 * HTTPS and to localhost, so on a plain-HTTP intranet this guard is absent; scripts and the CLI
 * send no such header.
 */
export function refuseCrossSite(request: Request, message: string) {
  if (request.headers.get("Sec-Fetch-Site") === "cross-site") throw new Response(message, { status: 403 });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A refusal as a page, for a browser that asked for one (a mistyped or forged address): plain text
 * reads as a broken site to a member of the public. No script, no outside asset.
 */
export function refusalPage(r: { status: number; message: string }): string {
  const title = r.status === 404 ? "页面不存在" : "无法处理此请求";
  // the heading already says it: the line below says why instead of repeating it
  const message = r.message === `${title}。` ? "网址可能有误，或所指的内容已不存在。" : r.message;
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#0f172a"><h1 style="font-size:1.25rem">${title}</h1><p>${escapeHtml(message)}</p><p><a href="/public">答复公开</a> · <a href="/">首页</a></p></body></html>`;
}
