// The console shows the API's numbers (SPEC §10: "every number it shows is one the API returns"):
// on the demo data, each amount of the creator, campaign and report pages, read off the page in
// Chromium, equals the API's answer for the same ids, read by this test; a ledger entry's source
// event opens in place; the CSV download is the API's CSV byte for byte; the position picker moved
// back shows the API's answer as of that position; the pages of SPEC §8.1 and §12-§15 (accounts,
// trial balance, holds, the payout lifecycle, periods and closing statements, the log, tax
// summaries) show the API's figures. The README's walk-through anchors a few of the amounts by hand
// (cr-00003's US total 46.33 now, 10.08 at position 400).
import fs from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiJson,
  browserAvailable,
  factsOf,
  launchChromium,
  newContext,
  openQuietly,
  plain,
  settle,
  startDemoServer,
  tableByCaption,
  watchedPage,
  type DemoServer,
} from "../support/consoleBrowser.ts";

const BUCKETS = [
  ["standard", "Standard"],
  ["bonusPending", "Bonus pending"],
  ["bonusConfirmed", "Bonus confirmed"],
  ["bonusForfeited", "Bonus forfeited"],
  ["reversed", "Reversed"],
  ["adjusted", "Adjusted"],
  ["total", "Total"],
] as const;

type Amounts = Record<(typeof BUCKETS)[number][0], string>;

/** An instant as the console shows it: "2026-08-04T10:00:00-07:00" → "2026-08-04 10:00 UTC−07:00" (seconds when not :00). */
function shownInstant(iso: string): string {
  const [, date, hm, seconds, , zone] = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(iso)!;
  return `${date} ${hm}${seconds === ":00" || seconds === undefined ? "" : seconds} ${zone === "Z" ? "UTC" : `UTC${zone!.replace("-", "−")}`}`;
}

describe.skipIf(!browserAvailable())("the console's numbers are the API's", () => {
  let server: DemoServer;
  let browser: Browser;
  let context: BrowserContext;
  const api = <T = any>(path: string) => apiJson<T>(server.url + path);

  beforeAll(async () => {
    // closedPeriod: US closed through 2025-12 and a late entry (consoleBrowser.ts CLOSED_PERIOD_EVENTS).
    [server, browser] = await Promise.all([startDemoServer({ closedPeriod: true }), launchChromium()]);
    context = await newContext(browser, { acceptDownloads: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(path: string): Promise<{ page: Page; problems: string[] }> {
    const watched = await watchedPage(context);
    await openQuietly(watched.page, server.url + path);
    return watched;
  }

  it("creator: totals, months, campaigns and payout status equal /earnings and /payout", async () => {
    const earnings = await api("/v1/creators/cr-00003/earnings");
    const payout = await api("/v1/creators/cr-00003/payout?asOf=2026-06-10");
    const { page, problems } = await open("/creators/cr-00003?asOf=2026-06-10");
    const [us] = earnings.marketplaces;
    expect(us.marketplace).toBe("US");
    expect(us.totals.total).toBe("46.33"); // README, auditor's walk-through step 3

    const totals = await factsOf(page, "Earnings in US (USD)");
    expect(Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, plain(v)]))).toEqual(
      Object.fromEntries(BUCKETS.map(([b, label]) => [label, us.totals[b]])),
    );

    const months = await tableByCaption(page, "By earning month, US (USD)");
    expect(months.body.map(([month, payableOn, ...amounts]) => [month, payableOn, ...amounts.map(plain)])).toEqual(
      us.months.map((m: Amounts & { month: string; payableOn: string }) => [m.month, m.payableOn, ...BUCKETS.map(([b]) => m[b])]),
    );
    const campaigns = await tableByCaption(page, "By campaign, US (USD)");
    expect(campaigns.body.map(([campaign, , ...amounts]) => [campaign, ...amounts.map(plain)])).toEqual(
      us.campaigns.map((c: Amounts & { campaignId: string | null }) => [
        c.campaignId ?? "No campaign (adjustments)",
        ...BUCKETS.map(([b]) => c[b]),
      ]),
    );

    const status = await tableByCaption(page, "Payout status on 2026-06-10 (SPEC rule 11)");
    const [line] = payout.marketplaces;
    expect(status.body).toHaveLength(1);
    const [, , payable, pending, paid, threshold, nextPayableOn] = status.body[0]!;
    expect([payable, pending, paid, threshold].map(plain)).toEqual([line.payable, line.pending, line.paid, line.threshold]);
    expect(nextPayableOn).toBe(line.nextPayableOn);
    expect(problems).toEqual([]);
  });

  it("campaign: budget, spent, released, remaining and creators equal /campaigns/cmp-0006", async () => {
    const campaign = await api("/v1/campaigns/cmp-0006");
    const { page, problems } = await open("/campaigns/cmp-0006");
    const budget = await factsOf(page, "Budget");
    expect({
      budget: plain(budget.Budget!),
      spent: plain(budget.Spent!),
      released: plain(budget.Released!),
      remaining: plain(budget.Remaining!),
    }).toEqual({
      budget: campaign.budget,
      spent: campaign.spent,
      released: campaign.released,
      remaining: campaign.remaining,
    });
    expect(campaign).toMatchObject({ budget: "60.00", spent: "20.00", remaining: "40.00" }); // README, campaign management
    const facts = await factsOf(page, "Campaign");
    expect(facts).toMatchObject({
      Brand: campaign.brandId,
      "Bonus rate": "10%",
      "Creators accepted": String(campaign.creators),
      Marketplace: "US (USD)",
    });

    // Its creators' activity over the campaign's first 90 days, from the campaign report.
    const report = await api("/v1/campaigns/cmp-0006/report?from=2026-08-01&to=2026-10-29");
    const creators = await tableByCaption(page, "Creators' activity, 2026-08-01 to 2026-10-29 (USD)");
    const byCreator = new Map<string, number[]>();
    for (const row of report.rows) {
      const sums = byCreator.get(row.creatorId) ?? [0, 0, 0, 0];
      byCreator.set(row.creatorId, [sums[0]! + 1, sums[1]! + row.clicks, sums[2]! + row.orders, sums[3]! + row.units]);
    }
    expect(creators.body.map(([creatorId, ...counts]) => [creatorId, ...counts.slice(0, 4).map(Number)])).toEqual(
      [...byCreator].map(([id, sums]) => [id, ...sums]),
    );
    const totals = await page
      .getByRole("region", { name: "Creators", exact: true })
      .locator("dl.facts")
      .evaluate((list) => list.textContent);
    expect(plain(totals!)).toBe(`${report.totals[0].revenue}${report.totals[0].earnings}${report.totals[0].spend}`);
    expect(problems).toEqual([]);
  });

  it("reports: every row and total of the creator and campaign reports equals the API's", async () => {
    const creator = await api("/v1/creators/cr-00003/report?from=2026-06-01&to=2026-08-29");
    let { page, problems } = await open("/creators/cr-00003/report?from=2026-06-01&to=2026-08-29");
    const creatorTable = await tableByCaption(page, "Daily report of cr-00003, 2026-06-01 to 2026-08-29");
    const money = (r: any) => [r.revenue, r.earnings, r.spend];
    expect(
      creatorTable.body.map(([date, campaignId, marketplace, clicks, orders, units, ...amounts]) => [
        date,
        campaignId,
        marketplace,
        Number(clicks),
        Number(orders),
        Number(units),
        ...amounts.map(plain),
      ]),
    ).toEqual(creator.rows.map((r: any) => [r.date, r.campaignId, r.marketplace, r.clicks, r.orders, r.units, ...money(r)]));
    expect(
      creatorTable.foot.map(([label, clicks, orders, units, ...amounts]) => [
        label,
        Number(clicks),
        Number(orders),
        Number(units),
        ...amounts.map(plain),
      ]),
    ).toEqual(creator.totals.map((t: any) => [`Total ${t.marketplace} (${t.currency})`, t.clicks, t.orders, t.units, ...money(t)]));
    expect(problems).toEqual([]);

    const campaign = await api("/v1/campaigns/cmp-0006/report?from=2026-08-01&to=2026-08-31");
    ({ page, problems } = await open("/campaigns/cmp-0006/report?from=2026-08-01&to=2026-08-31"));
    const campaignTable = await tableByCaption(page, "Daily report of cmp-0006, 2026-08-01 to 2026-08-31");
    expect(
      campaignTable.body.map(([date, creatorId, clicks, orders, units, ...amounts]) => [
        date,
        creatorId,
        Number(clicks),
        Number(orders),
        Number(units),
        ...amounts.map(plain),
      ]),
    ).toEqual(campaign.rows.map((r: any) => [r.date, r.creatorId, r.clicks, r.orders, r.units, ...money(r)]));
    expect(campaignTable.foot.map(([, , , , ...amounts]) => amounts.map(plain))).toEqual(campaign.totals.map(money));
    expect(problems).toEqual([]);
  });

  it("a ledger entry's source event opens in place: the stored event, as /v1/events/{id} has it", async () => {
    const ledger = await api("/v1/creators/cr-00003/ledger?after=406&limit=50");
    const entry = ledger.entries[0];
    expect(entry).toMatchObject({ entryId: "407:0", kind: "standard", amount: "6.25", sourceEventId: "story-sale-1" }); // README step 1
    const event = await api(`/v1/events/${entry.sourceEventId}`);
    const { page, problems } = await open("/creators/cr-00003/ledger?after=406");
    const button = page.getByRole("button", { name: entry.sourceEventId }).first();
    expect(await button.getAttribute("aria-expanded")).toBe("false");
    await button.click();
    await settle(page);
    expect(await button.getAttribute("aria-expanded")).toBe("true");
    // The capped bonus's note in the entry's currency (the API writes minor units).
    const capped = ledger.entries.find((e: { note: string | null }) => e.note?.startsWith("capped by the budget"));
    expect(capped?.note).toBe("capped by the budget: 2500 → 2000 minor units");
    expect(await page.getByText("bonus capped by the budget: $25.00 → $20.00").count()).toBe(1);
    const payload = page.getByLabel(`Payload of event ${event.id}`);
    expect(await payload.textContent()).toBe(JSON.stringify(event.data, null, 2));
    const details = page.locator(".row-details");
    expect(await details.locator("dt", { hasText: "Type" }).locator("xpath=following-sibling::dd").textContent()).toBe(event.type);
    expect(await details.locator("dt", { hasText: "Position" }).locator("xpath=following-sibling::dd").textContent()).toBe(
      String(event.position),
    );
    expect(problems).toEqual([]);
  });

  it("the CSV downloads are the API's CSV, byte for byte, under a name that says whose it is", async () => {
    for (const [pagePath, apiPath, fileName] of [
      [
        "/creators/cr-00003/report?from=2026-06-01&to=2026-08-29",
        "/v1/creators/cr-00003/report?from=2026-06-01&to=2026-08-29&format=csv",
        "report-cr-00003-2026-06-01-2026-08-29.csv",
      ],
      [
        "/campaigns/cmp-0006/report?from=2026-08-01&to=2026-08-31",
        "/v1/campaigns/cmp-0006/report?from=2026-08-01&to=2026-08-31&format=csv",
        // The campaign's CSV has no currency column (SPEC §9 fixes its header): its name says it.
        "campaign-report-cmp-0006-USD-2026-08-01-2026-08-31.csv",
      ],
      [
        "/tax-summaries?year=2026&marketplace=DE&minimum=0",
        "/v1/tax-summaries?year=2026&marketplace=DE&minimum=0&format=csv",
        "tax-summaries-DE-2026.csv", // the API's own name
      ],
    ] as const) {
      const fromApi = await fetch(server.url + apiPath);
      const expected = Buffer.from(await fromApi.arrayBuffer());
      expect(expected.toString("utf8").split("\n").length).toBeGreaterThan(2);
      const { page, problems } = await open(pagePath);
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
      expect(fs.readFileSync((await download.path())!)).toEqual(expected);
      expect(download.suggestedFilename()).toBe(fileName);
      expect(problems).toEqual([]);
    }
  });

  it("the position picker moved back shows the API's answer as of that position, and Latest comes back", async () => {
    const now = await api("/v1/creators/cr-00003/earnings");
    const then = await api("/v1/creators/cr-00003/earnings?asOfPosition=400");
    const payoutThen = await api("/v1/creators/cr-00003/payout?asOf=2026-06-10&asOfPosition=400");
    expect([now.marketplaces[0].totals.total, then.marketplaces[0].totals.total]).toEqual(["46.33", "10.08"]);
    const { page, problems } = await open("/creators/cr-00003?asOf=2026-06-10");
    const total = async () => plain((await factsOf(page, "Earnings in US (USD)")).Total!);
    expect(await total()).toBe(now.marketplaces[0].totals.total);

    await page.getByLabel("As of position").fill("400");
    await page.getByLabel("As of position").press("Enter");
    await page.waitForURL(/[?&]at=400\b/);
    await settle(page);
    expect(await total()).toBe(then.marketplaces[0].totals.total);
    const months = await tableByCaption(page, "By earning month, US (USD)");
    expect(months.body.map(([month]) => month)).toEqual(then.marketplaces[0].months.map((m: { month: string }) => m.month));
    const status = await tableByCaption(page, "Payout status on 2026-06-10 (SPEC rule 11)");
    expect(plain(status.body[0]![3]!)).toBe(payoutThen.marketplaces[0].pending); // README step 6: 0.00 then
    expect(await page.getByRole("status").filter({ hasText: "as of position 400" }).count()).toBe(1);

    // Links keep the position: the ledger tab as of 400 ends before the story's sales.
    await page.getByRole("link", { name: "Ledger", exact: true }).click();
    await page.waitForURL(/\/ledger\?at=400$/);
    await settle(page);
    const ledgerThen = await api("/v1/creators/cr-00003/ledger?asOfPosition=400&limit=50");
    const caption = await page.locator("caption").first().textContent();
    expect(caption).toContain(`to ${ledgerThen.entries[ledgerThen.entries.length - 1].entryId},`);

    await page.getByRole("button", { name: "Latest", exact: true }).click();
    await page.waitForURL((url) => !url.search.includes("at="));
    await settle(page);
    expect(problems).toEqual([]);
  });

  it("account: the balance and each entry's change and running balance equal /v1/accounts/{a} and its entries", async () => {
    const name = "creator:cr-00003:US:earned";
    const encoded = encodeURIComponent(name);
    const account = await api(`/v1/accounts/${encoded}`);
    const entries = await api(`/v1/accounts/${encoded}/entries?limit=50`);
    expect(account).toMatchObject({ currency: "USD", balance: "46.33" }); // = the US total: nothing paid, nothing pending
    // Reached from the ledger: every entry's accounts are links.
    const { page, problems } = await open("/creators/cr-00003/ledger?after=406");
    await page.getByRole("link", { name, exact: true }).first().click();
    await page.waitForURL(`${server.url}/accounts/${encoded}`);
    await settle(page);
    const facts = await factsOf(page, "Balance");
    expect([plain(facts.Balance), facts.Currency, facts["As of position"]]).toEqual([
      account.balance,
      account.currency,
      String(account.asOfPosition),
    ]);
    const first = entries.entries[0];
    const last = entries.entries[entries.entries.length - 1];
    const table = await tableByCaption(
      page,
      `Entries ${first.entryId} to ${last.entryId}, in position order, each with the balance it left`,
    );
    expect(
      table.body.map(([entryId, , , change, balance, other, month, source]) => [
        entryId,
        plain(change),
        plain(balance),
        other,
        month,
        source,
      ]),
    ).toEqual(
      entries.entries.map((e: any) => [
        e.entryId,
        e.change,
        e.balance,
        (e.source === name ? e.destination : e.source) ?? "—",
        e.earningMonth ?? "—",
        e.sourceEventId,
      ]),
    );
    expect(problems).toEqual([]);
  });

  it("trial balance: every account's balance and the sum (0.00) equal /v1/trial-balance, per currency", async () => {
    const { page, problems } = await open("/trial-balance?currency=USD");
    for (const currency of ["USD", "JPY"]) {
      if (currency !== "USD") {
        await page.getByLabel("Currency").selectOption(currency);
        await page.waitForURL(new RegExp(`currency=${currency}`));
        await settle(page);
      }
      const trial = await api(`/v1/trial-balance?currency=${currency}`);
      expect(trial.sum).toBe(currency === "JPY" ? "0" : "0.00");
      const table = await tableByCaption(page, `${currency} accounts as of position ${trial.asOfPosition}`);
      expect(table.body.map(([account, balance]) => [account, plain(balance)])).toEqual(
        trial.accounts.map((a: { account: string; balance: string }) => [a.account, a.balance]),
      );
      expect(table.foot.map(([label, sum]) => [label, plain(sum)])).toEqual([[`Sum of ${trial.accounts.length} accounts`, trial.sum]]);
      const facts = await factsOf(page, "Accounts");
      expect([plain(facts.Sum), facts.Balanced, facts.Accounts]).toEqual([trial.sum, "Yes", String(trial.accounts.length)]);
    }
    expect(problems).toEqual([]);
  });

  it("holds: each hold and what it holds back equal /v1/holds; the held creator's banner and lifecycle equal /payout", async () => {
    const holds = await api("/v1/holds?asOf=2026-09-30");
    expect(holds.holds.map((h: { creatorId: string }) => h.creatorId)).toEqual(["cr-00004"]); // README: cr-00007's JP hold was released
    let { page, problems } = await open("/holds?asOf=2026-09-30");
    const table = await tableByCaption(page, `1 hold standing as of position ${holds.asOfPosition}`);
    expect(table.body.map(([creator, heldIn, , note, by]) => [creator, heldIn, note, by])).toEqual(
      holds.holds.map((h: any) => [h.creatorId, h.marketplace ?? "Every marketplace", h.note, h.actor]),
    );
    const heldBack = await page.locator("tbody tr").first().locator("li").allTextContents();
    expect(heldBack.map((line) => /^(\w+): (.+?)(?: \(owed by the creator\))? on (\S+)$/.exec(line)!.slice(1))).toEqual(
      holds.holds[0].payable.map((p: any) => [p.marketplace, expect.anything(), p.asOf]),
    );
    expect(heldBack.map((line) => plain(/: (.+?) on /.exec(line)![1]))).toEqual(holds.holds[0].payable.map((p: any) => p.amount));
    expect(problems).toEqual([]);

    const payout = await api("/v1/creators/cr-00004/payout?asOf=2026-09-30");
    const earnings = await api("/v1/creators/cr-00004/earnings");
    ({ page, problems } = await open("/creators/cr-00004?asOf=2026-09-30"));
    const banner = await page.getByRole("status", { name: "Payouts held" }).textContent();
    const held = payout.marketplaces.filter((m: any) => m.hold !== null);
    expect(held.length).toBeGreaterThan(0);
    expect(banner).toContain(`In ${held.map((m: any) => m.marketplace).join(", ")} since `);
    expect(banner).toContain(`by ${held[0].hold.actor}: “${held[0].hold.note}”`);
    const lifecycle = await tableByCaption(page, "Lifecycle on 2026-09-30: pending → locked → payable → paid (SPEC §12)");
    expect(lifecycle.body.map(([market, ...cells]) => [market, ...cells.slice(0, 6).map(plain), cells[6]])).toEqual(
      payout.marketplaces.map((m: any) => [
        `${m.marketplace} (${m.currency})`,
        m.lifecycle.pending,
        m.lifecycle.locked,
        m.lifecycle.payable,
        m.lifecycle.paid,
        earnings.marketplaces.find((e: any) => e.marketplace === m.marketplace).totals.total,
        m.receivable,
        `creator:cr-00004:${m.marketplace}:earned`,
      ]),
    );
    expect(problems).toEqual([]);
  });

  it("periods and a closing statement: every month, the close, totals, creators, late entries and trial balance equal the API's", async () => {
    const periods = await api("/v1/periods?marketplace=US");
    expect(periods.closedThrough).toBe("2025-12");
    const { page, problems } = await open("/periods?marketplace=US");
    expect((await factsOf(page, "Earning months"))["Closed through"]).toBe(periods.closedThrough);
    const months = await tableByCaption(page, "Earning months of US, oldest first");
    expect(months.body.map(([month, status, position, , by, note]) => [month, status, position, by, note])).toEqual(
      periods.periods.map((p: any) => [
        p.month,
        p.status === "closed" ? "Closed" : "Open",
        p.closedAtPosition === null ? "—" : String(p.closedAtPosition),
        p.actor ?? "—",
        p.note ?? "—",
      ]),
    );
    await page.getByRole("link", { name: "Statement of 2025-12" }).click();
    await page.waitForURL(`${server.url}/periods/US/2025-12`);
    await settle(page);

    const statement = await api("/v1/periods/US/2025-12");
    expect(statement.lateEntries).toHaveLength(1); // consoleBrowser.ts CLOSED_PERIOD_EVENTS
    const close = await factsOf(page, "The close");
    expect([close["Closed at position"], close.By, close.Note, close.Currency]).toEqual([
      String(statement.closedAtPosition),
      statement.actor,
      statement.note,
      statement.currency,
    ]);
    expect(await page.locator("code.hash").first().textContent()).toBe(statement.logHash);
    const totals = await factsOf(page, "Booked in 2025-12");
    expect(Object.values(totals).map(plain)).toEqual([
      statement.totals.standard,
      statement.totals.bonusConfirmed,
      statement.totals.reversed,
      statement.totals.adjusted,
    ]);
    const creators = await tableByCaption(page, "Creators' earnings booked in 2025-12 (USD)");
    expect(creators.body.map(([id, earned]) => [id, plain(earned)])).toEqual(statement.creators.map((c: any) => [c.creatorId, c.earned]));
    const late = await tableByCaption(page, "Entries booked forward from 2025-12 since the close");
    expect(
      late.body.map(([entryId, , , amount, creator, original, booked, transfer, source]) => [
        entryId,
        plain(amount),
        creator,
        original,
        booked,
        transfer,
        source,
      ]),
    ).toEqual(
      statement.lateEntries.map((e: any) => [
        e.entryId,
        e.amount,
        e.creatorId,
        e.originalMonth,
        e.earningMonth,
        `${e.source} → ${e.destination}`,
        e.sourceEventId,
      ]),
    );
    const trial = await tableByCaption(page, `USD accounts at position ${statement.closedAtPosition}`);
    expect(trial.body.map(([account, balance]) => [account, plain(balance)])).toEqual(
      statement.trialBalance.accounts.map((a: any) => [a.account, a.balance]),
    );
    expect(plain(trial.foot[0]![1])).toBe(statement.trialBalance.sum);
    expect(problems).toEqual([]);
  });

  it("the log: its head equals /v1/log/head, and the check shows /v1/log/verify's answer", async () => {
    const head = await api("/v1/log/head");
    const { page, problems } = await open("/log");
    expect((await factsOf(page, "Head")).Position).toBe(String(head.position));
    expect(await page.locator("code.hash").first().textContent()).toBe(head.hash);
    await page.getByRole("button", { name: "Verify the log" }).click();
    await page.getByText(/^Verified events$/).waitFor();
    const verify = await api("/v1/log/verify"); // the harness runs open: every scope
    const facts = await factsOf(page, "Check the chain");
    expect([facts["Verified events"], facts["Last good position"], facts["First bad position"], facts.Why]).toEqual([
      String(verify.verified),
      String(verify.head.position),
      verify.firstBadPosition === null ? "—" : String(verify.firstBadPosition),
      verify.reason ?? "—",
    ]);
    expect(verify.ok).toBe(true);
    expect(await page.getByText("Intact", { exact: true }).count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it("tax summaries: the filing list and a creator's year equal /v1/tax-summaries and /tax-summary", async () => {
    const list = await api("/v1/tax-summaries?year=2026&marketplace=DE&minimum=0");
    const { page, problems } = await open("/tax-summaries?year=2026&marketplace=DE&minimum=0");
    const table = await tableByCaption(
      page,
      `Creators of DE paid at least ${list.minimum} EUR in 2026, as of position ${list.asOfPosition}`,
    );
    expect(table.body.map(([creator, paid, payouts]) => [creator, plain(paid), Number(payouts)])).toEqual(
      list.creators.map((c: any) => [c.creatorId, c.paid, c.payouts]),
    );
    expect(list.creators[0]).toMatchObject({ creatorId: "cr-00001", paid: "97.55" }); // README, the payout cycle
    await page.getByRole("link", { name: "cr-00001", exact: true }).click();
    await page.waitForURL(`${server.url}/creators/cr-00001/tax-summary?year=2026`);
    await settle(page);
    const summary = await api("/v1/creators/cr-00001/tax-summary?year=2026");
    const year = await tableByCaption(page, `cr-00001 in 2026, per marketplace, as of position ${summary.asOfPosition}`);
    expect(year.body.map(([market, paid, payouts, adjusted]) => [market, plain(paid), Number(payouts), plain(adjusted)])).toEqual(
      summary.marketplaces.map((m: any) => [`${m.marketplace} (${m.currency})`, m.paid, m.payouts, m.adjusted]),
    );
    expect(problems).toEqual([]);
  });

  it("a report's chart opens on its busiest marketplace; an empty table says so; codes read in words (ASIN)", async () => {
    // cr-00000 from September to November 2025: 2 days in CA, 21 in UK.
    const report = await api("/v1/creators/cr-00000/report?from=2025-09-01&to=2025-11-29");
    const rowsOf = (m: string) => report.rows.filter((r: { marketplace: string }) => r.marketplace === m).length;
    expect(report.totals.map((t: { marketplace: string }) => [t.marketplace, rowsOf(t.marketplace)])).toEqual([
      ["CA", 2],
      ["UK", 21],
    ]);
    let { page, problems } = await open("/creators/cr-00000/report?from=2025-09-01&to=2025-11-29");
    expect(await page.getByLabel("Chart of").inputValue()).toBe("UK");
    expect(problems).toEqual([]);

    // cr-00005 has a CA campaign and no CA amount in any month.
    const earnings = await api("/v1/creators/cr-00005/earnings");
    expect(earnings.marketplaces[0]).toMatchObject({ marketplace: "CA", months: [] });
    ({ page, problems } = await open("/creators/cr-00005"));
    expect(await page.getByRole("table", { name: "By earning month, CA (CAD)" }).count()).toBe(0);
    expect(await page.getByText("By earning month, CA (CAD): no earning month has an amount yet.").count()).toBe(1);
    expect(problems).toEqual([]);

    ({ page, problems } = await open("/audit"));
    const anomalies = await api("/v1/anomalies?limit=50");
    expect(anomalies.anomalies.some((a: { code: string }) => a.code === "asin_not_in_shipment")).toBe(true);
    const what = await page.locator("tbody tr td:nth-child(2)").allTextContents();
    expect(what).toContain("ASIN not in shipment");
    expect(what.filter((w) => w.includes("Asin"))).toEqual([]);
    expect(problems).toEqual([]);
  });

  // --- issue 27: find anything, as of a date, a campaign's history ---------------------------------

  it("lists: every creator, campaign (of a brand, in a state) and brand equals /v1/creators, /v1/campaigns and /v1/brands", async () => {
    const ids = (rows: string[][]) => rows.map(([id]) => id);
    const creators = await api("/v1/creators?limit=50");
    expect(creators.creators.length).toBeGreaterThan(5);
    let { page, problems } = await open("/creators");
    const first = creators.creators[0].creatorId;
    const last = creators.creators[creators.creators.length - 1].creatorId;
    let table = await tableByCaption(page, `Creators ${first} to ${last}, by id, as of position ${creators.asOfPosition}`);
    expect(ids(table.body)).toEqual(creators.creators.map((c: { creatorId: string }) => c.creatorId));
    expect(problems).toEqual([]);

    // A page after a cursor (the URL's `after`, as the pager writes it) is the API's page after it.
    const after = creators.creators[4].creatorId;
    const rest = await api(`/v1/creators?after=${after}&limit=50`);
    ({ page, problems } = await open(`/creators?after=${after}`));
    table = await tableByCaption(
      page,
      `Creators ${rest.creators[0].creatorId} to ${rest.creators[rest.creators.length - 1].creatorId} (after ${after}), by id, as of position ${rest.asOfPosition}`,
    );
    expect(ids(table.body)).toEqual(rest.creators.map((c: { creatorId: string }) => c.creatorId));
    expect(problems).toEqual([]);

    const campaigns = await api("/v1/campaigns?brandId=brand-000&state=ended&limit=50");
    expect(campaigns.campaigns.length).toBeGreaterThan(1);
    ({ page, problems } = await open("/campaigns?brandId=brand-000&state=ended"));
    const cs = campaigns.campaigns;
    table = await tableByCaption(
      page,
      `Ended campaigns of brand-000 ${cs[0].campaignId} to ${cs[cs.length - 1].campaignId}, by id, as of position ${campaigns.asOfPosition}`,
    );
    expect(
      table.body.map(([id, brand, market, state, , , , budget, spent, remaining, count]) => [
        id,
        brand,
        market,
        state,
        plain(budget),
        plain(spent),
        plain(remaining),
        Number(count),
      ]),
    ).toEqual(
      cs.map((c: any) => [
        c.campaignId,
        c.brandId,
        `${c.marketplace} (${c.currency})`,
        `Ended${c.exhausted ? "Budget exhausted" : ""}`,
        c.budget,
        c.spent,
        c.remaining,
        c.creators,
      ]),
    );
    expect(problems).toEqual([]);

    const brands = await api("/v1/brands?limit=50");
    ({ page, problems } = await open("/brands"));
    const bs = brands.brands;
    table = await tableByCaption(
      page,
      `Brands ${bs[0].brandId} to ${bs[bs.length - 1].brandId}, by id, as of position ${brands.asOfPosition}`,
    );
    expect(table.body.map(([id, count]) => [id, Number(count)])).toEqual(bs.map((b: any) => [b.brandId, b.campaigns]));
    // A brand's "Its campaigns" is the campaigns list of that brand.
    await page.getByRole("link", { name: "Its campaigns" }).first().click();
    await page.waitForURL(`${server.url}/campaigns?brandId=${bs[0].brandId}`);
    await settle(page);
    const ofBrand = await api(`/v1/campaigns?brandId=${bs[0].brandId}&limit=50`);
    expect(await page.locator("tbody tr td:first-child").allTextContents()).toEqual(
      ofBrand.campaigns.map((c: { campaignId: string }) => c.campaignId),
    );
    expect(problems).toEqual([]);
  });

  it("search: the suggestions and the search page are /v1/search's hits, any case", async () => {
    const suggested = await api("/v1/search?q=STORY&limit=8");
    expect(suggested.truncated).toBe(true);
    const detail = (hit: any) =>
      ({
        creator: "",
        campaign: `of ${hit.brandId}, ${hit.marketplace}`,
        brand: `${hit.campaigns} campaign${hit.campaigns === 1 ? "" : "s"}`,
        payout: `to ${hit.creatorId}, ${hit.marketplace}`,
        event: `${hit.type} at position ${hit.position}`,
      })[hit.kind as string];
    const kind = (hit: any) => hit.kind[0].toUpperCase() + hit.kind.slice(1);
    const { page, problems } = await open("/");
    const box = page.getByRole("combobox").first();
    await box.pressSequentially("STORY");
    const listbox = page.getByRole("listbox", { name: "Suggestions" }).first();
    await listbox.getByRole("option").first().waitFor();
    const options = (await listbox.getByRole("option").allTextContents()).map((text) => text.trim());
    expect(options).toEqual([
      ...suggested.hits.map((hit: any) => `${kind(hit)} ${hit.id} ${detail(hit)}`.trim()),
      "Every id that starts with STORY…",
    ]);

    // The last suggestion opens the search page: every hit the API has (up to 50).
    await listbox.getByRole("option").last().click();
    await page.waitForURL(`${server.url}/search?q=STORY`);
    await settle(page);
    const all = await api("/v1/search?q=STORY&limit=50");
    const table = await tableByCaption(
      page,
      `${all.truncated ? `The first ${all.hits.length}` : all.hits.length} ids that start with STORY, any case, as of position ${all.asOfPosition}`,
    );
    expect(table.body).toEqual(all.hits.map((hit: any) => [kind(hit), hit.id, detail(hit) || "—"]));
    expect(problems).toEqual([]);
  });

  it("campaign history: every row equals GET /v1/campaigns/{id} history, now and as of a position", async () => {
    const money = (amount: string) => new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(Number(amount));
    const change = (name: string, c: { from: any; to: any } | undefined, show: (v: any) => string) =>
      c === undefined ? "" : `${name}: ${c.from === null ? "" : `${show(c.from)} → `}${show(c.to)}`;
    const yesNo = (v: boolean) => (v ? "yes" : "no");
    const what: Record<string, string> = {
      CampaignCreated: "Created",
      CampaignBudgetChanged: "Budget changed",
      CampaignPaused: "Paused",
      CampaignResumed: "Resumed",
      CampaignEndChanged: "End changed",
      CampaignEnded: "Ended",
    };
    const expected = (history: any[]) =>
      history.map((h) => [
        String(h.position),
        what[h.eventType],
        change("Budget", h.changes.budget, money) +
          change("Ends", h.changes.endsAt, shownInstant) +
          change("Paused", h.changes.paused, yesNo) +
          change("Ended", h.changes.ended, yesNo),
        shownInstant(h.occurredAt),
        shownInstant(h.recordedAt),
        h.eventId,
      ]);

    const now = await api("/v1/campaigns/cmp-0006");
    // README, campaign management: created, raised, paused, resumed, end moved, ended.
    expect(now.history.map((h: any) => h.position)).toEqual([403, 408, 410, 412, 413, 414]);
    let { page, problems } = await open("/campaigns/cmp-0006");
    let table = await tableByCaption(page, `How cmp-0006 was managed, in position order, as of position ${now.asOfPosition}`);
    expect(table.body).toEqual(expected(now.history));
    expect(table.body[1]![2]).toBe("Budget: $20.00 → $60.00");
    expect(problems).toEqual([]);

    const then = await api("/v1/campaigns/cmp-0006?asOfPosition=411");
    expect(then.history).toHaveLength(3);
    ({ page, problems } = await open("/campaigns/cmp-0006?at=411"));
    table = await tableByCaption(page, "How cmp-0006 was managed, in position order, as of position 411");
    expect(table.body).toEqual(expected(then.history));
    expect(problems).toEqual([]);
  });

  it("as of a date: the time typed, in UTC or the browser's zone, lands on the position /v1/log/position gives", async () => {
    // The demo's events were recorded at one time when the server loaded them; the closed period's two later.
    const head = (await api("/v1/health")).store.head as number;
    const events = await api(`/v1/events?after=${head - 3}&limit=3`);
    const demoLast = events.events[0];
    expect(demoLast.position).toBe(head - 2);
    const recordedAt: string = demoLast.recordedAt;
    const answer = await api(`/v1/log/position?at=${encodeURIComponent(recordedAt)}`);
    expect(answer.position).toBeGreaterThanOrEqual(demoLast.position);
    expect(answer.position).toBeLessThan(head);

    const { page, problems } = await open("/creators/cr-00003?asOf=2026-06-10");
    const form = page.getByRole("form", { name: "As of a date" });
    const asked: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/v1/log/position")) asked.push(new URL(request.url()).search);
    });
    const choose = async (text: string, zone: string) => {
      await form.getByLabel("Zone").selectOption({ label: zone });
      await form.getByLabel("As of date").fill(text);
      await form.getByRole("button", { name: "Show" }).click();
    };

    // UTC, as the API writes recordedAt.
    await choose(recordedAt.replace("T", " ").replace("Z", ""), "UTC");
    await page.waitForURL(new RegExp(`[?&]at=${answer.position}$`));
    await settle(page);
    expect(asked.pop()).toBe(`?at=${encodeURIComponent(recordedAt)}`);
    const banner = await page.locator(".position-banner").textContent();
    expect(banner).toContain(`as of position ${answer.position} of ${head}, the last recorded by `);
    const total = plain((await factsOf(page, "Earnings in US (USD)")).Total!);
    const earningsThen = await api(`/v1/creators/cr-00003/earnings?asOfPosition=${answer.position}`);
    expect(total).toBe(earningsThen.marketplaces[0].totals.total);

    // The browser's zone (Europe/Berlin in these tests): the same instant as a Berlin wall time, sent with its offset (+ as %2B).
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-CA", {
        timeZone: "Europe/Berlin",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
        hourCycle: "h23",
      })
        .formatToParts(new Date(recordedAt))
        .map((p) => [p.type, p.value]),
    );
    const berlin = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}.${recordedAt.slice(20, 23)}`;
    await page.getByRole("button", { name: "Latest", exact: true }).click();
    await page.waitForURL((url) => !url.search.includes("at="));
    await settle(page);
    await choose(berlin, "Europe/Berlin (this browser)");
    await page.waitForURL(new RegExp(`[?&]at=${answer.position}$`));
    await settle(page);
    const sent = asked.pop()!;
    expect(sent).toMatch(/^\?at=\d{4}-\d{2}-\d{2}T\d{2}%3A\d{2}%3A\d{2}\.\d{3}%2B0[12]%3A00$/);
    expect(new Date(decodeURIComponent(sent.slice(4))).toISOString()).toBe(recordedAt);

    // A time before anything was recorded: position 0; one after everything: the latest (no position in the URL).
    await choose("2000-01-01 00:00", "UTC");
    await page.waitForURL(/[?&]at=0$/);
    await settle(page);
    expect((await api("/v1/log/position?at=2000-01-01T00:00:00.000Z")).position).toBe(0);
    await choose("2999-12-31", "UTC");
    await page.waitForURL((url) => !url.search.includes("at="));
    await settle(page);
    const latest = await api("/v1/log/position?at=2999-12-31T23:59:59.999Z");
    expect(latest.position).toBe(head);
    expect(await form.getByRole("status").textContent()).toBe(
      `2999-12-31 (end of the day, 23:59:59.999) UTC → position ${head}, the latest, recorded ${shownInstant(latest.recordedAt)}.`,
    );
    // Position 0 shows the ledger empty: the creator is not known yet (that one 404 is the page's answer, not a probe).
    expect(problems).toEqual([
      `answer 404: GET ${server.url}/v1/creators/cr-00003/earnings?asOfPosition=0`,
      "console: Failed to load resource: the server responded with a status of 404 (Not Found)",
    ]);
  });
});
