/** 会办单位 on a 主办 proposal: the units asked for opinions, the day each arrived, removal of a mistaken entry. */
import { Form } from "@remix-run/react";
import { StateBadge } from "./layout";
import { TextField } from "./form";

type Result = { error: string | null; fieldErrors?: Record<string, string>; values?: Record<string, string> } | null;

export function CoUnitsPanel(props: {
  units: { id: number; name: string; opinionReceivedOn: string | null }[];
  canManage: boolean;
  today: string;
  busy: boolean;
  addResult: Result;
  opinionResult: Result;
}) {
  // a refusal belongs to the unit whose form was sent: its message beside that unit's date, the date as typed
  const refusedUnit = Number(props.opinionResult?.values?.coUnitId) || null;
  const opinionError = props.opinionResult?.fieldErrors?.receivedOn ?? props.opinionResult?.error ?? null;
  return (
    <section className="card" aria-labelledby="co-h">
      <h2 id="co-h" className="mb-2 font-semibold">
        会办单位
      </h2>
      {props.units.length === 0 ? <p className="text-sm text-slate-500">无会办单位。</p> : null}
      {opinionError && !props.units.some((u) => u.id === refusedUnit) ? (
        <p role="alert" className="mb-2 text-sm text-red-800">
          {opinionError}
        </p>
      ) : null}
      <ul className="space-y-3 text-sm">
        {props.units.map((u) => {
          const refused = opinionError && u.id === refusedUnit ? opinionError : null;
          return (
            <li key={u.id} className="space-y-1">
              <div className="flex flex-wrap items-center gap-2">
                <span>{u.name}</span>
                {u.opinionReceivedOn ? <StateBadge label={`${u.opinionReceivedOn} 已收到意见`} tone="green" /> : <StateBadge label="未收到意见" tone="amber" />}
              </div>
              {props.canManage ? (
                <div className="no-print flex flex-wrap items-center gap-1">
                  <Form method="post" className="flex items-center gap-1">
                    <input type="hidden" name="intent" value="co_opinion" />
                    <input type="hidden" name="coUnitId" value={u.id} />
                    <input type="hidden" name="received" value={u.opinionReceivedOn ? "0" : "1"} />
                    {u.opinionReceivedOn ? (
                      <input type="hidden" name="receivedOn" value="" />
                    ) : (
                      <input
                        type="text"
                        inputMode="numeric"
                        maxLength={12}
                        placeholder="年-月-日"
                        name="receivedOn"
                        aria-label={`${u.name}意见收到日期`}
                        defaultValue={refused ? (props.opinionResult?.values?.receivedOn ?? props.today) : props.today}
                        aria-invalid={refused ? true : undefined}
                        aria-describedby={refused ? `co-opinion-error-${u.id}` : undefined}
                        className={`input w-36 py-0.5 text-xs ${refused ? "input-error" : ""}`}
                      />
                    )}
                    <button type="submit" className="btn-secondary text-xs" disabled={props.busy}>
                      {u.opinionReceivedOn ? "改为未收到" : "登记已收到"}
                    </button>
                  </Form>
                  <Form method="post">
                    <input type="hidden" name="intent" value="co_unit_remove" />
                    <input type="hidden" name="coUnitId" value={u.id} />
                    <button type="submit" className="btn-secondary text-xs" disabled={props.busy} aria-label={`删除会办单位${u.name}`}>
                      删除
                    </button>
                  </Form>
                </div>
              ) : null}
              {refused ? (
                <p id={`co-opinion-error-${u.id}`} role="alert" className="text-xs text-red-800">
                  {refused}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
      {props.canManage ? (
        // a new form once a unit is added (the name typed does not stay in the field); a refusal keeps it
        <Form key={props.units.length} method="post" className="no-print mt-3 flex items-end gap-2" noValidate>
          <input type="hidden" name="intent" value="co_unit_add" />
          <TextField
            label="添加会办单位"
            name="name"
            defaultValue={props.addResult?.values?.name}
            error={props.addResult?.fieldErrors?.name ?? props.addResult?.error ?? undefined}
          />
          <button type="submit" className="btn-secondary" disabled={props.busy}>
            添加
          </button>
        </Form>
      ) : null}
    </section>
  );
}
