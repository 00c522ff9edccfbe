// The browser tests' harness: starts a real carebroker (fresh data directory, demonstration
// market, --port 0) and reads the printed URL and tokens from its output; launches Debian's
// Chromium through playwright-core (never a downloaded browser); injects axe-core into a page.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

export const CHROMIUM = process.env.CAREBROKER_CHROMIUM || '/usr/bin/chromium';
export const SCREENSHOTS = process.env.CAREBROKER_SCREENSHOTS || join(tmpdir(), 'carebroker-screenshots');

/// Starts `carebroker --demo --data <fresh dir> --port 0 [extra…]`; resolves once it printed its
/// URL, with the URL and the first-start tokens as printed.
export async function startServer(extra = []) {
  const bin = process.env.CAREBROKER_BIN;
  if (!bin || !existsSync(bin)) throw new Error(`CAREBROKER_BIN must name the carebroker binary (got ${bin})`);
  const data = mkdtempSync(join(tmpdir(), 'carebroker-e2e-'));
  const child = spawn(bin, ['--demo', '--data', join(data, 'store'), '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr.on('data', (d) => { out += d; });
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`carebroker did not print its URL:\n${out}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /open (https?:\/\/[^\s]+\/)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`carebroker exited ${code}:\n${out}`)); });
  });
  const tokens = {};
  for (const m of out.matchAll(/^ {2}(admin|officer|compliance|provider)\b(.*?)\s+([0-9a-f]{64})$/gm)) {
    tokens[m[1]] = m[3];
    if (m[1] === 'provider') tokens.providerId = m[2].trim();
  }
  return {
    url: ready,
    tokens,
    output: () => out,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is not installed at ${CHROMIUM}: scripts/install-deps installs Debian's chromium`);
  // playwright-core gives every launch a fresh --user-data-dir of its own (and refuses one passed
  // in args), so each run starts from an empty profile.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

/// Runs axe-core in the page; returns the serious and critical violations (with their nodes).
export async function seriousViolations(page) {
  await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

export async function api(server, token, method, path, body) {
  const res = await fetch(new URL(`api/v1${path}`, server.url), {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/// Opens the portal in a fresh context and signs in with `token`, as a person would.
export async function signIn(browser, url, token, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(60_000);  // a shared 2-core machine: generous, and only ever a ceiling
  const page = await context.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(url);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#connection[data-state=live]').waitFor();
  return page;
}
