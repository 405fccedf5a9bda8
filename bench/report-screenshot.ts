/**
 * Renders an HTML report in headless Chromium (Debian's `chromium`) and saves a PNG screenshot:
 *   tsx bench/report-screenshot.ts demo-scan/report.html docs/scan-report.png
 * Network is off for the page (the report's CSP forbids external loads anyway); fresh profile each run.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function screenshotReport(html: string, png: string, size = '1280,1600'): void {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'trustgap-chromium-'));
  try {
    execFileSync(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
        `--window-size=${size}`,
        '--hide-scrollbars',
        `--screenshot=${path.resolve(png)}`,
        `file://${path.resolve(html)}`,
      ],
      { stdio: 'ignore', timeout: 60_000 },
    );
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

if (require.main === module) screenshotReport(process.argv[2], process.argv[3]);
