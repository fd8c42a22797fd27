import type { Mariadb } from './services/index.js';
import { Secret } from '../../src/core/secret.js';
import type { TargetDb } from '../../src/migrate/target.js';

/**
 * The Dolibarr tables a data migration touches, written by us after the real definitions of
 * Dolibarr 20.0.2 (columns the migration may write, with the same types, sizes, defaults, keys;
 * checked against 19.0.4 too). The database is utf8/utf8_unicode_ci as Dolibarr's installer
 * creates it (install/step1.php), so a 4-byte character is a real problem here as there.
 */
export const dolibarrTables = [
  // htdocs/install/mysql/tables/llx_c_country.sql + llx_c_country.key.sql
  `CREATE TABLE llx_c_country (
    rowid integer PRIMARY KEY, code varchar(2) NOT NULL, code_iso varchar(3), numeric_code varchar(3),
    label varchar(128) NOT NULL, eec tinyint DEFAULT 0 NOT NULL, active tinyint DEFAULT 1 NOT NULL, favorite tinyint DEFAULT 0 NOT NULL,
    UNIQUE INDEX idx_c_country_code (code), UNIQUE INDEX idx_c_country_code_iso (code_iso), UNIQUE INDEX idx_c_country_label (label)
  ) ENGINE=innodb`,
  // htdocs/install/mysql/tables/llx_const.sql + llx_const.key.sql
  `CREATE TABLE llx_const (
    rowid integer AUTO_INCREMENT PRIMARY KEY, name varchar(180) NOT NULL, entity integer DEFAULT 1 NOT NULL, value text NOT NULL,
    type varchar(64) DEFAULT 'string', visible tinyint DEFAULT 1 NOT NULL, note text, tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    UNIQUE INDEX uk_const (name, entity)
  ) ENGINE=innodb`,
  // htdocs/install/mysql/tables/llx_user.sql (subset: identity columns) + llx_user.key.sql uk_user_login
  `CREATE TABLE llx_user (
    rowid integer AUTO_INCREMENT PRIMARY KEY, entity integer DEFAULT 1 NOT NULL, login varchar(50) NOT NULL,
    lastname varchar(50), firstname varchar(50), admin smallint DEFAULT 0, statut tinyint DEFAULT 1,
    UNIQUE INDEX uk_user_login (login, entity)
  ) ENGINE=innodb`,
  // htdocs/install/mysql/tables/llx_societe.sql + llx_societe.key.sql
  `CREATE TABLE llx_societe (
    rowid integer AUTO_INCREMENT PRIMARY KEY, nom varchar(128), name_alias varchar(128) NULL, entity integer DEFAULT 1 NOT NULL,
    ref_ext varchar(255), statut tinyint DEFAULT 0, parent integer, status tinyint DEFAULT 1,
    code_client varchar(24), code_fournisseur varchar(24), code_compta varchar(24), code_compta_fournisseur varchar(24),
    address varchar(255), zip varchar(25), town varchar(50), fk_departement integer DEFAULT 0, fk_pays integer DEFAULT 0,
    phone varchar(20), phone_mobile varchar(20), fax varchar(20), url varchar(255), email varchar(128),
    fk_effectif integer DEFAULT 0, fk_typent integer DEFAULT NULL, fk_forme_juridique integer DEFAULT 0,
    siren varchar(128), siret varchar(128), ape varchar(128), tva_intra varchar(20), capital double(24,8) DEFAULT NULL,
    fk_stcomm integer DEFAULT 0 NOT NULL, note_private text, note_public text, prefix_comm varchar(5),
    client tinyint DEFAULT 0, fournisseur tinyint DEFAULT 0, tva_assuj tinyint DEFAULT 1,
    barcode varchar(180), fk_barcode_type integer NULL DEFAULT 0, default_lang varchar(6),
    tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, datec datetime, fk_user_creat integer NULL, fk_user_modif integer,
    import_key varchar(14),
    UNIQUE INDEX uk_societe_prefix_comm (prefix_comm, entity), UNIQUE INDEX uk_societe_code_client (code_client, entity),
    UNIQUE INDEX uk_societe_code_fournisseur (code_fournisseur, entity), UNIQUE INDEX uk_societe_barcode (barcode, fk_barcode_type, entity),
    INDEX idx_societe_nom (nom), INDEX idx_societe_pays (fk_pays)
  ) ENGINE=innodb`,
  // htdocs/install/mysql/tables/llx_socpeople.sql + llx_socpeople.key.sql (FK to llx_societe and llx_user kept)
  `CREATE TABLE llx_socpeople (
    rowid integer AUTO_INCREMENT PRIMARY KEY, datec datetime, tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    fk_soc integer, entity integer DEFAULT 1 NOT NULL, ref_ext varchar(255), name_alias varchar(255), fk_parent integer NULL,
    civility varchar(6), lastname varchar(50), firstname varchar(50), address varchar(255), zip varchar(25), town varchar(255),
    fk_departement integer, fk_pays integer DEFAULT 0, birthday date, poste varchar(255),
    phone varchar(30), phone_perso varchar(30), phone_mobile varchar(30), fax varchar(30), url varchar(255), email varchar(255),
    photo varchar(255), no_email smallint NOT NULL DEFAULT 0, priv smallint NOT NULL DEFAULT 0, fk_prospectlevel varchar(12),
    fk_stcommcontact integer DEFAULT 0 NOT NULL, fk_user_creat integer DEFAULT 0, fk_user_modif integer,
    note_private text, note_public text, default_lang varchar(6), canvas varchar(32), import_key varchar(14), statut tinyint DEFAULT 1 NOT NULL,
    INDEX idx_socpeople_fk_soc (fk_soc), INDEX idx_socpeople_fk_user_creat (fk_user_creat), INDEX idx_socpeople_lastname (lastname),
    CONSTRAINT fk_socpeople_fk_soc FOREIGN KEY (fk_soc) REFERENCES llx_societe (rowid),
    CONSTRAINT fk_socpeople_user_creat_user_rowid FOREIGN KEY (fk_user_creat) REFERENCES llx_user (rowid)
  ) ENGINE=innodb`,
  // htdocs/install/mysql/tables/llx_product.sql + llx_product.key.sql (FK to llx_c_country kept)
  `CREATE TABLE llx_product (
    rowid integer AUTO_INCREMENT PRIMARY KEY, ref varchar(128) NOT NULL, entity integer DEFAULT 1 NOT NULL, ref_ext varchar(128),
    datec datetime, tms timestamp DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, fk_parent integer DEFAULT 0,
    label varchar(255) NOT NULL, description text, note_public text, note text, customcode varchar(32),
    fk_country integer DEFAULT NULL, price double(24,8) DEFAULT 0, price_ttc double(24,8) DEFAULT 0,
    price_min double(24,8) DEFAULT 0, price_min_ttc double(24,8) DEFAULT 0, price_base_type varchar(3) DEFAULT 'HT',
    tva_tx double(7,4), recuperableonly integer NOT NULL DEFAULT '0', fk_user_author integer DEFAULT NULL, fk_user_modif integer,
    tosell tinyint DEFAULT 1, tobuy tinyint DEFAULT 1, tobatch tinyint DEFAULT 0 NOT NULL, fk_product_type integer DEFAULT 0,
    duration varchar(6), url varchar(255), barcode varchar(180) DEFAULT NULL, fk_barcode_type integer DEFAULT NULL,
    weight float DEFAULT NULL, weight_units tinyint DEFAULT NULL, stock real, pmp double(24,8) DEFAULT 0 NOT NULL,
    import_key varchar(14), desiredstock float DEFAULT 0,
    UNIQUE INDEX uk_product_ref (ref, entity), INDEX idx_product_label (label), INDEX idx_product_barcode (barcode),
    INDEX idx_product_import_key (import_key), UNIQUE INDEX uk_product_barcode (barcode, fk_barcode_type, entity),
    CONSTRAINT fk_product_fk_country FOREIGN KEY (fk_country) REFERENCES llx_c_country (rowid)
  ) ENGINE=innodb`,
];

/** A few rows of htdocs/install/mysql/data/llx_00_c_country.sql (same rowids and codes). */
const countries = `INSERT INTO llx_c_country (rowid, code, code_iso, label, active) VALUES
  (1,'FR','FRA','France',1),(2,'BE','BEL','Belgium',1),(3,'IT','ITA','Italy',1),(4,'ES','ESP','Spain',1),
  (5,'DE','DEU','Germany',1),(6,'CH','CHE','Switzerland',1),(7,'GB','GBR','United Kingdom',1),(11,'US','USA','United States',1),(17,'NL','NLD','Netherlands',1)`;

export interface DolibarrDb {
  target: TargetDb;
  /** Run SQL as root in this database; tab-separated rows. */
  query(sql: string): Promise<string[][]>;
}

/** Create a Dolibarr-shaped database and a user for it (password in a Secret) on a test MariaDB. */
export async function createDolibarrDatabase(db: Mariadb, name: string, opts: { codeModule?: string } = {}): Promise<DolibarrDb> {
  const password = Secret.generate(24);
  const user = `u_${name}`.slice(0, 32);
  await db.rootClient.query(`CREATE DATABASE ${name} CHARACTER SET utf8 COLLATE utf8_unicode_ci;
    CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY '${password.reveal()}'; CREATE USER '${user}'@'localhost' IDENTIFIED BY '${password.reveal()}';
    GRANT ALL ON ${name}.* TO '${user}'@'127.0.0.1'; GRANT ALL ON ${name}.* TO '${user}'@'localhost';
    GRANT FILE ON *.* TO '${user}'@'127.0.0.1';`);
  const query = (sql: string) => db.rootClient.query(`USE ${name}; ${sql}`);
  await query(dolibarrTables.join(';\n'));
  await query(countries);
  await query(`INSERT INTO llx_user (rowid, entity, login, lastname, admin) VALUES (1, 0, 'admin', 'SuperAdmin', 1)`);
  // modSociete's default numbering (core/modules/modSociete.class.php const SOCIETE_CODECLIENT_ADDON).
  await query(`INSERT INTO llx_const (name, entity, value, type, visible) VALUES ('SOCIETE_CODECLIENT_ADDON', 1, '${opts.codeModule ?? 'mod_codeclient_monkey'}', 'chaine', 0)`);
  return { target: { host: '127.0.0.1', port: db.port, database: name, user, password, prefix: 'llx_' }, query };
}
