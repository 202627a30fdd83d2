import { defineConfig } from "drizzle-kit";

// Migrations are generated here and committed; the app applies them at start
// with drizzle-orm's migrator on either driver (db/client.server.ts).
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});
