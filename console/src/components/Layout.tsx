// Building blocks of a page: a titled section, a list of facts, a status badge, tabs, the title.
import { useEffect, type ReactNode } from "react";
import { Link, useLocation } from "wouter";
import { usePosition, withPosition } from "../position/usePosition.ts";

const APP_NAME = "Ledger console";

/** Sets the browser tab's title (what a bookmark is called). */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · ${APP_NAME}`;
  }, [title]);
}

export function PageHeader({ kicker, title, children }: { kicker: string; title: string; children?: ReactNode }) {
  useTitle(`${kicker} ${title}`);
  return (
    <header className="page-header">
      <p className="kicker">{kicker}</p>
      <h1>{title}</h1>
      {children}
    </header>
  );
}

export function Section({ title, actions, children, id }: { title: string; actions?: ReactNode; children: ReactNode; id?: string }) {
  const headingId = `${id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-heading`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <div className="card-header">
        <h2 id={headingId}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function Facts({ items }: { items: readonly (readonly [string, ReactNode])[] }) {
  return (
    <dl className="facts">
      {items.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export type Tone = "good" | "warn" | "bad" | "neutral";

export function Badge({ tone, children }: { tone: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** A link to another page of the console, kept at the page's position. */
export function PageLink({
  href,
  children,
  className,
  current = false,
}: {
  href: string;
  children: ReactNode;
  className?: string;
  current?: boolean;
}) {
  const at = usePosition();
  return (
    <Link
      href={withPosition(href, at)}
      {...(className === undefined ? {} : { className })}
      {...(current ? { "aria-current": "page" as const } : {})}
    >
      {children}
    </Link>
  );
}

/** A page's tabs (each tab its own URL). */
export function Tabs({ label, tabs }: { label: string; tabs: readonly { href: string; title: string }[] }) {
  const [location] = useLocation();
  return (
    <nav className="tabs" aria-label={label}>
      {tabs.map((tab) => {
        const current = location === tab.href.split("?")[0];
        return (
          <PageLink key={tab.href} href={tab.href} className={current ? "tab tab-current" : "tab"} current={current}>
            {tab.title}
          </PageLink>
        );
      })}
    </nav>
  );
}
