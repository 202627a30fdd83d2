/**
 * What an account is made of, as the forms and the CLI take it: checked in the browser (the admin's
 * 新建用户 form) and again on the server by the same schemas.
 */
import { z } from "zod";
import { mergeFields } from "./field-merge";
import { foldFullWidthDigits } from "./full-width";
import { ROLES } from "./roles";

const phone = z
  .string()
  .trim()
  .transform(foldFullWidthDigits)
  .pipe(
    z
      .string()
      // (with five digits at least: "(((((" passed and was printed on letters)
      .regex(/^$|^(?=(?:\D*\d){5})[0-9\-+() ]{5,20}$/, "请填写有效的电话号码，例如 28685020 或 0769-28685020"),
  );

/** An address for e-mail notices; empty means none. */
export const emailSchema = z
  .string()
  .trim()
  .max(200, "邮箱地址过长")
  .refine((v) => v === "" || z.email().safeParse(v).success, "请填写有效的电子邮箱地址，例如 liyong@dg.gov.cn")
  .transform((v) => v.toLowerCase() || null);

export const userInputSchema = z.object({
  username: z
    .string({ error: "请填写用户名" })
    .trim()
    .min(2, "用户名至少 2 个字符")
    .max(40, "用户名不能超过 40 个字符")
    .regex(/^[a-zA-Z0-9_.-]+$/, "用户名只能使用字母、数字、下划线、点和连字符"),
  displayName: z.string({ error: "请填写姓名" }).trim().min(1, "请填写姓名").max(40, "姓名不能超过 40 个字符"),
  role: z.enum(ROLES, { error: "请选择角色" }),
  phone: phone.optional().transform((s) => s || null),
  email: emailSchema.optional().transform((s) => s ?? null),
  password: z.string({ error: "请设置密码" }).min(10, "密码至少 10 个字符").max(200, "密码过长"),
});
export type UserInput = z.input<typeof userInputSchema>;

export const userUpdateSchema = userInputSchema.omit({ username: true, password: true }).extend({
  /** a checkbox: "on" when ticked, absent when not */
  disabled: z.boolean().default(false),
  password: z
    .string()
    .optional()
    .transform((s) => s || undefined)
    .pipe(z.string().min(10, "密码至少 10 个字符").max(200, "密码过长").optional()),
});

/** 个人设置 → 修改密码: the current password, the new one twice. */
export const passwordChangeSchema = z
  .object({
    current: z.string({ error: "请填写当前密码" }).min(1, "请填写当前密码").max(200, "密码过长"),
    next: z.string({ error: "请设置新密码" }).min(10, "新密码至少 10 个字符").max(200, "密码过长"),
    confirm: z.string({ error: "请再次输入新密码" }),
  })
  .refine((v) => v.next === v.confirm, { path: ["confirm"], message: "两次输入的新密码不一致" })
  .refine((v) => v.next !== v.current, { path: ["next"], message: "新密码不能与当前密码相同" });

/** The sign-in page: what was typed, and where to go after. */
export const signInSchema = z.object({
  username: z.string({ error: "请填写用户名" }).trim().min(1, "请填写用户名").max(40, "用户名过长"),
  password: z.string({ error: "请填写密码" }).min(1, "请填写密码").max(200, "密码过长"),
  redirectTo: z.string().optional(),
});

/** 个人设置 → 通知邮箱: the address (empty clears it), the one the page showed, the password to confirm. */
export const emailChangeSchema = z.object({
  intent: z.literal("email"),
  // (conform hands an emptied field over as missing, on a pipe's output too: that is no address)
  email: z
    .string()
    .optional()
    .superRefine((s, ctx) => {
      const checked = emailSchema.safeParse(s ?? "");
      if (!checked.success) ctx.addIssue({ code: "custom", message: checked.error.issues[0]!.message });
    })
    .transform((s) => emailSchema.parse(s ?? "")),
  /** the address the page showed: a change made meanwhile (by an admin) is said, not overwritten unseen */
  seenEmail: z
    .string()
    .max(200)
    .optional()
    .transform((s) => s ?? ""),
  /** asked only when the address changes (checked on the server: saving the same address needs none) */
  emailPassword: z.string().max(200, "密码过长").optional(),
});

/** The fields 修改用户 edits, as the form holds them (a ticked box is "on", an empty field ""). */
export type AccountFormValues = { displayName: string; role: string; phone: string; email: string; disabled: string };
export const ACCOUNT_FORM_FIELDS = ["displayName", "role", "phone", "email", "disabled"] as const;

export function accountFormValues(u: { displayName: string; role: string; phone: string | null; email: string | null; disabled: boolean }): AccountFormValues {
  return { displayName: u.displayName, role: u.role, phone: u.phone ?? "", email: u.email ?? "", disabled: u.disabled ? "on" : "" };
}

/** The `opened` field of the form (the values it was opened with), or null when absent or forged. */
export function openedAccountValues(raw: unknown): AccountFormValues | null {
  if (typeof raw !== "string") return null;
  try {
    const parsed = z.object(Object.fromEntries(ACCOUNT_FORM_FIELDS.map((k) => [k, z.string().max(400)]))).safeParse(JSON.parse(raw));
    return parsed.success ? (parsed.data as AccountFormValues) : null;
  } catch {
    return null;
  }
}

/** 修改用户 saved from a page opened before a colleague's save (see mergeFields). */
export function mergeAccountEdits(p: { base: AccountFormValues | null; mine: AccountFormValues; theirs: AccountFormValues }) {
  return mergeFields(ACCOUNT_FORM_FIELDS, p);
}
