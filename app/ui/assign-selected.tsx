/** 分派所选 on the 待分派 list: choose rows, pick the 承办人, assign them all in one step. */
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { FormError, SelectField } from "./form";

export const ASSIGN_FORM_ID = "assign-selected";

export function AssignSelected({
  handlers,
  result,
  busy,
  children,
}: {
  handlers: { id: string; name: string; phone: string | null }[];
  result: { error: string; fieldErrors: Record<string, string>; values: { handlerId: string } } | undefined;
  busy: boolean;
  /** the list, whose rows hold the checkboxes (form={ASSIGN_FORM_ID}) */
  children: ReactNode;
}) {
  return (
    <>
      <Form method="post" id={ASSIGN_FORM_ID} className="no-print card mb-3 flex flex-wrap items-end gap-3" aria-label="分派所选" noValidate>
        <p className="w-full text-sm text-slate-600">勾选下表中的提案，选择承办人后一次分派（每件提案各记入办理历史并通知承办人）。</p>
        <SelectField
          label="承办人"
          name="handlerId"
          defaultValue={result?.values.handlerId}
          placeholder="请选择"
          options={handlers.map((h) => ({ value: h.id, label: h.phone ? `${h.name}（${h.phone}）` : h.name }))}
          error={result?.fieldErrors.handlerId}
        />
        <button type="submit" className="btn-primary" disabled={busy}>
          分派所选
        </button>
        {result?.fieldErrors.items ? (
          <p role="alert" className="text-sm text-red-700">
            {result.fieldErrors.items}
          </p>
        ) : null}
        {result && !result.fieldErrors.items && !result.fieldErrors.handlerId ? (
          <div className="w-full">
            <FormError message={result.error} />
          </div>
        ) : null}
      </Form>
      {children}
    </>
  );
}
