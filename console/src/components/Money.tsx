// An amount of the API, formatted for its currency (format/money.ts); negative amounts are marked.
import { formatAmount, formatMoney } from "../format/money.ts";

export function Money({ amount, currency, bare = false }: { amount: string; currency: string; bare?: boolean }) {
  const text = bare ? formatAmount(amount) : formatMoney(amount, currency);
  return <span className={amount.startsWith("-") ? "money negative" : "money"}>{text}</span>;
}
