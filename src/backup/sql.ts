/** A MariaDB identifier, back-quoted (same rule as steps/install/create-database.ts). */
export const sqlIdent = (s: string): string => `\`${s.replace(/`/g, '``')}\``;
