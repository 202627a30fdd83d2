/** Uploaded originals: type by content (not by name), size limits, safe names. */
import { Readable } from "node:stream";
import busboy from "busboy";
import { config } from "~/config.server";
import { refuseHugeListIndex, unreadableForm } from "~/http/form.server";
import { ALLOWED_UPLOADS } from "~/domain/uploads";
import { extractAttachmentText } from "./attachment-text.server";
import type { UploadedFile } from "./proposal.server";

async function discardBody(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  try {
    while (!(await reader.read()).done);
  } catch {
    /* cut short: nothing to keep */
  }
}

export function maxUploadBytes() {
  return config().MAX_UPLOAD_MB * 1024 * 1024;
}

/**
 * Read a multipart form into memory with busboy: file names as browsers send them (Chinese,
 * "会议纪要;附件.pdf", "政策=2021.txt" — Remix's own parser failed on ; and =), and a file over
 * the limit becomes a field error while every other field is kept, so nothing typed is lost.
 */
/** An upload page's form posted otherwise (urlencoded, JSON): said as such, not as every field missing. */
export const NOT_MULTIPART = "请从页面上的表单提交：带文件的表单须以 multipart/form-data 发送。";

/**
 * Throws the answer itself when the body is no multipart form (415, NOT_MULTIPART) or cannot be read
 * whole (400, as readForm: cut short, malformed parts) — nothing of such a body is used, and the
 * page says why instead of marking every field empty.
 */
export async function readMultipartForm(request: Request, opts: { maxFieldBytes?: number; maxFields?: number } = {}): Promise<{ form: FormData; tooLarge: boolean }> {
  const form = new FormData();
  let tooLarge = false;
  let malformed = false;
  const contentType = request.headers.get("content-type") ?? "";
  if (!request.body) return { form, tooLarge };
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
    // Read to its end and dropped: a body left unread held the kept-alive connection, and the
    // browser's next request on it stalled and was reset.
    await discardBody(request.body);
    throw new Response(NOT_MULTIPART, { status: 415, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  await new Promise<void>((resolve) => {
    // A body cut short (a dropped connection, a crafted post) or malformed parts: nothing of it is
    // used. Every stream's error is listened to: an unheard one on a file part ended the process.
    const fail = () => {
      malformed = true;
      resolve();
    };
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: { "content-type": contentType },
        defParamCharset: "utf8",
        limits: { fileSize: maxUploadBytes(), files: 5, fields: opts.maxFields ?? 500, fieldSize: opts.maxFieldBytes ?? 8 * 1024 * 1024 },
      });
    } catch {
      fail(); // a malformed boundary
      return;
    }
    bb.on("field", (name, value, info) => {
      // a cut value would be read as something else (broken JSON, a shortened text): refused as too large
      if (info.valueTruncated) tooLarge = true;
      else form.append(name, value.replaceAll("\u0000", ""));
    });
    // Fields past the limit are dropped silently by busboy: a form cut short is refused, never read as complete.
    bb.on("fieldsLimit", () => {
      tooLarge = true;
    });
    bb.on("file", (name, stream, info) => {
      const chunks: Buffer[] = [];
      let truncated = false;
      stream.on("error", fail);
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("limit", () => {
        truncated = true;
        tooLarge = true;
      });
      stream.on("end", () => {
        if (!truncated && (info.filename || chunks.length)) form.append(name, new File([new Uint8Array(Buffer.concat(chunks))], info.filename ?? "", { type: info.mimeType }));
      });
    });
    bb.on("close", () => resolve());
    bb.on("error", fail);
    const source = Readable.fromWeb(request.body as import("node:stream/web").ReadableStream<Uint8Array>);
    source.on("error", () => {
      source.unpipe(bb);
      bb.destroy();
      fail();
    });
    source.pipe(bb);
  });
  // a broken upload is never read as half a form
  if (malformed) throw unreadableForm();
  refuseHugeListIndex(form);
  return { form, tooLarge };
}

function detectType(bytes: Buffer, name: string): { mediaType: string; ext: string } | null {
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return { mediaType: "application/pdf", ext: ".pdf" };
  if (starts([0x89, 0x50, 0x4e, 0x47])) return { mediaType: "image/png", ext: ".png" };
  if (starts([0xff, 0xd8, 0xff])) return { mediaType: "image/jpeg", ext: ".jpg" };
  if (starts([0x50, 0x4b, 0x03, 0x04]) && /\.docx$/i.test(name) && bytes.includes(Buffer.from("word/")))
    return { mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ext: ".docx" };
  return null;
}

/** Keep a readable name (Chinese included) but nothing that could act as a path or header trick. */
export function sanitizeFileName(name: string, ext: string): string {
  const base = name
    .split(/[\\/]/)
    .pop()!
    .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, "")
    .replace(/^\.+/, "")
    .trim();
  // 100 characters, not UTF-16 units: a cut through 𠮷 or an emoji left half of it ("…�.pdf")
  const stem = [...base.replace(/\.[^.]*$/, "")].slice(0, 100).join("") || "原件";
  return stem + ext;
}

/** Validate an optional uploaded file. Returns the file, nothing (no file chosen), or a zh-CN error. */
export async function readUpload(value: FormDataEntryValue | null): Promise<{ file: UploadedFile | null; error?: string }> {
  if (!value || typeof value === "string") return { file: null };
  if (value.size === 0 && !value.name) return { file: null };
  if (value.size === 0) return { file: null, error: "上传的文件是空的。" };
  if (value.size > maxUploadBytes()) return { file: null, error: `文件过大，上限为 ${config().MAX_UPLOAD_MB} MB。` };
  const content = Buffer.from(await value.arrayBuffer());
  const type = detectType(content, value.name);
  if (!type) return { file: null, error: `不支持的文件类型。请上传 ${ALLOWED_UPLOADS} 文件。` };
  // Its text is read here, before the route's transaction: reading can take seconds, and a
  // registration holds the registration and deadline locks until it commits.
  return {
    file: { fileName: sanitizeFileName(value.name, type.ext), mediaType: type.mediaType, content, text: await extractAttachmentText({ mediaType: type.mediaType, content }) },
  };
}
