// Every page of the console (tests/support/consoleTour.ts) on the demo data, in Chromium: it opens
// with no console error, no uncaught exception, no failed request and no error answer, shows its
// title and no error state, and axe-core finds no serious or critical accessibility violation.
// Then the search box and the lists, and the states that say what went wrong and what to do.
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

describe.skipIf(!browserAvailable())("every page of the console", () => {
  let server: DemoServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    // rebuild: earnings v2 (rule version 2) is being rebuilt, so the replay pages have a diff;
    // closedPeriod: US is closed through 2025-12, so the periods pages have a statement.
    [server, browser] = await Promise.all([startDemoServer({ rebuild: true, closedPeriod: true }), launchChromium()]);
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

  it("the search box suggests as one types (ARIA combobox; one /v1/search, never a probe) and opens the hit's page", async () => {
    const { page, problems } = await watchedPage(context);
    const asked: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith("/v1/") && url.pathname !== "/v1/health" && url.pathname !== "/v1/events")
        asked.push(url.pathname + url.search);
    });
    await openQuietly(page, `${server.url}/`);
    const box = page.getByRole("combobox").first();
    const listbox = page.getByRole("listbox", { name: "Suggestions" }).first();
    expect(await box.getAttribute("aria-expanded")).toBe("false");
    expect(await box.getAttribute("aria-autocomplete")).toBe("list");
    // The list is there while closed (hidden), so the box always controls an element.
    expect(await box.getAttribute("aria-controls")).toBe(await page.locator("[role=listbox]").first().getAttribute("id"));

    // Any case, every kind: one request for the text typed (after a pause), none per kind.
    await box.pressSequentially("CR-0000");
    await listbox.getByRole("option").first().waitFor();
    await settle(page);
    expect(await box.getAttribute("aria-expanded")).toBe("true");
    expect(asked).toEqual(["/v1/search?q=CR-0000&limit=8"]);
    const options = listbox.getByRole("option");
    expect((await options.allTextContents())[0]).toMatch(/^Creator cr-00000/);

    // ↓ ↓ ↑ moves the active option (aria-activedescendant, aria-selected); Enter opens it.
    await box.press("ArrowDown");
    await box.press("ArrowDown");
    await box.press("ArrowUp");
    const active = await box.getAttribute("aria-activedescendant");
    expect(active).toBe(await options.first().getAttribute("id"));
    expect(await options.first().getAttribute("aria-selected")).toBe("true");
    expect(await options.nth(1).getAttribute("aria-selected")).toBe("false");
    // Escape closes the list; ↓ opens it again.
    await box.press("Escape");
    expect(await box.getAttribute("aria-expanded")).toBe("false");
    expect(await box.inputValue()).toBe("CR-0000");
    await box.press("ArrowDown");
    expect(await box.getAttribute("aria-expanded")).toBe("true");
    await box.press("Enter");
    await page.waitForURL(`${server.url}/creators/cr-00000`);
    await settle(page);
    expect(await page.locator("h1").textContent()).toBe("cr-00000");

    // A click on a suggestion opens it too.
    await box.pressSequentially("brand-00");
    await listbox.getByRole("option", { name: /^Brand brand-001/ }).click();
    await page.waitForURL(`${server.url}/brands/brand-001`);
    await settle(page);

    // A character no id has is told at once, and never asked (the API would answer 400).
    await box.pressSequentially("cr 3");
    await page.getByRole("status").filter({ hasText: "An id has 1 to 128 of the characters" }).first().waitFor({ state: "attached" });
    await page.waitForTimeout(500); // longer than the box waits before it asks
    expect(asked.filter((a) => a.startsWith("/v1/search?q=cr+3") || a.startsWith("/v1/search?q=cr%203"))).toEqual([]);
    await box.fill("");

    // Enter on an id typed in full opens its page (through the search page when the answer is not in yet).
    for (const [id, path] of [
      ["cr-00003", "/creators/cr-00003"],
      ["CMP-0006", "/campaigns/cmp-0006"],
      ["brand-001", "/brands/brand-001"],
      ["story-goodwill", "/events/story-goodwill"],
    ] as const) {
      const search = page.getByRole("search").first();
      await search.getByRole("combobox").fill(id);
      await search.getByRole("button", { name: "Go" }).click();
      await page.waitForURL(`${server.url}${path}`);
      await settle(page);
      expect(await page.locator("h1").textContent()).toBe(id.toLowerCase());
    }
    // An id two things have (a payout and the event that issued it): both are offered.
    const search = page.getByRole("search").first();
    await search.getByRole("combobox").fill("payout:cr-00003:US:2026-06-01");
    await search.getByRole("button", { name: "Go" }).click();
    await page.waitForURL(`${server.url}/search?q=payout%3Acr-00003%3AUS%3A2026-06-01`);
    await settle(page);
    const results = page.getByRole("table", { name: /^2 ids that start with payout:cr-00003:US:2026-06-01/ });
    expect(await results.locator("tbody tr td:first-child").allTextContents()).toEqual(["Payout", "Event"]);
    await page.getByRole("link", { name: "payout:cr-00003:US:2026-06-01" }).first().click();
    await page.waitForURL(`${server.url}/payouts/payout%3Acr-00003%3AUS%3A2026-06-01`);
    await settle(page);

    // Only /v1/search was asked to find things: no read was probed, so nothing answered 404.
    expect(
      asked.filter((a) => !a.startsWith("/v1/search?") && !/^\/v1\/(creators|campaigns|brands|payouts|events)\/[^/?]+/.test(a)),
    ).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("the lists are linked from the header; their pages and filters answer without a 4xx", async () => {
    const { page, problems } = await watchedPage(context);
    await openQuietly(page, `${server.url}/`);
    const nav = page.getByRole("navigation", { name: "Console" });
    for (const [name, path] of [
      ["Creators", "/creators"],
      ["Brands", "/brands"],
      ["Campaigns", "/campaigns"],
    ] as const) {
      await nav.getByRole("link", { name, exact: true }).click();
      await page.waitForURL(`${server.url}${path}`);
      await settle(page);
      expect(await page.locator("h1").textContent()).toBe(name);
    }
    await page.getByLabel("Brand", { exact: true }).selectOption("brand-001");
    await page.waitForURL(/brandId=brand-001/);
    await settle(page); // the brand's list has answered (choosing the state at once aborts its request, which counts as failed)
    await page.getByLabel("State", { exact: true }).selectOption("ended");
    await page.waitForURL(/state=ended/);
    await settle(page);
    expect(await page.locator("caption").first().textContent()).toMatch(/^Ended campaigns of brand-001 /);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("an unknown address shows the console's not-found page (a 404), never the API's JSON", async () => {
    const { page, problems } = await watchedPage(context);
    const answer = await page.goto(`${server.url}/creators/cr-00003/nope`);
    await settle(page);
    expect(answer?.status()).toBe(404);
    expect(await page.locator("h1").textContent()).toBe("There is no such page");
    expect(await seriousViolations(page)).toEqual([]);
    // Only the address itself: the console's files and reads answered.
    expect(problems).toEqual([
      `answer 404: GET ${server.url}/creators/cr-00003/nope`,
      "console: Failed to load resource: the server responded with a status of 404 (Not Found)",
    ]);
    await page.close();
  });

  it("a server that does not answer is said once: what happened, then what to do", async () => {
    const { page } = await watchedPage(context);
    await page.route("**/v1/**", (route) => route.abort("connectionrefused"));
    await openQuietly(page, `${server.url}/brands/brand-000`);
    const alert = page.getByRole("alert");
    expect(await alert.locator("p").allTextContents()).toEqual([
      "The ledger is not answering",
      "No answer to GET /v1/brands/brand-000/campaigns: the connection failed.",
      "Check that the ledger's server is running, then retry.",
    ]);
    await page.close();
  });

  it("dates are typed and shown as YYYY-MM-DD, whatever the browser's language", async () => {
    const { page, problems } = await watchedPage(context);
    await openQuietly(page, `${server.url}/creators/cr-00003/report?from=2026-06-01&to=2026-08-29`);
    const from = page.getByLabel("From", { exact: true });
    expect(await from.getAttribute("type")).toBe("text");
    expect(await from.inputValue()).toBe("2026-06-01");
    await from.fill("2026-06-02");
    await page.locator(".range-form").getByRole("button", { name: "Show", exact: true }).click();
    await page.waitForURL(/from=2026-06-02/);
    await settle(page);
    await openQuietly(page, `${server.url}/creators/cr-00003?asOf=2026-06-10`);
    expect(await page.getByLabel("Payout date", { exact: true }).inputValue()).toBe("2026-06-10");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("an id nothing has, a range over 90 days and a position past the head say what happened and what to do", async () => {
    const { page } = await watchedPage(context);
    await openQuietly(page, `${server.url}/search?q=nobody-has-this`);
    expect(await page.locator(".state-title").textContent()).toBe("Nothing has an id that starts with nobody-has-this");
    await openQuietly(page, `${server.url}/search?q=cr%203`);
    expect(await page.locator(".state-title").textContent()).toBe("That cannot be the start of an id");

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
