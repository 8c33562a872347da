// node status-page-check.js URL SCREENSHOT.png [CHROMIUM]
//
// Opens the status page in headless chromium (Debian's, through playwright-core), waits until the page has rendered
// the first status.json, takes a full-page screenshot and prints what a person would read as one JSON line:
// { dataset, status, plugin, progressText, tasks: [[cells...]], errors: [[cells...]], errorsWhere, chartPoints, failure }.
"use strict";
const { chromium } = require("playwright-core");

async function main() {
  const [url, screenshot, executablePath = "/usr/bin/chromium"] = process.argv.slice(2);
  if (!url || !screenshot) throw new Error("usage: node status-page-check.js URL SCREENSHOT.png [CHROMIUM]");
  const browser = await chromium.launch({
    executablePath,
    // This machine has no network beyond loopback: without these, chromium keeps trying Google's hosts.
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(url);
    await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });
    const seen = await page.evaluate(() => {
      const text = id => document.getElementById(id).textContent;
      const rows = id => [...document.getElementById(id).tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent));
      const line = document.getElementById("throughput-line");
      return {
        dataset: text("dataset"), status: text("status"), plugin: text("plugin"), progressText: text("progress-text"),
        tasks: rows("tasks"), errors: rows("errors"), errorsWhere: text("errors-where"),
        chartPoints: line ? line.getAttribute("points").split(" ").length : 0, failure: text("failure"),
      };
    });
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(JSON.stringify(seen));
  } finally {
    await browser.close();
  }
}

main().catch(e => { console.error(e.stack || String(e)); process.exit(1); });
