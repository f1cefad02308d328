// The console with tokens on (LEDGER_TOKENS; SPEC §10: same tokens, entered once, kept for the
// browser session): the page loads without one and asks for one; a refused token is said to be
// refused; a read-only token shows every page and, from the page, reaches nothing but reads (the
// ledger's writes answer 403); the token lives in sessionStorage, survives a reload, goes with
// Sign out, and is sent to /v1 only as Authorization: Bearer.
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiJson,
  browserAvailable,
  factsOf,
  launchChromium,
  newContext,
  openQuietly,
  plain,
  seriousViolations,
  settle,
  startDemoServer,
  watchedPage,
  type DemoServer,
} from "../support/consoleBrowser.ts";

const READ_TOKEN = "console-read-only-token-0001";
const OPERATOR_TOKEN = "console-operator-token-00001";
const ADMIN_TOKEN = "console-admin-token-0000001";

describe.skipIf(!browserAvailable())("the console with tokens on", () => {
  let server: DemoServer;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startDemoServer({ tokens: `${READ_TOKEN}:read;${OPERATOR_TOKEN}:ingest,read,payouts;${ADMIN_TOKEN}:read,admin` }),
      launchChromium(),
    ]);
    context = await newContext(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A page of a tab that signed in with a token (the read token unless said) before (the first test signs in through the form). */
  async function signedInPage(token = READ_TOKEN) {
    const watched = await watchedPage(context);
    await watched.page.addInitScript((t) => sessionStorage.setItem("ledger-console.token", t), token);
    return watched;
  }

  it("asks for a token, says when one is refused, and shows the page with a read token", async () => {
    const { page, problems } = await watchedPage(context);
    await openQuietly(page, `${server.url}/creators/cr-00003`);
    const heading = page.getByRole("heading", { name: "This ledger asks for an access token" });
    expect(await heading.count()).toBe(1);
    expect(await page.locator("dl.facts").count()).toBe(0); // no number shown without a token
    expect(await seriousViolations(page)).toEqual([]);
    // The page itself loaded without a token; only its read of /v1 was refused (Chromium logs the refused load too).
    expect([...problems].sort()).toEqual([
      `answer 401: GET ${server.url}/v1/creators/cr-00003/earnings`,
      "console: Failed to load resource: the server responded with a status of 401 (Unauthorized)",
    ]);

    await page.getByLabel("Access token", { exact: true }).fill("not-a-token-anyone-has");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("That token was not accepted. Check it and enter it again.").waitFor();

    await page.getByLabel("Access token", { exact: true }).fill(READ_TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Earnings in US (USD)" }).waitFor();
    await settle(page);
    const earnings = await apiJson(`${server.url}/v1/creators/cr-00003/earnings`, { headers: { authorization: `Bearer ${READ_TOKEN}` } });
    expect(plain((await factsOf(page, "Earnings in US (USD)")).Total)).toBe(earnings.marketplaces[0].totals.total);
    expect(await page.evaluate(() => sessionStorage.getItem("ledger-console.token"))).toBe(READ_TOKEN);

    // Kept for the tab: a reload (and any other page) needs no second sign-in.
    await page.reload();
    await settle(page);
    expect(await heading.count()).toBe(0);
    await openQuietly(page, `${server.url}/audit`);
    expect(await page.getByRole("table", { name: /^Read models against the store's head/ }).count()).toBe(1);
    await page.close();
  });

  it("a read-only token reaches nothing but reads: the ledger's writes answer 403 from the page", async () => {
    const { page } = await signedInPage();
    await openQuietly(page, `${server.url}/`);
    const answers = await page.evaluate(async (token) => {
      const bearer = { authorization: `Bearer ${token}` };
      const json = { ...bearer, "content-type": "application/json" };
      const status = async (path: string, init: RequestInit = {}) => (await fetch(path, init)).status;
      return {
        read: await status("/v1/creators/cr-00003/earnings", { headers: bearer }),
        readWithout: await status("/v1/creators/cr-00003/earnings"),
        append: await status("/v1/events", { method: "POST", headers: json, body: "[]" }),
        payoutRun: await status("/v1/payouts/run", {
          method: "POST",
          headers: json,
          body: JSON.stringify({ marketplace: "US", asOf: "2026-06-10" }),
        }),
      };
    }, READ_TOKEN);
    expect(answers).toEqual({ read: 200, readWithout: 401, append: 403, payoutRun: 403 });
    // What the console's own requests carried: the token, as a bearer header, to /v1 only.
    const sent: { url: string; authorization: string | undefined }[] = [];
    page.on("request", (request) => sent.push({ url: new URL(request.url()).pathname, authorization: request.headers().authorization }));
    await openQuietly(page, `${server.url}/campaigns/cmp-0006`);
    const reads = sent.filter((r) => r.url.startsWith("/v1/"));
    expect([...new Set(reads.map((r) => r.url))].sort()).toEqual(["/v1/campaigns/cmp-0006", "/v1/campaigns/cmp-0006/report", "/v1/health"]);
    expect(reads.filter((r) => r.authorization !== `Bearer ${READ_TOKEN}`)).toEqual([]);
    // The page and its files, without the token.
    const others = sent.filter((r) => !r.url.startsWith("/v1/"));
    expect(others.map((r) => r.url)).toContain("/campaigns/cmp-0006");
    expect(others.filter((r) => r.url !== "/campaigns/cmp-0006" && !r.url.startsWith("/assets/"))).toEqual([]);
    expect(others.filter((r) => r.authorization !== undefined)).toEqual([]);
    await page.close();
  });

  it("checking the log: a read-only token is told it needs the admin scope; an admin token gets the answer", async () => {
    let { page, problems } = await signedInPage();
    await openQuietly(page, `${server.url}/log`);
    expect(problems).toEqual([]); // the head needs only read; the check is asked for only on the button
    await page.getByRole("button", { name: "Verify the log" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.locator(".state-title").textContent()).toBe("Checking the log needs the admin scope");
    expect(await alert.locator("p").nth(1).textContent()).toBe("this token lacks the 'admin' scope");
    expect(problems.filter((p) => !p.includes("403"))).toEqual([]);
    await page.close();

    ({ page, problems } = await signedInPage(ADMIN_TOKEN));
    await openQuietly(page, `${server.url}/log`);
    await page.getByRole("button", { name: "Verify the log" }).click();
    await page.getByText(/^Verified events$/).waitFor();
    const verify = await apiJson(`${server.url}/v1/log/verify`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect((await factsOf(page, "Check the chain"))["Verified events"]).toBe(String(verify.verified));
    expect(problems).toEqual([]);
    await page.close();
  });

  it("Sign out forgets the token: the next read asks again", async () => {
    const { page } = await signedInPage();
    await openQuietly(page, `${server.url}/brands/brand-000`);
    expect(await page.getByRole("table").count()).toBe(1);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "This ledger asks for an access token" }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("ledger-console.token"))).toBeNull();
    await page.close();
  });
});
