/**
 * Fixture release SQL: a few tables with the real columns of DOLIBARR.md §7 (install/mysql/tables/*.sql +
 * *.key.sql, 22.0.2), the tables rights need (llx_rights_def, llx_user_rights), a few countries, and one
 * migration file per major step so upgrade.php has something to run.
 */
export const tables: Record<string, string> = {
  'llx_const.sql': `create table llx_const
(
  rowid integer AUTO_INCREMENT PRIMARY KEY,
  name varchar(180) NOT NULL,
  entity integer DEFAULT 1 NOT NULL,
  value text NOT NULL,
  type varchar(64) DEFAULT 'string',
  visible tinyint DEFAULT 1 NOT NULL,
  note text,
  tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
) ENGINE=innodb;`,
  'llx_const.key.sql': 'ALTER TABLE llx_const ADD UNIQUE INDEX uk_const (name, entity);',
  'llx_user.sql': `create table llx_user
(
  rowid integer AUTO_INCREMENT PRIMARY KEY,
  entity integer DEFAULT 1 NOT NULL,
  login varchar(50) NOT NULL,
  lastname varchar(50),
  firstname varchar(50),
  email varchar(255),
  admin smallint DEFAULT 0,
  pass varchar(128),
  pass_crypted varchar(128),
  api_key varchar(128),
  fk_soc integer NULL,
  fk_socpeople integer NULL,
  fk_member integer NULL,
  statut tinyint DEFAULT 1,
  datec datetime,
  tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  datelastlogin datetime,
  datepreviouslogin datetime,
  iplastlogin varchar(250),
  ippreviouslogin varchar(250)
) ENGINE=innodb;`,
  'llx_user.key.sql': `ALTER TABLE llx_user ADD UNIQUE INDEX uk_user_login (login, entity);
ALTER TABLE llx_user ADD UNIQUE INDEX uk_user_fk_socpeople (fk_socpeople);
ALTER TABLE llx_user ADD UNIQUE INDEX uk_user_fk_member (fk_member);
ALTER TABLE llx_user ADD UNIQUE INDEX uk_user_api_key (api_key);`,
  'llx_societe.sql': `create table llx_societe
(
  rowid integer AUTO_INCREMENT PRIMARY KEY,
  nom varchar(128),
  entity integer DEFAULT 1 NOT NULL,
  status tinyint DEFAULT 1,
  client tinyint DEFAULT 0,
  fournisseur tinyint DEFAULT 0,
  code_client varchar(24),
  code_fournisseur varchar(24),
  prefix_comm varchar(5),
  barcode varchar(180),
  fk_barcode_type integer NULL,
  fk_pays integer DEFAULT 0,
  datec datetime,
  tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  import_key varchar(14)
) ENGINE=innodb;`,
  'llx_societe.key.sql': `ALTER TABLE llx_societe ADD UNIQUE INDEX uk_societe_prefix_comm (prefix_comm, entity);
ALTER TABLE llx_societe ADD UNIQUE INDEX uk_societe_code_client (code_client, entity);
ALTER TABLE llx_societe ADD UNIQUE INDEX uk_societe_code_fournisseur (code_fournisseur, entity);
ALTER TABLE llx_societe ADD UNIQUE INDEX uk_societe_barcode (barcode, fk_barcode_type, entity);`,
  // skipped by step2 (name contains '-'), as the real llx_societe_perentity-multicompany.sql
  'llx_societe_perentity-multicompany.sql': 'create table llx_societe_perentity (rowid integer AUTO_INCREMENT PRIMARY KEY) ENGINE=innodb;',
  'llx_socpeople.sql': `create table llx_socpeople
(
  rowid integer AUTO_INCREMENT PRIMARY KEY,
  fk_soc integer,
  entity integer DEFAULT 1 NOT NULL,
  lastname varchar(50),
  firstname varchar(50),
  email varchar(255),
  statut tinyint DEFAULT 1 NOT NULL,
  priv smallint DEFAULT 0 NOT NULL,
  no_email smallint DEFAULT 0 NOT NULL,
  datec datetime,
  tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  import_key varchar(14)
) ENGINE=innodb;`,
  'llx_product.sql': `create table llx_product
(
  rowid integer AUTO_INCREMENT PRIMARY KEY,
  ref varchar(128) NOT NULL,
  entity integer DEFAULT 1 NOT NULL,
  label varchar(255) NOT NULL,
  fk_product_type integer DEFAULT 0,
  price double(24,8) DEFAULT 0,
  tosell tinyint DEFAULT 1,
  tobuy tinyint DEFAULT 1,
  barcode varchar(180),
  fk_barcode_type integer NULL,
  datec datetime,
  tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  import_key varchar(14)
) ENGINE=innodb;`,
  'llx_product.key.sql': `ALTER TABLE llx_product ADD UNIQUE INDEX uk_product_ref (ref, entity);
ALTER TABLE llx_product ADD UNIQUE INDEX uk_product_barcode (barcode, fk_barcode_type, entity);`,
  'llx_rights_def.sql': `create table llx_rights_def
(
  id integer NOT NULL,
  libelle varchar(255),
  module varchar(64),
  entity integer DEFAULT 1 NOT NULL,
  perms varchar(50),
  subperms varchar(50),
  PRIMARY KEY (id, entity)
) ENGINE=innodb;`,
  'llx_user_rights.sql': `create table llx_user_rights
(
  rowid integer AUTO_INCREMENT PRIMARY KEY,
  entity integer DEFAULT 1 NOT NULL,
  fk_user integer NOT NULL,
  fk_id integer NOT NULL
) ENGINE=innodb;`,
  'llx_user_rights.key.sql': 'ALTER TABLE llx_user_rights ADD UNIQUE INDEX uk_user_rights (entity, fk_user, fk_id);',
  // install/mysql/tables/llx_events.sql (20.0.2): the security events of core/triggers/interface_20_all_Logevents.class.php
  'llx_events.sql': `create table llx_events
(
  rowid integer AUTO_INCREMENT PRIMARY KEY,
  tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  type varchar(32) NOT NULL,
  entity integer DEFAULT 1 NOT NULL,
  prefix_session varchar(255) NULL,
  dateevent datetime,
  fk_user integer,
  description varchar(250) NOT NULL,
  ip varchar(250) NOT NULL,
  user_agent varchar(255) NULL,
  fk_object integer NULL,
  authentication_method varchar(64) NULL,
  fk_oauth_token integer NULL
) ENGINE=innodb;`,
  'llx_c_country.sql': `create table llx_c_country
(
  rowid integer PRIMARY KEY,
  code varchar(2) NOT NULL,
  code_iso varchar(3),
  label varchar(128) NOT NULL,
  active tinyint DEFAULT 1 NOT NULL
) ENGINE=innodb;`,
};

export const data: Record<string, string> = {
  'llx_00_c_country.sql': `INSERT INTO llx_c_country (rowid, code, code_iso, label) VALUES (1, 'FR', 'FRA', 'France');
INSERT INTO llx_c_country (rowid, code, code_iso, label) VALUES (2, 'BE', 'BEL', 'Belgium');
INSERT INTO llx_c_country (rowid, code, code_iso, label) VALUES (5, 'DE', 'DEU', 'Germany');
INSERT INTO llx_c_country (rowid, code, code_iso, label) VALUES (7, 'GB', 'GBR', 'United Kingdom');
INSERT INTO llx_c_country (rowid, code, code_iso, label) VALUES (11, 'US', 'USA', 'United States');`,
};

/** Migration files for the two major steps leading to `version` (named like install/mysql/migration/19.0.0-20.0.0.sql). */
export function migrations(version: string, broken = false): Record<string, string> {
  const major = Number(version.split('.')[0]);
  const out: Record<string, string> = {};
  for (const m of [major - 1, major]) {
    out[`${m - 1}.0.0-${m}.0.0.sql`] = `-- fixture migration to ${m}.0.0\nALTER TABLE llx_product ADD COLUMN fixture_v${m} integer DEFAULT 0;\n`;
  }
  // issue 5 fault injection: data changed, a new table created, then an error upgrade.php does not tolerate: a syntax
  // error (DB_ERROR_SYNTAX; a missing table, DB_ERROR_NOSUCHTABLE, is among run_sql()'s accepted errors, admin.lib.php l.477-491)
  if (broken) {
    out[`${major - 1}.0.0-${major}.0.0.sql`] +=
      "CREATE TABLE llx_fixture_new_in_upgrade (rowid integer PRIMARY KEY) ENGINE=innodb;\nUPDATE llx_societe SET nom = CONCAT(nom, ' (migrated)');\nINSERT INTO llx_fixture_missing_table VALUES (1);\nALTER TABLE llx_societe ADD COLUMN fixture_broken;\n";
  }
  return out;
}
