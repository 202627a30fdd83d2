/** Uploaded originals: type by content (not by name), size limits, safe names. */
import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { readConfig } from "~/config.server";
import { ALLOWED_UPLOADS } from "~/domain/uploads";
import type { UploadedFile } from "./proposal.server";


export function maxUploadBytes() {
  return readConfig().MAX_UPLOAD_MB * 1024 * 1024;
}

/** Read a multipart form into memory; a file over the limit becomes a field error, not a crash. */
export async function readMultipartForm(request: Request): Promise<{ form: FormData; tooLarge: boolean }> {
  const handler = unstable_createMemoryUploadHandler({ maxPartSize: maxUploadBytes() });
  try {
    return { form: await unstable_parseMultipartFormData(request, handler), tooLarge: false };
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) return { form: new FormData(), tooLarge: true };
    throw e;
  }
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
  const stem = base.replace(/\.[^.]*$/, "").slice(0, 100) || "原件";
  return stem + ext;
}

/** Validate an optional uploaded file. Returns the file, nothing (no file chosen), or a zh-CN error. */
export async function readUpload(value: FormDataEntryValue | null): Promise<{ file: UploadedFile | null; error?: string }> {
  if (!value || typeof value === "string") return { file: null };
  if (value.size === 0 && !value.name) return { file: null };
  if (value.size === 0) return { file: null, error: "上传的文件是空的。" };
  if (value.size > maxUploadBytes()) return { file: null, error: `文件过大，上限为 ${readConfig().MAX_UPLOAD_MB} MB。` };
  const content = Buffer.from(await value.arrayBuffer());
  const type = detectType(content, value.name);
  if (!type) return { file: null, error: `不支持的文件类型。请上传 ${ALLOWED_UPLOADS} 文件。` };
  return { file: { fileName: sanitizeFileName(value.name, type.ext), mediaType: type.mediaType, content } };
}
