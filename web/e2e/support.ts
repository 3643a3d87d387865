import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../../server/test/harness.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with no background traffic (the network is closed). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install chromium (the CI script does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface Served extends TestContext {
  base: string;
}

/** The real app on a real port, on its own database, serving the built web apps. */
export async function serve(): Promise<Served> {
  const t = await createTestContext();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return { ...t, base: `http://127.0.0.1:${addr.port}` };
}

/** Fail the test on any uncaught page error (and keep console errors for the message). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

/** Sign in to the console at `base` and wait for the header. */
export async function consoleLogin(page: Page, base: string, username: string, password: string, path = '/console/'): Promise<void> {
  await page.goto(`${base}${path}`);
  await page.getByTestId('console-login-username').fill(username);
  await page.getByTestId('console-login-password').fill(password);
  await page.getByTestId('console-login-submit').click();
  await page.getByTestId('header-user').waitFor();
}
