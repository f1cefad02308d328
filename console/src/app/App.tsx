// The console's frame: header (home; audit, replay and finance's pages; search, position picker,
// sign out), the page of the URL (services/http/consoleRoutes.ts), and the sign-in form when the
// API asks for a token.
import { useIsFetching } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link, Route, Switch } from "wouter";
import { CONSOLE_PAGES } from "../../../services/http/consoleRoutes.ts";
import { SignIn } from "../auth/SignIn.tsx";
import { signOut, useToken } from "../auth/token.ts";
import { PageLink } from "../components/Layout.tsx";
import { AccountPage } from "../pages/AccountPage.tsx";
import { AuditPage } from "../pages/AuditPage.tsx";
import { BrandPage } from "../pages/BrandPage.tsx";
import { CampaignPage } from "../pages/CampaignPage.tsx";
import { ClosingStatementPage } from "../pages/ClosingStatementPage.tsx";
import { CreatorLedgerPage } from "../pages/CreatorLedgerPage.tsx";
import { CreatorPage } from "../pages/CreatorPage.tsx";
import { CreatorPayoutsPage } from "../pages/CreatorPayoutsPage.tsx";
import { EventPage } from "../pages/EventPage.tsx";
import { HoldsPage } from "../pages/HoldsPage.tsx";
import { HomePage } from "../pages/HomePage.tsx";
import { BrandsPage, CampaignsPage, CreatorsPage } from "../pages/ListPages.tsx";
import { LogPage } from "../pages/LogPage.tsx";
import { NotFoundPage } from "../pages/NotFoundPage.tsx";
import { PayoutPage } from "../pages/PayoutPage.tsx";
import { PeriodsPage } from "../pages/PeriodsPage.tsx";
import { CampaignReportPage, CreatorReportPage } from "../pages/ReportPage.tsx";
import { ReplayDiffPage } from "../pages/ReplayDiffPage.tsx";
import { ReplayPage } from "../pages/ReplayPage.tsx";
import { CreatorTaxPage, TaxSummariesPage } from "../pages/TaxSummaryPages.tsx";
import { TrialBalancePage } from "../pages/TrialBalancePage.tsx";
import { TrueUpPage } from "../pages/TrueUpPage.tsx";
import { AsOfDatePicker } from "../position/AsOfDatePicker.tsx";
import { PositionBanner, PositionPicker } from "../position/PositionPicker.tsx";
import { SearchBox } from "../search/SearchBox.tsx";
import { SearchPage } from "../search/SearchPage.tsx";

function Pages() {
  return (
    <Switch>
      <Route path={CONSOLE_PAGES.home} component={HomePage} />
      <Route path={CONSOLE_PAGES.search} component={SearchPage} />
      <Route path={CONSOLE_PAGES.creators} component={CreatorsPage} />
      <Route path={CONSOLE_PAGES.campaigns} component={CampaignsPage} />
      <Route path={CONSOLE_PAGES.brands} component={BrandsPage} />
      <Route path={CONSOLE_PAGES.creator} component={CreatorPage} />
      <Route path={CONSOLE_PAGES.creatorLedger} component={CreatorLedgerPage} />
      <Route path={CONSOLE_PAGES.creatorPayouts} component={CreatorPayoutsPage} />
      <Route path={CONSOLE_PAGES.creatorReport} component={CreatorReportPage} />
      <Route path={CONSOLE_PAGES.creatorTax} component={CreatorTaxPage} />
      <Route path={CONSOLE_PAGES.payout} component={PayoutPage} />
      <Route path={CONSOLE_PAGES.brand} component={BrandPage} />
      <Route path={CONSOLE_PAGES.campaign} component={CampaignPage} />
      <Route path={CONSOLE_PAGES.campaignReport} component={CampaignReportPage} />
      <Route path={CONSOLE_PAGES.event} component={EventPage} />
      <Route path={CONSOLE_PAGES.audit} component={AuditPage} />
      <Route path={CONSOLE_PAGES.replay} component={ReplayPage} />
      <Route path={CONSOLE_PAGES.replayDiff} component={ReplayDiffPage} />
      <Route path={CONSOLE_PAGES.account} component={AccountPage} />
      <Route path={CONSOLE_PAGES.trialBalance} component={TrialBalancePage} />
      <Route path={CONSOLE_PAGES.holds} component={HoldsPage} />
      <Route path={CONSOLE_PAGES.periods} component={PeriodsPage} />
      <Route path={CONSOLE_PAGES.closingStatement} component={ClosingStatementPage} />
      <Route path={CONSOLE_PAGES.log} component={LogPage} />
      <Route path={CONSOLE_PAGES.taxSummaries} component={TaxSummariesPage} />
      <Route path={CONSOLE_PAGES.trueUps} component={TrueUpPage} />
      <Route component={NotFoundPage} />
    </Switch>
  );
}

/**
 * The page's main region. It tells assistive technology (and the browser tests) that the page is
 * still reading the API; on its own so that each fetch (the health poll every few seconds)
 * re-renders this element only, not the page inside it (its children keep their identity).
 */
function Main({ children }: { children: ReactNode }) {
  const reading = useIsFetching() > 0;
  return (
    <main id="main" aria-busy={reading}>
      {children}
    </main>
  );
}

export function App() {
  const { token, asked } = useToken();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to the page
      </a>
      <header className="app-header">
        <div className="app-bar">
          <Link href="/" className="app-name">
            Commission ledger
          </Link>
          <nav aria-label="Console" className="app-nav">
            <PageLink href={CONSOLE_PAGES.creators}>Creators</PageLink>
            <PageLink href={CONSOLE_PAGES.campaigns}>Campaigns</PageLink>
            <PageLink href={CONSOLE_PAGES.brands}>Brands</PageLink>
            <PageLink href={CONSOLE_PAGES.holds}>Holds</PageLink>
            <PageLink href={CONSOLE_PAGES.periods}>Periods</PageLink>
            <PageLink href={CONSOLE_PAGES.trialBalance}>Trial balance</PageLink>
            <PageLink href={CONSOLE_PAGES.taxSummaries}>Tax</PageLink>
            <PageLink href={CONSOLE_PAGES.log}>Log</PageLink>
            <PageLink href={CONSOLE_PAGES.audit}>Audit</PageLink>
            <PageLink href={CONSOLE_PAGES.replay}>Replay</PageLink>
            <PageLink href={CONSOLE_PAGES.trueUps}>True-ups</PageLink>
          </nav>
          <SearchBox />
          {token === null ? null : (
            <button type="button" className="sign-out" onClick={signOut}>
              Sign out
            </button>
          )}
        </div>
        <div className="position-bar">
          <PositionPicker />
          <AsOfDatePicker />
        </div>
      </header>
      <Main>
        <PositionBanner />
        {asked ? <SignIn /> : <Pages />}
      </Main>
    </>
  );
}
