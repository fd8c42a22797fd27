/**
 * Dolibarr's security events (core/triggers/interface_20_all_Logevents.class.php EVENT_ACTION_DICT, l.35-47 in
 * 19.0.4 and 20.0.2). With MAIN_LOGEVENTS_<code> set, the trigger INSERTs into llx_events (core/class/events.class.php
 * create()) and returns -1 when that fails; for USER_LOGIN, main.inc.php (l.1201-1220 in 19.0.4, l.1274-1293 in
 * 20.0.2) then rolls back, destroys the session and prints "Error in some triggers USER_LOGIN": in read-only mode
 * nobody could log in. conf.class.php setValues() (l.342-347 in 19.0.4, l.382-387 in 20.0.2) lets
 * $_SERVER['DOLIBARR_<constant>'] override a constant read from llx_const, and conf.php is included before it
 * (filefunc.inc.php l.140, master.inc.php l.210): so the window's conf.php turns event logging off for its requests
 * only, without writing llx_const. The events of the window could not have been written anyway.
 */
export const logEventCodes = [
  'USER_LOGIN',
  'USER_LOGIN_FAILED',
  'USER_LOGOUT',
  'USER_CREATE',
  'USER_MODIFY',
  'USER_NEW_PASSWORD',
  'USER_ENABLEDISABLE',
  'USER_DELETE',
  'USERGROUP_CREATE',
  'USERGROUP_MODIFY',
  'USERGROUP_DELETE',
] as const;
