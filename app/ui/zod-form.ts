import { type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { z } from "zod";

/**
 * A conform form checked with `schema` in the browser, as the action checks it on the server.
 * Fields are first checked on submitting, then again while typing. Not on leaving a field: when
 * the user goes straight from a wrong field to the button, the error line would appear on the
 * button's mousedown, push the button down and the click would miss it (the form is neither sent
 * nor checked as a whole). For the same reason a shown error clears while typing, not on leaving.
 */
export function useZodForm(schema: z.ZodTypeAny, options: { id?: string; lastResult?: SubmissionResult<string[]>; defaultValue?: Record<string, string | undefined> }) {
  return useForm<Record<string, string>, unknown>({
    ...options,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
    shouldRevalidate: "onInput",
  });
}
