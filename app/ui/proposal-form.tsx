/** The proposal fields, shared by the registration and edit pages. */
import { BUREAU_ROLE_LABELS, BUREAU_ROLES } from "~/domain/proposal";
import type { ProposalFormValues } from "~/domain/proposal-form";
import { DateField, FocusesFirstError, SelectField, TextArea, TextField } from "./form";

/** What conform knows of a field: the value to start from and the problems to show. */
type FieldState = { initialValue?: unknown; errors?: string[] };

export function ProposalFields({ fields, meetings }: { fields: Record<string, FieldState>; meetings: string[] }) {
  const v = (k: keyof ProposalFormValues) => (typeof fields[k].initialValue === "string" ? (fields[k].initialValue as string) : undefined);
  const e = (k: keyof ProposalFormValues) => fields[k].errors?.[0];
  return (
    <FocusesFirstError>
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <TextField
          label="届次/会议"
          name="meeting"
          defaultValue={v("meeting")}
          error={e("meeting")}
          list="meetings"
          placeholder="如：东莞市政协第十四届五次会议（可从已有会议中选择）"
          required
          autoFocus
        />
        <datalist id="meetings">
          {meetings.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
        <TextField label="提案号" name="number" defaultValue={v("number")} error={e("number")} placeholder="例如 10121" hint="只填号码，例如 10121（不含“第”“号”）" required />
        <TextField label="案由" name="title" defaultValue={v("title")} error={e("title")} placeholder="关于……的建议" className="md:col-span-2" required />
        <fieldset className="md:col-span-2">
          <legend className="mb-1 text-sm font-medium text-slate-700">
            提案者
            <span className="ml-0.5 text-red-600" aria-hidden>
              *
            </span>
          </legend>
          <div className="mb-2 flex gap-4 text-sm">
            <label className="flex items-center gap-1">
              <input type="radio" name="proposerKind" value="member" defaultChecked={(v("proposerKind") ?? "member") === "member"} /> 委员（可多位联名，也可与党派、团体联名）
            </label>
            <label className="flex items-center gap-1">
              <input type="radio" name="proposerKind" value="body" defaultChecked={v("proposerKind") === "body"} /> 单位（党派、团体、界别等）
            </label>
          </div>
          <TextArea
            label="提案者姓名或名称"
            name="proposers"
            rows={3}
            defaultValue={v("proposers")}
            error={e("proposers")}
            hint="每行一位，或用顿号“、”分隔；联名提案请填写全部提案者；党派、团体按名称识别（如 民建东莞市委员会）"
          />
        </fieldset>
        <SelectField
          label="办理方式"
          name="bureauRole"
          defaultValue={v("bureauRole")}
          error={e("bureauRole")}
          placeholder="请选择"
          options={BUREAU_ROLES.map((r) => ({ value: r, label: BUREAU_ROLE_LABELS[r] }))}
          required
        />
        <div className="grid grid-cols-2 gap-3">
          <DateField label="交办日期" name="assignedOn" defaultValue={v("assignedOn")} error={e("assignedOn")} required />
          <DateField label="收到日期" name="receivedOn" defaultValue={v("receivedOn")} error={e("receivedOn")} />
        </div>
        <TextField
          label="主办单位（会办时填写）"
          name="leadUnit"
          defaultValue={v("leadUnit")}
          error={e("leadUnit")}
          placeholder="如：东莞市发展和改革局"
          hint="本局为会办单位时，会办意见送交主办单位"
          className="md:col-span-2"
        />
        <TextArea label="备注" name="notes" rows={3} defaultValue={v("notes")} error={e("notes")} className="md:col-span-2" />
      </div>
    </FocusesFirstError>
  );
}
