// The console's frame: header (home, audit, replay, search, position picker, sign out), the page
// of the URL (services/http/consoleRoutes.ts), and the sign-in form when the API asks for a token.
import { useIsFetching } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link, Route, Switch } from "wouter";
import { CONSOLE_PAGES } from "../../../services/http/consoleRoutes.ts";
import { SignIn } from "../auth/SignIn.tsx";
import { signOut, useToken } from "../auth/token.ts";
import { PageLink } from "../components/Layout.tsx";
import { AuditPage } from "../pages/AuditPage.tsx";
import { BrandPage } from "../pages/BrandPage.tsx";
import { CampaignPage } from "../pages/CampaignPage.tsx";
import { CreatorLedgerPage } from "../pages/CreatorLedgerPage.tsx";
import { CreatorPage } from "../pages/CreatorPage.tsx";
import { CreatorPayoutsPage } from "../pages/CreatorPayoutsPage.tsx";
import { EventPage } from "../pages/EventPage.tsx";
import { HomePage } from "../pages/HomePage.tsx";
import { NotFoundPage } from "../pages/NotFoundPage.tsx";
import { PayoutPage } from "../pages/PayoutPage.tsx";
import { CampaignReportPage, CreatorReportPage } from "../pages/ReportPage.tsx";
import { ReplayDiffPage } from "../pages/ReplayDiffPage.tsx";
import { ReplayPage } from "../pages/ReplayPage.tsx";
import { PositionBanner, PositionPicker } from "../position/PositionPicker.tsx";
import { SearchBox } from "../search/SearchBox.tsx";
import { SearchPage } from "../search/SearchPage.tsx";

function Pages() {
  return (
    <Switch>
      <Route path={CONSOLE_PAGES.home} component={HomePage} />
      <Route path={CONSOLE_PAGES.search} component={SearchPage} />
      <Route path={CONSOLE_PAGES.creator} component={CreatorPage} />
      <Route path={CONSOLE_PAGES.creatorLedger} component={CreatorLedgerPage} />
      <Route path={CONSOLE_PAGES.creatorPayouts} component={CreatorPayoutsPage} />
      <Route path={CONSOLE_PAGES.creatorReport} component={CreatorReportPage} />
      <Route path={CONSOLE_PAGES.payout} component={PayoutPage} />
      <Route path={CONSOLE_PAGES.brand} component={BrandPage} />
      <Route path={CONSOLE_PAGES.campaign} component={CampaignPage} />
      <Route path={CONSOLE_PAGES.campaignReport} component={CampaignReportPage} />
      <Route path={CONSOLE_PAGES.event} component={EventPage} />
      <Route path={CONSOLE_PAGES.audit} component={AuditPage} />
      <Route path={CONSOLE_PAGES.replay} component={ReplayPage} />
      <Route path={CONSOLE_PAGES.replayDiff} component={ReplayDiffPage} />
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
            <PageLink href={CONSOLE_PAGES.audit}>Audit</PageLink>
            <PageLink href={CONSOLE_PAGES.replay}>Replay</PageLink>
          </nav>
          <SearchBox />
          {token === null ? null : (
            <button type="button" className="sign-out" onClick={signOut}>
              Sign out
            </button>
          )}
        </div>
        <PositionPicker />
      </header>
      <Main>
        <PositionBanner />
        {asked ? <SignIn /> : <Pages />}
      </Main>
    </>
  );
}
