/** The fields of an account both 用户管理 forms have — 姓名, 角色, 联系电话, 电子邮箱 — as conform gives them. */
import { ROLE_LABELS, ROLES } from "~/domain/roles";
import { SelectField, TextField } from "~/ui/form";

type Field = { initialValue?: string; errors?: string[] };

export function AccountFields({ fields, creating }: { fields: Record<string, Field | undefined>; creating: boolean }) {
  return (
    <>
      <TextField label="姓名" name="displayName" defaultValue={fields.displayName?.initialValue} error={fields.displayName?.errors?.[0]} required />
      <SelectField
        label="角色"
        name="role"
        defaultValue={fields.role?.initialValue}
        error={fields.role?.errors?.[0]}
        {...(creating ? { placeholder: "请选择" } : {})}
        options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
        required
      />
      <TextField label="联系电话" name="phone" defaultValue={fields.phone?.initialValue} error={fields.phone?.errors?.[0]} hint="承办人的电话会印在答复函上" />
      <TextField
        label="电子邮箱"
        name="email"
        type="email"
        autoComplete="off"
        defaultValue={fields.email?.initialValue}
        error={fields.email?.errors?.[0]}
        hint={creating ? "可选：配置了邮件服务器时，通知同时发到此邮箱" : "配置了邮件服务器时，通知同时发到此邮箱；留空则只在系统内通知"}
      />
    </>
  );
}
