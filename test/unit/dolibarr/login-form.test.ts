import { describe, expect, it } from 'vitest';
import { readLoginToken, showsLoginForm, showsLogout } from '../../../src/dolibarr/login-form.js';

// Shaped like core/tpl/login.tpl.php l.151-223 (field names and order), written for this test.
const loginPage = `<html><body><div class="login_center">
<form id="login" name="login" method="post" action="/index.php?mainmenu=home">
<input type="hidden" name="token" value="a1b2c3d4e5f6" />
<input type="hidden" name="actionlogin" value="login">
<input type="hidden" name="loginfunction" value="loginfunction" />
<input type="text" id="username" name="username" value="" />
<input type="password" id="password" name="password" value="" />
</form></div></body></html>`;

describe('login form reading', () => {
  it('finds the CSRF token inside the login form only', () => {
    expect(readLoginToken(loginPage)).toBe('a1b2c3d4e5f6');
    expect(
      readLoginToken('<form id="search"><input type="hidden" name="token" value="other" /></form>'),
    ).toBeUndefined();
  });

  it('tells the login page from a logged-in page', () => {
    expect(showsLoginForm(loginPage)).toBe(true);
    expect(showsLogout(loginPage)).toBe(false);
    const home = '<div id="topmenu"><a href="/user/logout.php?token=x">Logout</a></div>';
    expect(showsLoginForm(home)).toBe(false);
    expect(showsLogout(home)).toBe(true);
  });
});
