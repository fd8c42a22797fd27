/**
 * Whether Dolibarr will accept an e-mail address: isValidEmail() in htdocs/core/lib/functions.lib.php
 * (Dolibarr 20.0.2, l.4563; contact/card.php l.262 and societe/card.php l.442 refuse to save a
 * record whose address fails it) returns filter_var($address, FILTER_VALIDATE_EMAIL). That is PHP's
 * php_filter_validate_email (php-src ext/filter/logical_filters.c): at most 320 bytes, then the
 * regular expression below (regexp1, the one used without FILTER_FLAG_EMAIL_UNICODE, compiled /iD
 * on bytes). It has no class for bytes above 0x7F, so any non-ASCII character fails
 * ("pénélope.åberg@example.org", "jean@café.fr"). Copied as is; test/unit/migrate-email.test.ts
 * checks it against PHP's own answers.
 */
// PHP's expression names control characters on purpose.
// eslint-disable-next-line no-control-regex
const phpEmail = /^(?!(?:(?:\x22?\x5C[\x00-\x7E]\x22?)|(?:\x22?[^\x5C\x22]\x22?)){255,})(?!(?:(?:\x22?\x5C[\x00-\x7E]\x22?)|(?:\x22?[^\x5C\x22]\x22?)){65,}@)(?:(?:[\x21\x23-\x27\x2A\x2B\x2D\x2F-\x39\x3D\x3F\x5E-\x7E]+)|(?:\x22(?:[\x01-\x08\x0B\x0C\x0E-\x1F\x21\x23-\x5B\x5D-\x7F]|(?:\x5C[\x00-\x7F]))*\x22))(?:\.(?:(?:[\x21\x23-\x27\x2A\x2B\x2D\x2F-\x39\x3D\x3F\x5E-\x7E]+)|(?:\x22(?:[\x01-\x08\x0B\x0C\x0E-\x1F\x21\x23-\x5B\x5D-\x7F]|(?:\x5C[\x00-\x7F]))*\x22)))*@(?:(?:(?!.*[^.]{64,})(?:(?:(?:xn--)?[a-z0-9]+(?:-+[a-z0-9]+)*\.){1,126}){1,}(?:(?:[a-z][a-z0-9]*)|(?:(?:xn--)[a-z0-9]+))(?:-+[a-z0-9]+)*)|(?:\[(?:(?:IPv6:(?:(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){7})|(?:(?!(?:.*[a-f0-9][:\]]){7,})(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,5})?::(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,5})?)))|(?:(?:IPv6:(?:(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){5}:)|(?:(?!(?:.*[a-f0-9]:){5,})(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,3})?::(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,3}:)?)))?(?:(?:25[0-5])|(?:2[0-4][0-9])|(?:1[0-9]{2})|(?:[1-9]?[0-9]))(?:\.(?:(?:25[0-5])|(?:2[0-4][0-9])|(?:1[0-9]{2})|(?:[1-9]?[0-9]))){3}))\]))$/i;

// eslint-disable-next-line no-control-regex
const ascii = /^[\x00-\x7F]*$/;

export function isValidEmail(address: string): boolean {
  // Without /u PCRE reads bytes: a non-ASCII character is bytes >= 0x80, which no class admits.
  if (!ascii.test(address)) return false;
  return address.length <= 320 && phpEmail.test(address);
}

/** Why an address fails, in words a user can act on. */
export function emailProblem(address: string): string | undefined {
  if (isValidEmail(address)) return undefined;
  const hint = ascii.test(address) ? '' : ' (Dolibarr takes ASCII addresses only: its isValidEmail uses PHP FILTER_VALIDATE_EMAIL; write a domain in its xn-- form)';
  return `"${address}" is not an e-mail address${hint}`;
}
