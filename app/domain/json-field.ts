import { z } from "zod";

/**
 * A form field that carries JSON from one step of an import to the next (a hidden input), parsed
 * and then checked with `schema`. Only a tampered or truncated post breaks it, so the message asks
 * for the file again.
 */
export const jsonField = <T extends z.ZodTypeAny>(schema: T) =>
  z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "导入数据无效，请重新上传文件。" });
        return z.NEVER;
      }
    })
    .pipe(schema);
