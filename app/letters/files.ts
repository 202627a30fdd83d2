/**
 * File names of letters (downloads, the ZIP export, the CLI) and the Content-Disposition
 * header that carries them. Pure; used on the server and in the CLI.
 */
import type { LetterKind } from "~/domain/letter";

export const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** Characters Windows, macOS or a ZIP reader refuse or misread in a file name. */
const UNSAFE = /[\\/:*?"<>|\u0000-\u001F\u007F]/g;

export function safeFileName(name: string): string {
  const cleaned = name.replace(UNSAFE, "_").replace(/\s+/g, " ").trim().replace(/^\.+/, "");
  return cleaned || "_";
}

/**
 * 东工信函〔2021〕108号_第10121号提案答复.docx for a signed letter; 草稿_第30123号提案答复.docx
 * for a draft (it has no number yet); a 会办意见 says so instead of 答复.
 */
export function letterFileName(l: { documentNumber: string | null; proposalNumber: string; kind?: LetterKind; draft: boolean; public?: boolean }): string {
  const what = l.kind === "co_handling_opinion" ? "会办意见" : "答复";
  const prefix = l.draft || !l.documentNumber ? "草稿" : l.documentNumber;
  return safeFileName(`${prefix}_第${l.proposalNumber}号提案${what}${l.public ? "（公开版）" : ""}.docx`);
}

/** RFC 5987 value: UTF-8, percent-encoded, with the characters encodeURIComponent leaves alone but attr-char excludes. */
export function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `attachment; filename="ascii fallback"; filename*=UTF-8''…` (RFC 6266 / 5987): browsers use
 * the UTF-8 name; the fallback keeps the extension for old clients.
 */
export function contentDisposition(fileName: string, fallback?: string): string {
  const ext = /\.[A-Za-z0-9]{1,8}$/.exec(fileName)?.[0] ?? "";
  const ascii = (fallback ?? fileName)
    .replace(/[^\x20-\x7E]/g, "")
    .replace(/["\\%;]/g, "")
    .trim();
  const plain = ascii && ascii !== ext ? ascii : `download${ext}`;
  return `attachment; filename="${plain}"; filename*=UTF-8''${rfc5987(fileName)}`;
}

/** Headers for a file download that must not be cached by shared caches. */
export function downloadHeaders(fileName: string, type: string, size?: number, opts: { fallback?: string; cache?: string } = {}): Record<string, string> {
  return {
    "Content-Type": type,
    ...(size !== undefined ? { "Content-Length": String(size) } : {}),
    "Content-Disposition": contentDisposition(fileName, opts.fallback),
    "Cache-Control": opts.cache ?? "private, no-store",
    "X-Content-Type-Options": "nosniff",
  };
}

/** Gives repeated names a suffix (名称_2.docx), for archives that hold many letters. */
export function uniqueNamer(): (name: string) => string {
  const used = new Set<string>();
  return (name) => {
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
    const dot = name.lastIndexOf(".");
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
    for (let i = 2; ; i++) {
      const candidate = `${stem}_${i}${ext}`;
      if (!used.has(candidate)) {
        used.add(candidate);
        return candidate;
      }
    }
  };
}
