/**
 * The environment, validated once, in this one module: the rest of the app reads `config()`,
 * never `process.env`. Every variable is documented in README.md.
 */
import { z } from "zod";

const flag = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v === "1" || v === "true"));

/**
 * How many reverse proxies stand in front (1 for one nginx): the client's address is the entry the
 * nearest trusted proxy added to X-Forwarded-For, never one the client wrote ("true" means 1).
 */
const proxyHops = z
  .string()
  .regex(/^(\d|true|false)?$/, "TRUST_PROXY 应为代理层数（0–9，通常为 1）")
  .optional()
  .transform((v) => (v === undefined || v === "" || v === "false" || v === "0" ? undefined : v === "true" ? 1 : Number(v)));

/**
 * A PostgreSQL address the driver can use: its scheme, a database name (without one the app set
 * itself up in the server's default database) and decodable parts (%zz stopped the start with
 * "URI malformed").
 */
function isPostgresUrl(u: string): boolean {
  if (!/^postgres(ql)?:\/\//i.test(u) || !URL.canParse(u)) return false;
  const url = new URL(u);
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
    decodeURIComponent(url.pathname);
  } catch {
    return false;
  }
  return true;
}

/** The database the address names — or none, when it has no path (the driver then falls back to PGDATABASE, else the user's name). */
const namesDatabase = (u: string) => new URL(u).pathname.length > 1;

const envSchema = z.object({
  NODE_ENV: z.enum(["production", "development", "test"]).default("production"),
  PORT: z.coerce
    .number({ error: "应为 1 到 65535 之间的端口号" })
    .int("应为 1 到 65535 之间的端口号")
    .min(1, "应为 1 到 65535 之间的端口号")
    .max(65535, "应为 1 到 65535 之间的端口号")
    .default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .refine(isPostgresUrl, "应为 postgres://用户:密码@主机:5432/数据库 形式的地址")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  DATA_DIR: z
    .string()
    .optional()
    .transform((v) => v || undefined),
  /** Print the SQL of a failed job-queue statement (pg-boss) to stderr: for diagnosing the queue only. */
  DEBUG_JOBS_SQL: z
    .string()
    .optional()
    .transform((v) => Boolean(v) && v !== "0" && v !== "false"),
  DEMO_DATA: flag,
  TRUST_PROXY: proxyHops,
  MAX_UPLOAD_MB: z.coerce.number().min(1).max(200).default(20),
  /** Memory for signed-in pages kept per session under the data's change stamp (app/http/page-cache.server.ts); 0 turns it off. */
  PAGE_CACHE_MB: z.coerce.number().int("PAGE_CACHE_MB 应为整数").min(0).max(1024).default(32),
  INSECURE_COOKIES: flag,
  SMTP_URL: z
    .string()
    .url("SMTP_URL 应为 smtp://… 形式的地址")
    // any scheme passed as a URL (mail.example.com:587, http://…) and mail then silently never went out
    .refine((u) => /^smtps?:\/\//i.test(u), "SMTP_URL 应以 smtp:// 或 smtps:// 开头")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  MAIL_FROM: z.string().optional(),
  PUBLIC_URL: z
    .string()
    .url("PUBLIC_URL 应为 http(s)://… 形式的地址")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  APP_TODAY: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "APP_TODAY 应为 YYYY-MM-DD")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  LETTER_TEMPLATE: z.string().optional(),
});

export type AppConfig = z.output<typeof envSchema> & { demoData: boolean };

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema
    // without a database name in the address and no PGDATABASE, the app set itself up in the server's default database
    .refine((c) => !c.DATABASE_URL || namesDatabase(c.DATABASE_URL) || Boolean(env.PGDATABASE), {
      path: ["DATABASE_URL"],
      message: "地址中缺少数据库名：应为 postgres://用户:密码@主机:5432/数据库（或另设 PGDATABASE）",
    })
    .safeParse(env);
  if (!parsed.success) {
    throw new Error("环境变量无效：\n" + parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n"));
  }
  const c = parsed.data;
  // Demo data by default only on the embedded database: a server install starts empty.
  return { ...c, demoData: c.DEMO_DATA ?? !c.DATABASE_URL };
}

let cached: AppConfig | null = null;

/** The configuration, parsed on first use (npm start parses it before anything else, so bad values stop the start). */
export function config(): AppConfig {
  cached ??= readConfig();
  return cached;
}

/** For tests that change the environment between cases. */
export function resetConfig() {
  cached = null;
}
