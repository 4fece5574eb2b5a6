// The identity provider's pages, shaped like Google's: a sign-in form (email and password), a consent
// screen naming the app and what it asks for, and an error page. Forms post to the interaction routes.
import { escapeHtml, page } from '../http/html.ts';

const PROVIDER_NAME = 'Google Accounts (staging double)';

/** What Google shows under the password field for a wrong password. */
export const WRONG_PASSWORD_MESSAGE = 'Wrong password. Try again or click Forgot password to reset it.';
export const UNKNOWN_ACCOUNT_MESSAGE = "Couldn't find your Google Account";

const SCOPE_TEXT: Readonly<Record<string, string>> = {
  openid: 'Associate you with your personal info on Google',
  email: 'See your primary Google Account email address',
  profile: 'See your personal info, including any personal info you have made publicly available',
};

export function loginPage(input: { uid: string; email: string; error?: string }): string {
  const alert = input.error === undefined ? '' : `<p role="alert" id="error">${escapeHtml(input.error)}</p>\n`;
  return page(
    `Sign in - ${PROVIDER_NAME}`,
    `<main>
<h1>Sign in</h1>
<p>to continue to Netra Apex</p>
<form method="post" action="/interaction/${escapeHtml(input.uid)}/login" autocomplete="off" novalidate>
<label for="identifier">Email</label>
<input id="identifier" type="email" name="login" value="${escapeHtml(input.email)}" autofocus>
<label for="password">Password</label>
<input id="password" type="password" name="password"${input.error === undefined ? '' : ' aria-invalid="true" aria-describedby="error"'}>
${alert}<button type="submit">Next</button>
</form>
</main>`,
  );
}

export function consentPage(input: {
  uid: string;
  email: string;
  clientName: string;
  scopes: readonly string[];
}): string {
  const items = input.scopes.map((s) => `<li>${escapeHtml(SCOPE_TEXT[s] ?? s)}</li>`).join('\n');
  return page(
    `${input.clientName} wants to access your Google Account`,
    `<main>
<h1>${escapeHtml(input.clientName)} wants to access your Google Account</h1>
<p>${escapeHtml(input.email)}</p>
<p>This will allow ${escapeHtml(input.clientName)} to:</p>
<ul>
${items}
</ul>
<div class="actions">
<form method="post" action="/interaction/${escapeHtml(input.uid)}/abort"><button type="submit">Cancel</button></form>
<form method="post" action="/interaction/${escapeHtml(input.uid)}/confirm"><button type="submit">Allow</button></form>
</div>
</main>`,
  );
}

export function errorPage(title: string, message: string): string {
  return page(title, `<main>\n<h1>${escapeHtml(title)}</h1>\n<p role="alert">${escapeHtml(message)}</p>\n</main>`);
}
