import { type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { z } from "zod";

/**
 * A conform form checked with `schema` in the browser, as the action checks it on the server. A
 * field is first checked when left; a shown error then clears while typing — cleared only on
 * leaving the field, the error line would vanish on the button's mousedown, the button would move
 * up and the click would miss it.
 */
export function useZodForm(schema: z.ZodTypeAny, options: { id?: string; lastResult?: SubmissionResult<string[]>; defaultValue?: Record<string, string | undefined> }) {
  return useForm<Record<string, string>, unknown>({
    ...options,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
  });
}
