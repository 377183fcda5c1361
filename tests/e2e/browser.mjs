// What the browser tests of the case flows share: one headless Chromium, pages that collect their
// script errors, sign-in, dialogs, and a server clock moved to a chosen local day.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { PASSWORD } from '../api/helpers.mjs';

export const DAY = 86400;

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// A page in its own context (its own session); script errors are collected in page.errors.
export async function newPage(browser, viewport = { width: 1280, height: 900 }) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await ctx.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  return page;
}

export async function signIn(page, base, username) {
  await page.goto(base + '/login');
  await page.fill('[data-test=login-username]', username);
  await page.fill('[data-test=login-password]', PASSWORD);
  await page.click('[data-test=login-submit]');
  await page.waitForSelector('[data-test=logout]');
}

// Confirms the open dialog of the case page and waits until it closed (it stays open on an error).
export async function confirmDialog(page) {
  await page.click('.el-dialog [data-test=dialog-confirm]');
  await page.locator('.el-dialog').first().waitFor({ state: 'hidden' });
}

export async function caseState(page, label) {
  await page.waitForFunction((l) => document.querySelector('[data-test=case-state]')?.innerText.includes(l), label);
}

export const daysBetween = (a, b) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / (DAY * 1000));

// The n-th working day after `from` on the server's calendar.
export async function workday(client, from, n) {
  return (await client.get(`/api/v1/calendar/deadline?from=${from}&workdays=${n}`)).json.date;
}

// Moves the server's clock from the local day `today` to `day` (same time of day).
export function moveTo(srv, today, day) {
  const n = daysBetween(today, day);
  assert.ok(n >= 0, `cannot move back from ${today} to ${day}`);
  srv.advance(n * DAY);
}

// Polls fn until pred(result) holds: the server's background jobs run every second here.
export async function until(what, fn, pred, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const r = await fn();
    if (pred(r)) return r;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}: ${JSON.stringify(r.json ?? r)}`);
    await sleep(200);
  }
}
