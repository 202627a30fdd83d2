/**
 * An action's form, read once for every route that takes no file (those use readMultipartForm).
 * A body the parser cannot read — a crafted multipart post, one cut short — is answered 400 with a
 * reason, where request.formData() threw and the page failed with 500 (sign-in included, before any
 * account). A NUL character is dropped from every value: no one types it, and PostgreSQL refuses it
 * in text, so a value holding one failed its query with 500 wherever it was not cleaned.
 */
export async function readForm(request: Request): Promise<FormData> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw unreadableForm();
  }
  refuseHugeListIndex(form);
  return withoutNul(form);
}

/**
 * The largest list index a form of this app sends (the editor's blocks[499]): above it the
 * post is forged. conform builds the list up to the index named, and one `blocks[99999].id` held
 * the server at full load for minutes, growing to 2 GB (a security review) — refused before parsing.
 */
export const MAX_FORM_LIST_INDEX = 1000;

export function refuseHugeListIndex(form: FormData) {
  for (const key of form.keys())
    for (const m of key.matchAll(/\[(\d+)\]/g)) if (m[1]!.length > 4 || Number(m[1]) > MAX_FORM_LIST_INDEX) throw unreadableForm("提交的内容无效。请回到本系统的页面重新提交。");
}

/** The answer to a body that cannot be read as a form (here and for the pages that take files). */
export function unreadableForm(message = "提交的内容无法读取。请回到本系统的页面重新提交。") {
  return new Response(message, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/** The form with every NUL character removed from its text values (files as they are). */
function withoutNul(form: FormData): FormData {
  let found = false;
  for (const [, v] of form) if (typeof v === "string" && v.includes("\u0000")) found = true;
  if (!found) return form;
  const out = new FormData();
  for (const [k, v] of form) out.append(k, typeof v === "string" ? v.replaceAll("\u0000", "") : v);
  return out;
}
