/**
 * The form that saves a library paragraph as a new version: one schema for the browser and the
 * server (conform). conform hands an emptied field over as missing, hence the defaults.
 */
import { z } from "zod";
import { sanitizeText } from "./letter";
import { countTags, MAX_TAGS, parseTags } from "./library";
import { optionalDateInputSchema } from "./proposal";

export const paragraphEditSchema = z.object({
  version: z.number().int().min(1),
  title: z
    .string({ error: "请填写标题" })
    .transform((s) => sanitizeText(s).replace(/\s+/g, " ").trim())
    .pipe(z.string().min(1, "请填写标题").max(80, "标题不能超过 80 个字")),
  body: z
    .string({ error: "请填写正文" })
    // Tabs are kept at the ends: a table's rows are tab-separated, and an empty first or last cell
    // is a leading or trailing tab (trimming it shifted the header row one column). The route
    // trims them too for plain paragraphs and 专栏.
    // The text a draft gets on insertion (control characters, BOMs, odd line breaks cleaned as in
    // the letter): stored otherwise, the library and the letters quoting it differed.
    .transform((s) => sanitizeText(s).replace(/^[^\S\t]+|[^\S\t]+$/g, ""))
    .pipe(
      z
        .string()
        .max(20_000, "正文不能超过 20000 字")
        .refine((s) => s.trim() !== "", "请填写正文"),
    ),
  tags: z
    .string()
    .max(400, "标签过长")
    .default("")
    .refine((s) => countTags(s) <= MAX_TAGS, `最多 ${MAX_TAGS} 个标签`)
    .transform((s) => parseTags(s)),
  asOf: optionalDateInputSchema,
  ownerId: z
    .string()
    .max(100)
    .optional()
    .transform((s) => s || null),
  /** The owner shown when the form was opened: a change is applied only if nobody changed it since. */
  ownerSeen: z
    .string()
    .max(100)
    .optional()
    .transform((s) => s || null),
  note: z.string().trim().max(200, "修改说明不能超过 200 个字").default(""),
});
