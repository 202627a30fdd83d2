/** Labelled form fields that show their zh-CN error beside the input and keep what was typed. */
import { createContext, useContext, useId, type ReactNode } from "react";

type Common = { label: string; name: string; error?: string; hint?: ReactNode; required?: boolean; className?: string };

/**
 * Inside a conform form, a refused submit moves focus to the first field in error, which reads its
 * error with it (aria-describedby); an alert per error would read every error of the form at once
 * (seven on an empty registration). Elsewhere the error beside a field is an alert, as nothing else says it.
 */
const ErrorsFollowFocus = createContext(false);
export function FocusesFirstError({ children }: { children: ReactNode }) {
  return <ErrorsFollowFocus.Provider value={true}>{children}</ErrorsFollowFocus.Provider>;
}

function Wrapper({ id, label, error, hint, required, className, children }: Omit<Common, "name"> & { id: string; children: ReactNode }) {
  const quiet = useContext(ErrorsFollowFocus);
  return (
    <div className={className ?? ""}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
        {required ? (
          <span className="ml-0.5 text-red-600" aria-hidden>
            *
          </span>
        ) : null}
      </label>
      {children}
      {hint && !error ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} role={quiet ? undefined : "alert"} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(id: string, error?: string, hint?: ReactNode) {
  return error ? `${id}-error` : hint ? `${id}-hint` : undefined;
}

export function TextField(props: Common & { defaultValue?: string | null; type?: string; autoComplete?: string; list?: string; placeholder?: string; autoFocus?: boolean }) {
  const id = useId();
  return (
    <Wrapper id={id} {...props}>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        defaultValue={props.defaultValue ?? ""}
        autoComplete={props.autoComplete}
        list={props.list}
        placeholder={props.placeholder}
        autoFocus={props.autoFocus}
        required={props.required}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.error, props.hint)}
        className={`input ${props.error ? "input-error" : ""}`}
      />
    </Wrapper>
  );
}

/** A date typed as 年-月-日 (a native date input shows the browser's language, e.g. mm/dd/yyyy). */
export function DateField(props: Common & { defaultValue?: string | null; autoFocus?: boolean }) {
  const id = useId();
  return (
    <Wrapper id={id} {...props} hint={props.hint ?? "格式：年-月-日，如 2026-11-30；也可写 2026年11月30日"}>
      <input
        id={id}
        name={props.name}
        type="text"
        inputMode="numeric"
        maxLength={12}
        defaultValue={props.defaultValue ?? ""}
        placeholder="年-月-日"
        autoFocus={props.autoFocus}
        required={props.required}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.error, props.hint ?? "x")}
        className={`input ${props.error ? "input-error" : ""}`}
      />
    </Wrapper>
  );
}

export function TextArea(props: Common & { defaultValue?: string | null; rows?: number; placeholder?: string }) {
  const id = useId();
  return (
    <Wrapper id={id} {...props}>
      <textarea
        id={id}
        name={props.name}
        rows={props.rows ?? 3}
        defaultValue={props.defaultValue ?? ""}
        placeholder={props.placeholder}
        required={props.required}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.error, props.hint)}
        className={`input ${props.error ? "input-error" : ""}`}
      />
    </Wrapper>
  );
}

export function SelectField(props: Common & { defaultValue?: string | null; options: { value: string; label: string }[]; placeholder?: string }) {
  const id = useId();
  return (
    <Wrapper id={id} {...props}>
      <select
        id={id}
        name={props.name}
        defaultValue={props.defaultValue ?? ""}
        required={props.required}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.error, props.hint)}
        className={`input ${props.error ? "input-error" : ""}`}
      >
        {props.placeholder !== undefined ? <option value="">{props.placeholder}</option> : null}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Wrapper>
  );
}

export function FileField(props: Common & { accept?: string }) {
  const id = useId();
  return (
    <Wrapper id={id} {...props}>
      <input
        id={id}
        name={props.name}
        type="file"
        accept={props.accept}
        required={props.required}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy(id, props.error, props.hint)}
        className="block text-sm file:mr-3 file:rounded file:border file:border-slate-300 file:bg-white file:px-3 file:py-1"
      />
    </Wrapper>
  );
}

export function FormError({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <div role="alert" className="mb-4 rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
      {message}
    </div>
  );
}

/**
 * A refused save's panel is shown where the clerk is: it appears at the top of a page they may be
 * thousands of pixels down (the 保存 button is at the end of the letter), with the editor below
 * locked and nothing in view saying why.
 */
export function showWhenRefused(el: HTMLElement | null) {
  if (!el) return;
  el.scrollIntoView({ block: "start" });
  el.focus({ preventScroll: true });
}
