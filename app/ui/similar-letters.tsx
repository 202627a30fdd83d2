/** 参照往年答复: the signed replies most similar to this proposal, each one click from becoming the draft's body. */
import { Form } from "@remix-run/react";
import { opValue } from "~/domain/draft-form";

export type SimilarLetterItem = { letterId: number; documentNumber: string; title: string; reason: string; date: string | null; excerpt: string };

export function SimilarLetters({
  letters,
  baseRevisionId,
  editorFormId,
  hasBody,
  busy,
}: {
  letters: SimilarLetterItem[];
  baseRevisionId: number | null;
  /**
   * The draft editor's form, when there is a draft: replacing its body posts the editor (with or
   * without JavaScript), so what was typed is saved first and stays in the save history.
   */
  editorFormId: string | null;
  hasBody: boolean;
  busy: boolean;
}) {
  return (
    <section className="card no-print mb-4" aria-label="参照往年答复">
      <h2 className="font-semibold">参照往年答复</h2>
      <p className={`mb-2 text-sm text-slate-600 ${letters.length ? "" : "hidden"}`}>
        与本提案最相近的已签发答复函。选择一份，即以它的正文（保留标题、行内标题和段落库出处）生成答复稿；称呼、案由和提案号自动换成本提案的。
        {editorFormId && hasBody ? "当前正文将被替换：替换前先保存下方答复稿（包括尚未保存的修改），原正文留在保存记录中。" : ""}
      </p>
      {letters.length === 0 ? (
        // said, not hidden: a panel that is sometimes missing reads as a feature that is gone
        <p className="text-sm text-slate-500">没有找到与本提案相近的已签发答复函。如要参照某一封函：起草时在段落库搜索中输入它的文号（如“108号”），可插入整封正文或其中一节。</p>
      ) : null}
      <ol className="space-y-2">
        {letters.map((l) => (
          <li key={l.letterId} className="flex flex-wrap items-center justify-between gap-2 rounded border border-slate-200 p-2 text-sm">
            <div>
              <span className="font-medium">{l.documentNumber}</span>
              <span className="ml-2">《{l.title}》</span>
              {l.date ? <span className="ml-2 text-xs text-slate-500">{l.date}</span> : null}
              <div className="text-xs text-slate-600">{l.reason}</div>
              <p className="mt-1 text-xs text-slate-500">{l.excerpt}</p>
            </div>
            {editorFormId ? (
              <button
                type="submit"
                form={editorFormId}
                name="op"
                value={opValue({ op: "reuse", letterId: l.letterId })}
                className="btn-secondary"
                disabled={busy}
                aria-label={`参照${l.documentNumber}起草`}
              >
                {hasBody ? "用此函正文替换" : "参照此函起草"}
              </button>
            ) : (
              <Form method="post">
                <input type="hidden" name="intent" value="reuse" />
                <input type="hidden" name="letterId" value={l.letterId} />
                {baseRevisionId ? <input type="hidden" name="baseRevisionId" value={baseRevisionId} /> : null}
                <button type="submit" className="btn-secondary" disabled={busy} aria-label={`参照${l.documentNumber}起草`}>
                  参照此函起草
                </button>
              </Form>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
