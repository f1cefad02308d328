import { PageHeader, PageLink } from "../components/Layout.tsx";

export function NotFoundPage() {
  return (
    <PageHeader kicker="Not found" title="There is no such page">
      <p className="lede">
        Check the address, or start again from the <PageLink href="/">start page</PageLink>.
      </p>
    </PageHeader>
  );
}
