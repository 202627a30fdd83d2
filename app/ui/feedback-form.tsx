/** 登记征询意见: one answer per proposer (each co-signing member, or the body); the least satisfied decides. */
import { Form } from "@remix-run/react";
import { FEEDBACK_LABELS, FEEDBACK_RESULTS } from "~/domain/workflow";
import { type PageStamp, StampInputs } from "~/ui/workflow-forms";

type Result = { error: string | null; fieldErrors?: Record<string, string>; values?: Record<string, string> } | null;

type Answer = { proposer: string; result: string; answeredOn: string; channel: string | null; comment: string | null };

/**
 * `correcting`: 更正征询意见 — the answers registered last, to be changed, with the reason; their
 * effects (a 办结, a 再办理) are taken back and the corrected answers registered in their place.
 */
export function FeedbackForm(props: { proposers: string[]; stamp: PageStamp; today: string; busy: boolean; result: Result; correcting?: Answer[] }) {
  // what was typed (a refused submission), else the answers being corrected
  const given = Object.fromEntries(
    (props.correcting ?? []).flatMap((a) => {
      const i = props.proposers.indexOf(a.proposer);
      return i < 0
        ? []
        : [
            [`answers.${i}.result`, a.result],
            [`answers.${i}.answeredOn`, a.answeredOn],
            [`answers.${i}.channel`, a.channel ?? ""],
            [`answers.${i}.comment`, a.comment ?? ""],
          ];
    }),
  );
  const v: Record<string, string> = props.result?.values ?? given;
  const fe = props.result?.fieldErrors ?? {};
  const name = props.correcting ? "更正征询意见" : "登记征询意见";
  return (
    <Form method="post" className="space-y-3 border-t border-slate-100 pt-3 first:border-0 first:pt-0" noValidate aria-label={name}>
      <input type="hidden" name="intent" value={props.correcting ? "feedback_correction" : "feedback"} />
      <StampInputs stamp={props.stamp} />
      <p className="text-sm text-slate-600">
        {props.correcting
          ? "登记有误时在此更正：此前登记的意见及其后果（办结或转入再办理、再办理期限）一并撤销，按更正后的意见重新登记；原因记入办理历史。"
          : "逐一登记每位提案者的意见；以最不满意的意见为准，不满意即转入再办理。"}
      </p>
      {props.result?.error ? (
        <p role="alert" className="text-sm text-red-800">
          {props.result.error}
        </p>
      ) : null}
      {props.proposers.map((name, i) => (
        <fieldset key={name} className="space-y-1 rounded border border-slate-200 p-2">
          <legend className="px-1 text-sm font-medium">{name}</legend>
          <input type="hidden" name={`answers.${i}.proposer`} value={name} />
          <div className="flex flex-wrap items-end gap-2 text-sm">
            <label>
              <span className="block text-slate-600">意见</span>
              <select aria-label="意见" name={`answers.${i}.result`} defaultValue={v[`answers.${i}.result`] ?? ""} className="input w-auto" {...invalid(fe, `answers.${i}.result`)}>
                <option value="">请选择</option>
                {FEEDBACK_RESULTS.map((f) => (
                  <option key={f} value={f}>
                    {FEEDBACK_LABELS[f]}
                  </option>
                ))}
              </select>
              <FieldError name={`answers.${i}.result`} message={fe[`answers.${i}.result`]} />
            </label>
            <label>
              <span className="block text-slate-600">意见日期</span>
              {/* typed as 年-月-日: a native date input shows the browser's order (12/02/2026) */}
              <input
                type="text"
                inputMode="numeric"
                maxLength={12}
                placeholder="年-月-日"
                aria-label="意见日期"
                name={`answers.${i}.answeredOn`}
                defaultValue={v[`answers.${i}.answeredOn`] ?? props.today}
                className="input w-44"
                {...invalid(fe, `answers.${i}.answeredOn`)}
              />
              <FieldError name={`answers.${i}.answeredOn`} message={fe[`answers.${i}.answeredOn`]} />
            </label>
            <label>
              <span className="block text-slate-600">方式</span>
              <input
                aria-label="方式"
                name={`answers.${i}.channel`}
                defaultValue={v[`answers.${i}.channel`] ?? ""}
                placeholder="如：电话、书面"
                className="input w-32"
                {...invalid(fe, `answers.${i}.channel`)}
              />
              <FieldError name={`answers.${i}.channel`} message={fe[`answers.${i}.channel`]} />
            </label>
          </div>
          <label className="block text-sm">
            <span className="block text-slate-600">意见说明（可选）</span>
            <input
              aria-label="意见说明（可选）"
              name={`answers.${i}.comment`}
              defaultValue={v[`answers.${i}.comment`] ?? ""}
              className="input"
              {...invalid(fe, `answers.${i}.comment`)}
            />
            <FieldError name={`answers.${i}.comment`} message={fe[`answers.${i}.comment`]} />
          </label>
        </fieldset>
      ))}
      {props.correcting ? (
        <label className="block text-sm">
          <span className="block text-slate-600">更正原因</span>
          <input aria-label="更正原因" name="reason" maxLength={500} defaultValue={v.reason ?? ""} className="input" {...invalid(fe, "reason")} />
          <FieldError name="reason" message={fe.reason} />
        </label>
      ) : null}
      <button type="submit" className="btn-secondary" disabled={props.busy}>
        {name}
      </button>
    </Form>
  );
}

/** A field's problem, under it (every field of an answer can have one), tied to the field by `invalid`. */
function FieldError({ name, message }: { name: string; message?: string }) {
  return message ? (
    <span id={`${name}-error`} role="alert" className="block text-sm text-red-800">
      {message}
    </span>
  ) : null;
}

/** The field's own name stays its label; its problem is its description (read with it). */
function invalid(fe: Record<string, string>, name: string) {
  return fe[name] ? { "aria-invalid": true, "aria-describedby": `${name}-error` } : {};
}

/** The answers recorded so far, per reply round. */
export function FeedbackAnswers({
  answers,
  correction,
}: {
  answers: (Answer & { id: number; reply: number; round: number })[];
  /** 更正征询意见 offered: the form's other inputs (the latest round's answers are the ones corrected). */
  correction?: Omit<Parameters<typeof FeedbackForm>[0], "correcting"> | null;
}) {
  if (!answers.length) return null;
  const latest = Math.max(...answers.map((a) => a.round));
  return (
    <section className="card" aria-labelledby="fb-h">
      <h2 id="fb-h" className="mb-2 font-semibold">
        提案者意见
      </h2>
      <ul className="space-y-1 text-sm">
        {answers.map((a) => (
          <li key={a.id}>
            {a.reply > 1 ? <span className="mr-1 text-xs text-slate-500">第{a.reply}次答复</span> : null}
            {a.proposer}：<strong>{FEEDBACK_LABELS[a.result as keyof typeof FEEDBACK_LABELS] ?? a.result}</strong>（{a.answeredOn}
            {a.channel ? `，${a.channel}` : ""}）{a.comment ? <span className="text-slate-600"> {a.comment}</span> : null}
          </li>
        ))}
      </ul>
      {correction ? (
        // open again after a refusal, so the message is seen beside what was typed
        <details className="mt-2" open={!!correction.result}>
          <summary className="cursor-pointer text-sm text-blue-800">登记有误？更正征询意见</summary>
          <FeedbackForm {...correction} correcting={answers.filter((a) => a.round === latest)} />
        </details>
      ) : null}
    </section>
  );
}
