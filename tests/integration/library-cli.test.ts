/** The library CLI as an admin runs it: a real process on a real (embedded) database. */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { CLI, cliArgs } from "../support/cli";

const run = promisify(execFile);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prd-library-cli-"));
const env = { DATA_DIR: path.join(tmp, "data"), DEMO_DATA: "0" };

async function cli(args: string[]) {
  try {
    const r = await run(CLI[0], cliArgs(...args), { env: { ...process.env, ...env }, timeout: 120_000 });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout, err: err.stderr };
  }
}

describe("library CLI", () => {
  it("imports a batch of files with progress, links the 108/109 overlap, skips what is already in, reports a bad file", async () => {
    const bad = path.join(tmp, "假的.docx");
    fs.writeFileSync(bad, "这不是 Word 文档");
    const r = await cli(["paragraphs:import", "seeds/source/letter-108.txt", "seeds/source/letter-109.txt", bad]);
    expect(r.out).toContain("[1/3] letter-108.txt：答复函《东工信函〔2021〕108号 关于对东莞市政协第十三届六次会议第10121号提案的答复》新增 10 段");
    expect(r.out).toContain("[2/3] letter-109.txt：答复函《东工信函〔2021〕109号 关于对东莞市政协第十三届六次会议第20210100号提案的答复》新增 1 段，关联已有段落 2 处");
    expect(r.err).toContain("[3/3] 假的.docx：未导入。文件不是有效的 Word 文档（.docx）");
    expect(r.code).not.toBe(0);
    const again = await cli(["paragraphs:import", "seeds/source/letter-108.txt"]);
    expect(again.out).toContain("已导入过");
    expect(again.code).toBe(0);
  });

  it("a paragraph reworded from one in the library is linked and said so (the library keeps the old wording); --update-reworded updates it instead", async () => {
    // (a paragraph on one line of the seed: 一、完善顶层设计。)
    const line = fs
      .readFileSync("seeds/source/letter-108.txt", "utf8")
      .split("\n")
      .find((l) => l.startsWith("一、完善顶层设计。"))!;
    const policy = (to: string) => `东莞市产业集群工作要点\n\n一、规划\n\n${line.replace("一、完善顶层设计。", "").replace("明确提出", to)}\n`;
    const linked = path.join(tmp, "要点一.txt");
    fs.writeFileSync(linked, policy("研究提出"));
    const r = await cli(["paragraphs:import", linked, "--kind", "policy"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/关联已有段落 1 处/);
    expect(r.out).toMatch(/注意：第 \d+ 段“.+”与库中段落 #\d+“完善顶层设计”措辞不同，已记为一次修改后使用，库中段落未更新。/);
    const updated = path.join(tmp, "要点二.txt");
    fs.writeFileSync(updated, policy("进一步提出"));
    const u = await cli(["paragraphs:import", updated, "--kind", "policy", "--update-reworded"]);
    expect(u.code).toBe(0);
    expect(u.out).toContain("更新库中段落 1 段");
    expect(u.out).not.toContain("措辞不同");
    const found = JSON.parse((await cli(["paragraphs:search", "进一步提出培育形成", "--json"])).out) as { title: string; text: string }[];
    expect(found[0]).toMatchObject({ title: "完善顶层设计" });
    expect(found[0]!.text).toContain("进一步提出");
  });

  it("searches with ranking, as text or JSON", async () => {
    const text = await cli(["paragraphs:search", "科技成果转化", "--limit", "3"]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^ 1\. #\d+ 创新成果转化 {2}\[相关度 \d+\.\d+\]/);
    expect(text.out).toContain("【科技成果转化】");
    const json = await cli(["paragraphs:search", "专精特新", "--json"]);
    const rows = JSON.parse(json.out) as { id: number; title: string; source: string; score: number; text: string }[];
    expect(rows[0]).toMatchObject({ title: "做好强链补链", source: "东工信函〔2021〕108号 · 七、做好强链补链" });
    expect(rows[0]!.text).toContain("四是推动专精特新企业发展。");
    expect(rows[0]!.score).toBeGreaterThan(0);
    const bad = await cli(["paragraphs:search", "专精特新", "--limit", "0"]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain("--limit 须为 1 到 200 的整数");
  });
});
