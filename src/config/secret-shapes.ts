// Secrets the probe was never given, found by their shape: a run knows only its own values, but staging's
// error logs, a server's error details and a page's text may quote anyone's token, a database URL with its
// password, or a field named like a credential. Taken out of every text from outside the run.

const MARK = '[REDACTED]';

/** What a credential-bearing field is called: the name ends with one of these (refresh_token, X-Service-Secret, apiKey). */
const NAME = String.raw`[\w.-]*?(?:token|secret|password|passwd|pwd|key|authorization|credentials?|cookie)`;

const SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
  // Anything JWT-shaped, whoever issued it (the signature may be cut off: the payload is still a user's).
  [/eyJ[\w-]+\.[\w-]+(?:\.[\w-]*)?/g, MARK],
  // Credentials in a URL: scheme://user:password@host keeps the user, not the password.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/?#@"'<>]*):[^\s/?#@"'<>]+@/gi, `$1:${MARK}@`],
  // An HTTP authorization scheme and its credentials, wherever they are quoted (credentials hold a digit or a
  // base64 sign, or are long: "Token validation failed" is prose).
  [
    /\b(Bearer|Basic|Token|Digest|Negotiate)\s+(?!\[REDACTED\])(?=[\w~+/=.:-]*[\d+/=]|[\w~+/=.:-]{20})[\w~+/=.:-]{6,}/g,
    `$1 ${MARK}`,
  ],
  // "password": "…" in JSON, or escaped inside a JSON string (\"password\": \"…\"); cut off at the end too.
  [new RegExp(String.raw`((\\?)"${NAME}\2"\s*:\s*\2")(?:(?!\2")(?:[^"\\]|\\.))*(?:\2"|$)`, 'gi'), `$1${MARK}$2"`],
  // refresh_token=… in a query, a form body or a log line.
  [new RegExp(String.raw`((?<![\w.-])${NAME}=)(?!\[REDACTED\])[^\s&"'<>,;]+`, 'gi'), `$1${MARK}`],
  // A header or a YAML line: X-Service-Secret: …, cookie: …, password: … (unquoted, one word of 6 or more).
  [
    new RegExp(
      String.raw`((?<![\w.-])${NAME}:[ \t]*)(?!\[REDACTED\]|(?:Bearer|Basic|Token|Digest|Negotiate)\b)[^\s"',;]{6,}`,
      'gi',
    ),
    `$1${MARK}`,
  ],
];

/** The text with every secret-shaped part replaced by [REDACTED]; the same string when it holds none. */
export function scrubShapes(text: string): string {
  let out = text;
  for (const [shape, replacement] of SHAPES) out = out.replace(shape, replacement);
  return out;
}
