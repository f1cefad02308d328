// A creator's pages: overview (earnings, payout status), ledger, payouts, report, tax summary.
import { pagePath } from "../app/paths.ts";
import { PageHeader, Tabs } from "../components/Layout.tsx";

export function CreatorHeader({ creatorId }: { creatorId: string }) {
  return (
    <PageHeader kicker="Creator" title={creatorId}>
      <Tabs
        label="Creator pages"
        tabs={[
          { href: pagePath("creator", { creatorId }), title: "Earnings and payout" },
          { href: pagePath("creatorLedger", { creatorId }), title: "Ledger" },
          { href: pagePath("creatorPayouts", { creatorId }), title: "Payouts" },
          { href: pagePath("creatorReport", { creatorId }), title: "Daily report" },
          { href: pagePath("creatorTax", { creatorId }), title: "Tax summary" },
        ]}
      />
    </PageHeader>
  );
}
