// `npm run screenshots`: a picture of every console page (tests/support/consoleTour.ts) on the demo
// data set, in docs/console/NAME.png, as the README shows them. Needs /usr/bin/chromium.
import fs from "node:fs";
import path from "node:path";
import { browserAvailable, launchChromium, newContext, startDemoServer, watchedPage } from "../support/consoleBrowser.ts";
import { TOUR, visitStop } from "../support/consoleTour.ts";
import { REPO_ROOT } from "../support/serverChild.ts";

const OUT_DIR = path.join(REPO_ROOT, "docs", "console");

if (!browserAvailable()) process.exit(1);
const server = await startDemoServer({ rebuild: true, closedPeriod: true });
const browser = await launchChromium();
try {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const context = await newContext(browser);
  for (const stop of TOUR) {
    const { page, problems } = await watchedPage(context);
    await visitStop(page, server.url, stop);
    const file = path.join(OUT_DIR, `${stop.name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    process.stdout.write(
      `${path.relative(REPO_ROOT, file)}  ${stop.title}${problems.length > 0 ? `\n  problems: ${problems.join("\n  ")}` : ""}\n`,
    );
    await page.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
