// Dates and months typed as the rest of the console writes them, YYYY-MM-DD and YYYY-MM, whatever
// the browser's language (a date picker would show MM/DD/YYYY in en-US): text fields the form checks.
import { useEffect, useState, type ChangeEvent } from "react";
import { useSearchParams } from "wouter";

/** What a date or month field accepts (the API checks the calendar: 2026-02-30 or 2026-13 come back as its 400). */
const ISO_FORMATS = {
  date: { pattern: "\\d{4}-\\d{2}-\\d{2}", placeholder: "YYYY-MM-DD", title: "A date as YYYY-MM-DD" },
  month: { pattern: "\\d{4}-\\d{2}", placeholder: "YYYY-MM", title: "A month as YYYY-MM" },
} as const;
type IsoFormat = keyof typeof ISO_FORMATS;

function isIso(format: IsoFormat, text: string): boolean {
  return new RegExp(`^${ISO_FORMATS[format].pattern}$`).test(text);
}

export const isIsoDate = (text: string) => isIso("date", text);
export const isIsoMonth = (text: string) => isIso("month", text);

interface IsoInputProps {
  id: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
}

function IsoInput({ format, id, value, onChange, required = false }: IsoInputProps & { format: IsoFormat }) {
  const { pattern, placeholder, title } = ISO_FORMATS[format];
  return (
    <input
      id={id}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      pattern={pattern}
      placeholder={placeholder}
      title={title}
      size={placeholder.length + 1}
      maxLength={placeholder.length}
      className="date-input"
      value={value}
      onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(e.target.value)}
      required={required}
    />
  );
}

export const DateInput = (props: IsoInputProps) => <IsoInput format="date" {...props} />;
export const MonthInput = (props: IsoInputProps) => <IsoInput format="month" {...props} />;

/**
 * A date that belongs in the page's URL (`param`): typed, then shown with the button (or Enter),
 * so a half-typed date is never asked of the API. Empty (when `clearable`) removes it.
 */
export function UrlDateForm({
  id,
  label,
  param,
  value,
  clearable = false,
}: {
  id: string;
  label: string;
  param: string;
  value: string;
  clearable?: boolean;
}) {
  const [, setParams] = useSearchParams();
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        const text = draft.trim();
        if (text !== "" && !isIsoDate(text)) return;
        setParams((prev) => {
          const next = new URLSearchParams(prev);
          if (text === "") next.delete(param);
          else next.set(param, text);
          return next;
        });
      }}
    >
      <label htmlFor={id}>{label}</label>
      <DateInput id={id} value={draft} onChange={setDraft} required={!clearable} />
      <button type="submit">Show</button>
    </form>
  );
}
