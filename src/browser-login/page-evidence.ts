// What a person on call needs from the page where a browser login stopped: which service's page it
// is, its title and (safe) URL, the message it shows, and a screenshot saved under --artifacts.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { scrubSecrets } from '../config/secret.ts';
import { withoutJwts } from '../net/jwt-shape.ts';
import { serverText } from '../net/server-text.ts';
import { safeUrl } from './safe-url.ts';

export interface Origins {
  frontend: string;
  auth: string;
}

export type PageRole = 'frontend' | 'auth service' | 'identity provider' | 'browser error page';

export function roleOf(url: string, origins: Origins): PageRole {
  if (url.startsWith('chrome-error:')) return 'browser error page';
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return 'identity provider';
  }
  if (origin === origins.frontend) return 'frontend';
  if (origin === origins.auth) return 'auth service';
  return 'identity provider';
}

/** Where pages show errors: ARIA alerts and live regions first, then common error classes. */
export const MESSAGE_SELECTOR =
  '[role="alert"], [aria-live="assertive"], [aria-live="polite"], .error, .alert, .errors, [data-error]';

const MAX_TEXT = 200;
const QUICK_MS = 1_000;

/** Page text with every known secret (password, token…) and anything JWT-shaped taken out, then shortened. */
export function clip(text: string): string {
  // MAX_TEXT - 1 characters and the ellipsis: at most MAX_TEXT in all.
  return serverText(withoutJwts(text), MAX_TEXT - 1, { oneLine: true });
}

/** The first visible non-empty message on the page, or undefined. */
export async function visibleMessage(page: Page): Promise<string | undefined> {
  const candidates = page.locator(MESSAGE_SELECTOR);
  const n = Math.min(await candidates.count().catch(() => 0), 10);
  for (let i = 0; i < n; i++) {
    const c = candidates.nth(i);
    if (!(await c.isVisible().catch(() => false))) continue;
    // innerText, not textContent: what a person sees (hidden text left out, as the page is laid out).
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText, not the DOM's
    const text = clip(await c.innerText({ timeout: QUICK_MS }).catch(() => ''));
    if (text !== '') return text;
  }
  return undefined;
}

/** The page's visible text, shortened; for JSON error pages (`{"detail": …}`) the detail alone. */
export async function bodyText(page: Page): Promise<string> {
  const text = await page
    .locator('body')
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText: the text a person sees
    .innerText({ timeout: QUICK_MS })
    .catch(() => '');
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && 'detail' in parsed) {
      const detail = (parsed as { detail: unknown }).detail;
      return clip(typeof detail === 'string' ? detail : JSON.stringify(detail));
    }
  } catch {
    // not JSON
  }
  return clip(text);
}

export async function pageTitle(page: Page): Promise<string> {
  return clip(await page.title().catch(() => ''));
}

export interface Capture {
  lines: string[];
  artifacts: string[];
}

/**
 * Title, URL and a screenshot (when an artifacts directory is configured) of the page as it is now.
 * Bounded: evidence must not hold up a run that is being stopped.
 */
export async function captureFailurePage(
  page: Page,
  origins: Origins,
  artifacts: { dir: string | undefined; runId: string },
): Promise<Capture> {
  const url = page.url();
  const role = roleOf(url, origins);
  const where = role === 'browser error page' ? "Chromium's error page" : `the ${role} page`;
  // Scrubbed before safeUrl, which clips the query parameters it keeps (error_description).
  const lines = [`the browser was at ${where} "${await pageTitle(page)}" (${safeUrl(scrubSecrets(url))})`];
  const saved: string[] = [];
  if (artifacts.dir !== undefined) {
    const path = resolve(join(artifacts.dir, `login-failure-${artifacts.runId}.png`));
    try {
      await mkdir(artifacts.dir, { recursive: true });
      await page.screenshot({ path, timeout: 3_000, animations: 'disabled' });
      saved.push(path);
      lines.push(`screenshot: ${path}`);
    } catch (err) {
      lines.push(`no screenshot: ${err instanceof Error ? clip(err.message.split('\n')[0] ?? '') : 'unknown error'}`);
    }
  }
  return { lines, artifacts: saved };
}
