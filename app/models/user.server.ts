/** Users: create, list, update. Functions take (db, params) so they can run inside a transaction. */
import { asc, eq, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Db } from "#db/client.server";
import { users } from "#db/schema";
import { hashPassword } from "~/auth/password.server";
import { ROLES } from "~/domain/roles";

const phone = z
  .string()
  .trim()
  .regex(/^$|^[0-9\-＋+() ]{5,20}$/, "请填写有效的电话号码，例如 28685020 或 0769-28685020");

export const userInputSchema = z.object({
  username: z
    .string({ error: "请填写用户名" })
    .trim()
    .min(2, "用户名至少 2 个字符")
    .max(40, "用户名不能超过 40 个字符")
    .regex(/^[a-zA-Z0-9_.\-]+$/, "用户名只能使用字母、数字、下划线、点和连字符"),
  displayName: z.string({ error: "请填写姓名" }).trim().min(1, "请填写姓名").max(40, "姓名不能超过 40 个字符"),
  role: z.enum(ROLES, { error: "请选择角色" }),
  phone: phone.optional().transform((s) => s || null),
  password: z.string({ error: "请设置密码" }).min(10, "密码至少 10 个字符").max(200, "密码过长"),
});
export type UserInput = z.input<typeof userInputSchema>;

export const userUpdateSchema = userInputSchema
  .omit({ username: true, password: true })
  .extend({
    disabled: z.boolean(),
    password: z
      .string()
      .optional()
      .transform((s) => s || undefined)
      .pipe(z.string().min(10, "密码至少 10 个字符").max(200, "密码过长").optional()),
  });

export class UsernameTakenError extends Error {
  constructor(public username: string) {
    super(`用户名 ${username} 已存在。`);
  }
}

export async function createUser(db: Db, input: z.output<typeof userInputSchema>) {
  const [existing] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = lower(${input.username})`);
  if (existing) throw new UsernameTakenError(input.username);
  const [row] = await db
    .insert(users)
    .values({
      id: randomUUID(),
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      phone: input.phone,
      passwordHash: await hashPassword(input.password),
    })
    .returning({ id: users.id });
  return row.id;
}

export async function updateUser(db: Db, id: string, input: z.output<typeof userUpdateSchema>) {
  const set: Partial<typeof users.$inferInsert> = {
    displayName: input.displayName,
    role: input.role,
    phone: input.phone,
    disabled: input.disabled,
  };
  if (input.password) set.passwordHash = await hashPassword(input.password);
  const rows = await db.update(users).set(set).where(eq(users.id, id)).returning({ id: users.id });
  return rows.length === 1;
}

export async function findUserForSignIn(db: Db, username: string) {
  const [row] = await db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`);
  return row ?? null;
}

const publicColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  phone: users.phone,
  disabled: users.disabled,
  createdAt: users.createdAt,
};

export async function listUsers(db: Db) {
  return db.select(publicColumns).from(users).orderBy(asc(users.role), asc(users.username));
}

export async function getUser(db: Db, id: string) {
  const [row] = await db.select(publicColumns).from(users).where(eq(users.id, id));
  return row ?? null;
}

export async function countUsers(db: Db) {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row.n;
}
