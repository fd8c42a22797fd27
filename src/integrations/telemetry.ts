/**
 * Dolibarr's anonymous first ping (policy: client installs do not send it unless the plan opts in with
 * `dolibarr.telemetry: true`). llxFooter() in htdocs/main.inc.php (20.0.2 l.3858-3948, 19.0.4 l.3732-3822) prints,
 * on the home page only, a script that makes the admin's browser POST to MAIN_URL_FOR_PING
 * (https://ping.dolibarr.org/) while
 *   !MAIN_FIRST_PING_OK_DATE || (instance_unique_id && MAIN_FIRST_PING_OK_ID != dol_hash('dolibarr'.id, 'sha256')
 *                                 && MAIN_FIRST_PING_OK_ID != 'disabled').
 * Its own opt-out (the installer's "dolibarrpingno" checkbox, install/step2.php l.596, then main.inc.php l.3943-3944)
 * records a date and the ID 'disabled' at the entity; we write the same two constants. install/upgrade2.php l.620
 * sets every MAIN_FIRST_PING_OK_ID to 'torefresh' after an upgrade, which brings the ping back: the constants must
 * be written again after each upgrade. Entity 0 covers entities created later (Conf::setValues() loads entity 0
 * first, then the entity's own rows override, conf.class.php l.370-371); entity 1 replaces a row the
 * upgrade refreshed there.
 */
export interface TelemetryConstant {
  name: 'MAIN_FIRST_PING_OK_DATE' | 'MAIN_FIRST_PING_OK_ID';
  value: string;
  entity: 0 | 1;
}

/** Dolibarr's dol_print_date($now, 'dayhourlog', 'gmt'): YYYYMMDDHHMMSS in UTC. */
export function dayHourLog(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** The constants that keep the ping from being offered; none when the plan opts in (Dolibarr's default then applies). */
export function telemetryConstants(optIn: boolean, now: Date): TelemetryConstant[] {
  if (optIn) return [];
  const date = dayHourLog(now);
  return ([0, 1] as const).flatMap((entity) => [
    { name: 'MAIN_FIRST_PING_OK_DATE' as const, value: date, entity },
    { name: 'MAIN_FIRST_PING_OK_ID' as const, value: 'disabled', entity },
  ]);
}

/** For the handoff pack and the report: what the install says about the ping. */
export function describeTelemetry(optIn: boolean): string {
  return optIn
    ? "Dolibarr's anonymous first ping: allowed by the plan (dolibarr.telemetry: true)"
    : "Dolibarr's anonymous first ping: off (MAIN_FIRST_PING_OK_ID = 'disabled')";
}
