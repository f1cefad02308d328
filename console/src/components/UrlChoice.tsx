// A choice that belongs in the page's URL (a currency, a marketplace): changing it shows the page
// for the new value (a link like any other).
import { useId } from "react";
import { useSearchParams } from "wouter";

export function UrlChoice({
  label,
  param,
  value,
  options,
}: {
  label: string;
  param: string;
  value: string;
  options: readonly (readonly [string, string])[];
}) {
  const [, setParams] = useSearchParams();
  const id = useId();
  return (
    <form className="inline-form" onSubmit={(e) => e.preventDefault()}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(e) =>
          setParams((prev) => {
            const next = new URLSearchParams(prev);
            if (e.target.value === "") next.delete(param);
            else next.set(param, e.target.value);
            next.delete("after");
            return next;
          })
        }
      >
        {options.map(([optionValue, text]) => (
          <option key={optionValue} value={optionValue}>
            {text}
          </option>
        ))}
      </select>
    </form>
  );
}
