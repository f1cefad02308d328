// The console shows the API's numbers (SPEC §10: "every number it shows is one the API returns"):
// on the demo data, each amount of the creator, campaign and report pages, read off the page in
// Chromium, equals the API's answer for the same ids, read by this test; a ledger entry's source
// event opens in place; the CSV download is the API's CSV byte for byte; the position picker moved
// back shows the API's answer as of that position. The README's walk-through anchors a few of the
// amounts by hand (cr-00003's US total 46.33 now, 10.08 at position 400).
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

describe.skipIf(!browserAvailable())("the console's numbers are the API's", () => {
  let server: DemoServer;
  let browser: Browser;
  let context: BrowserContext;
  const api = <T = any>(path: string) => apiJson<T>(server.url + path);

  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchChromium()]);
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
    const payload = page.getByLabel(`Payload of event ${event.id}`);
    expect(await payload.textContent()).toBe(JSON.stringify(event.data, null, 2));
    const details = page.locator(".row-details");
    expect(await details.locator("dt", { hasText: "Type" }).locator("xpath=following-sibling::dd").textContent()).toBe(event.type);
    expect(await details.locator("dt", { hasText: "Position" }).locator("xpath=following-sibling::dd").textContent()).toBe(
      String(event.position),
    );
    expect(problems).toEqual([]);
  });

  it("the CSV downloads are the API's CSV, byte for byte, under its file name", async () => {
    for (const [pagePath, apiPath] of [
      ["/creators/cr-00003/report?from=2026-06-01&to=2026-08-29", "/v1/creators/cr-00003/report?from=2026-06-01&to=2026-08-29&format=csv"],
      [
        "/campaigns/cmp-0006/report?from=2026-08-01&to=2026-08-31",
        "/v1/campaigns/cmp-0006/report?from=2026-08-01&to=2026-08-31&format=csv",
      ],
    ] as const) {
      const fromApi = await fetch(server.url + apiPath);
      const expected = Buffer.from(await fromApi.arrayBuffer());
      expect(expected.toString("utf8").split("\n").length).toBeGreaterThan(2);
      const { page, problems } = await open(pagePath);
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
      expect(fs.readFileSync((await download.path())!)).toEqual(expected);
      expect(`attachment; filename="${download.suggestedFilename()}"`).toBe(fromApi.headers.get("content-disposition"));
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
});
