// Every page of the console (tests/support/consoleTour.ts) on the demo data, in Chromium: it opens
// with no console error, no uncaught exception, no failed request and no error answer, shows its
// title and no error state, and axe-core finds no serious or critical accessibility violation.
// Then the search box, and the states that say what went wrong and what to do.
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiJson,
  browserAvailable,
  launchChromium,
  newContext,
  openQuietly,
  settle,
  seriousViolations,
  startDemoServer,
  watchedPage,
  type DemoServer,
} from "../support/consoleBrowser.ts";
import { TOUR, visitStop } from "../support/consoleTour.ts";

/** What Chromium logs for an answer ≥ 400 to a fetch: expected where the page asks whether an id exists. */
const NOT_FOUND_LOG = "console: Failed to load resource: the server responded with a status of 404 (Not Found)";

describe.skipIf(!browserAvailable())("every page of the console", () => {
  let server: DemoServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    // rebuild: earnings v2 (rule version 2) is being rebuilt, so the replay pages have a diff.
    [server, browser] = await Promise.all([startDemoServer({ rebuild: true }), launchChromium()]);
    context = await newContext(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const stop of TOUR) {
    it(`${stop.name} (${stop.path}) opens cleanly, and axe finds no serious or critical violation`, async () => {
      const { page, problems } = await watchedPage(context);
      await visitStop(page, server.url, stop);
      expect(await page.locator("h1").count()).toBe(1);
      expect(await page.locator(".state-error").allTextContents()).toEqual([]);
      expect(problems).toEqual([]);
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    });
  }

  it("the accessibility scan is not blind: an image without a text alternative is reported", async () => {
    const { page } = await watchedPage(context);
    await openQuietly(page, `${server.url}/audit`);
    await page.evaluate(() => {
      const image = document.createElement("img");
      image.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
      document.querySelector("main")!.append(image);
    });
    expect((await seriousViolations(page)).map((line) => line.split(" ")[0])).toEqual(["image-alt"]);
    await page.close();
  });

  it("the search box takes a creator, campaign, brand, payout or event id to its page", async () => {
    const { page, problems } = await watchedPage(context);
    await openQuietly(page, `${server.url}/`);
    for (const [id, path] of [
      ["cr-00003", "/creators/cr-00003"],
      ["cmp-0006", "/campaigns/cmp-0006"],
      ["brand-001", "/brands/brand-001"],
      ["story-goodwill", "/events/story-goodwill"],
    ] as const) {
      const search = page.getByRole("search").first();
      await search.getByRole("searchbox").fill(id);
      await search.getByRole("button", { name: "Go" }).click();
      await page.waitForURL(`${server.url}${path}`);
      await settle(page);
      expect(await page.locator("h1").textContent()).toBe(id);
    }
    // An id two things have (a payout and the event that issued it): both are offered.
    const search = page.getByRole("search").first();
    await search.getByRole("searchbox").fill("payout:cr-00003:US:2026-06-01");
    await search.getByRole("button", { name: "Go" }).click();
    await page.waitForURL(`${server.url}/search?q=payout%3Acr-00003%3AUS%3A2026-06-01`);
    await settle(page);
    expect(await page.locator(".matches li").allTextContents()).toEqual([
      "Payout: payout:cr-00003:US:2026-06-01",
      "Event: payout:cr-00003:US:2026-06-01",
    ]);
    await page.getByRole("link", { name: "payout:cr-00003:US:2026-06-01" }).first().click();
    await page.waitForURL(`${server.url}/payouts/payout%3Acr-00003%3AUS%3A2026-06-01`);

    // The search asks every kind of read; each kind that does not know the id answers 404.
    const notFound = problems.filter((p) => /^answer 404: GET /.test(p));
    expect(notFound).toHaveLength(4 * 4 + 3);
    expect(problems.filter((p) => p !== NOT_FOUND_LOG && !notFound.includes(p))).toEqual([]);
  });

  it("an id nothing has, a range over 90 days and a position past the head say what happened and what to do", async () => {
    const { page } = await watchedPage(context);
    await openQuietly(page, `${server.url}/search?q=nobody-has-this`);
    expect(await page.locator(".state-title").textContent()).toBe("Nothing has the id nobody-has-this");

    await openQuietly(page, `${server.url}/creators/nobody-has-this`);
    expect(await page.getByRole("alert").locator(".state-title").textContent()).toBe("No creator with this id");

    const refused = await fetch(`${server.url}/v1/creators/cr-00003/report?from=2026-01-01&to=2026-06-30`);
    expect(refused.status).toBe(400);
    const message = ((await refused.json()) as { error: { message: string } }).error.message;
    await openQuietly(page, `${server.url}/creators/cr-00003/report?from=2026-01-01&to=2026-06-30`);
    const alert = page.getByRole("alert");
    expect(await alert.locator(".state-title").textContent()).toBe("The ledger refused this request");
    expect(await alert.locator("p").nth(1).textContent()).toBe(message);
    expect(await seriousViolations(page)).toEqual([]);

    const head = (await apiJson(`${server.url}/v1/health`)).store.head as number;
    await openQuietly(page, `${server.url}/campaigns/cmp-0006?at=${head + 1}`);
    expect(await page.getByRole("alert").locator("p").nth(1).textContent()).toBe(
      `asOfPosition ${head + 1} is beyond the store's head (${head})`,
    );
  });
});
