// The trial balance of one currency (SPEC §8.1): every account with its balance; they sum to 0 at
// every position, and the API's sum is shown as it answers it.
import { useSearchParams } from "wouter";
import type { TrialBalance } from "../api/types.ts";
import { useRead } from "../api/useRead.ts";
import { AccountLink } from "../components/AccountLink.tsx";
import { UrlChoice } from "../components/UrlChoice.tsx";
import { Badge, Facts, PageHeader, Section } from "../components/Layout.tsx";
import { Loaded } from "../components/Loaded.tsx";
import { Money } from "../components/Money.tsx";
import { Table } from "../components/Table.tsx";
import { CURRENCIES } from "../format/marketplaces.ts";

/** "0.00", "0", "-0.00": the books balance. */
export function isZero(amount: string): boolean {
  return /^-?0(\.0+)?$/.test(amount);
}

/** The accounts and their sum as a table (also a closing statement's trial balance at its close). */
export function TrialBalanceTable({
  caption,
  accounts,
  sum,
  currency,
}: {
  caption: string;
  accounts: readonly { account: string; balance: string }[];
  sum: string;
  currency: string;
}) {
  return (
    <Table
      caption={caption}
      rows={accounts}
      rowKey={(a) => a.account}
      columns={[
        { header: "Account", cell: (a) => <AccountLink account={a.account} /> },
        { header: `Balance (${currency})`, numeric: true, cell: (a) => <Money amount={a.balance} currency={currency} bare /> },
      ]}
      footer={
        <tr>
          <th scope="row">Sum of {accounts.length} accounts</th>
          <td className="num">
            <Money amount={sum} currency={currency} bare />
          </td>
        </tr>
      }
    />
  );
}

export function TrialBalancePage() {
  const [params] = useSearchParams();
  const asked = params.get("currency");
  const currency = asked !== null && CURRENCIES.includes(asked) ? asked : CURRENCIES[0]!;
  const balance = useRead<TrialBalance>("/v1/trial-balance", { currency });
  return (
    <>
      <PageHeader kicker="Trial balance" title={currency}>
        <p className="lede">
          Every account of the journal in {currency} with its balance: what it received minus what it sent. Each amount is a transfer
          between two accounts, so the balances sum to 0 at every position. Open an account for its entries and running balance.
        </p>
      </PageHeader>
      <Section
        title="Accounts"
        actions={<UrlChoice label="Currency" param="currency" value={currency} options={CURRENCIES.map((c) => [c, c])} />}
      >
        <Loaded query={balance} what="trial balance">
          {(t) => (
            <>
              <Facts
                items={[
                  ["Sum", <Money amount={t.sum} currency={t.currency} />],
                  ["Balanced", isZero(t.sum) ? <Badge tone="good">Yes</Badge> : <Badge tone="bad">No</Badge>],
                  ["Accounts", t.accounts.length],
                  ["As of position", t.asOfPosition],
                ]}
              />
              <TrialBalanceTable
                caption={`${t.currency} accounts as of position ${t.asOfPosition}`}
                accounts={t.accounts}
                sum={t.sum}
                currency={t.currency}
              />
            </>
          )}
        </Loaded>
      </Section>
    </>
  );
}
