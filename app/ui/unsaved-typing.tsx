/**
 * What a person typed into a step that was refused after its form went away (someone else acted first:
 * the reply sent, the extension decided, the publication withdrawn). The form cannot take it back, so the
 * text is shown to copy — it used to vanish with the form.
 */
const TEXT_FIELDS: Record<string, string> = {
  comment: "说明",
  reason: "理由",
  disclosureReason: "不公开或依申请公开的理由",
  channel: "发送方式",
  receivingUnit: "接收单位",
};

/** The free text in a refused form's values, labelled; dates, choices and hidden fields are quick to redo. */
export function typedTexts(values: Record<string, string> | undefined, commentLabel?: string): { label: string; text: string }[] {
  if (!values) return [];
  const out: { label: string; text: string }[] = [];
  for (const [key, raw] of Object.entries(values)) {
    const text = typeof raw === "string" ? raw.trim() : "";
    if (!text) continue;
    if (Object.hasOwn(TEXT_FIELDS, key)) {
      out.push({ label: key === "comment" && commentLabel ? commentLabel : TEXT_FIELDS[key], text });
      continue;
    }
    // a proposer's feedback: answers.<i>.comment / answers.<i>.channel, labelled with the proposer's name
    const answer = /^answers\.(\d+)\.(comment|channel)$/.exec(key);
    if (answer) {
      const who = values[`answers.${answer[1]}.proposer`]?.trim() || `第${Number(answer[1]) + 1}位提案者`;
      out.push({ label: `${who}的${answer[2] === "comment" ? "意见说明" : "反馈方式"}`, text });
    }
  }
  return out;
}

/** commentLabel: what the form called its comment (理由, 修改意见, 审批意见); 说明 otherwise. */
export function UnsavedTyping({ values, commentLabel }: { values: Record<string, string> | undefined; commentLabel?: string }) {
  const texts = typedTexts(values, commentLabel);
  if (!texts.length) return null;
  return (
    <div className="mt-2">
      <p className="font-medium">您填写的以下内容未保存（可复制留用）：</p>
      <dl className="mt-1 space-y-1">
        {texts.map((t) => (
          <div key={t.label} className="flex flex-wrap gap-x-1">
            <dt>{t.label}：</dt>
            <dd className="whitespace-pre-wrap select-all">{t.text}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
