import type { ObjectKind, SqlValue } from './types.js';

/**
 * What each Dolibarr object needs to be correct (DOLIBARR.md §7, checked against
 * htdocs/install/mysql/tables/llx_societe.sql, llx_socpeople.sql, llx_product.sql and their
 * .key.sql files of Dolibarr 20.0.2 and 19.0.4).
 *
 * How rows are written, and why: like Dolibarr's own import module (DOLIBARR.md §9,
 * imports/import.php + core/modules/import/import_csv.modules.php), with batched SQL INSERTs
 * stamped with `import_key`, not through the REST API (§6). The API runs each business class's
 * create() (numbering, triggers) but costs one HTTP round trip and several queries per row;
 * 130k rows would take hours, far from the speed asked (>= 0.5x LOAD DATA). What create() would
 * have set, we set ourselves, per object below: entity, status, customer/supplier codes from the
 * configured numbering module (codes.ts), creation date, price incl. tax. Like the import module,
 * no triggers fire (no agenda events, no webhooks) and llx_product_price gets no history row.
 */
export interface ObjectDef {
  kind: ObjectKind;
  /** Table name without the prefix. */
  table: string;
  /** The column holding the external key that makes a re-run idempotent. */
  keyColumn: string;
  /** Columns a row must have after mapping (Dolibarr refuses or misbehaves without them). */
  required: string[];
  /** Columns unique per entity besides the key (.key.sql): a clash is a duplicate. */
  unique: string[];
  /** Values create() would set when the mapping does not give them. */
  defaults: Record<string, SqlValue>;
  /** Label for reports. */
  label: string;
}

export const objectDefs: Record<ObjectKind, ObjectDef> = {
  thirdparty: {
    kind: 'thirdparty',
    table: 'societe',
    // ref_ext: "reference into an external system (not used by dolibarr)" — the source's id.
    keyColumn: 'ref_ext',
    // Societe::create() refuses an empty name (ErrorFieldRequired); the column itself is nullable.
    required: ['nom'],
    // uk_societe_code_client / uk_societe_code_fournisseur (code, entity).
    unique: ['code_client', 'code_fournisseur'],
    // status 1 = active (Societe::create default); client 0..3, fournisseur 0/1; tva_assuj 1.
    defaults: { status: 1, client: 0, fournisseur: 0, tva_assuj: 1, fk_stcomm: 0 },
    label: 'third parties',
  },
  contact: {
    kind: 'contact',
    table: 'socpeople',
    keyColumn: 'ref_ext',
    // Contact::create() needs a last name (ErrorFieldRequired lastname).
    required: ['lastname'],
    unique: [],
    // statut 1 = active, priv 0 = public contact (Contact::create defaults).
    defaults: { statut: 1, priv: 0, no_email: 0, fk_stcommcontact: 0 },
    label: 'contacts',
  },
  product: {
    kind: 'product',
    table: 'product',
    // uk_product_ref (ref, entity): the ref is the natural external key of a product.
    keyColumn: 'ref',
    required: ['ref', 'label'],
    unique: ['barcode'],
    // fk_product_type 0 product / 1 service; on sale and purchase; prices excl. tax ('HT').
    defaults: { fk_product_type: 0, tosell: 1, tobuy: 1, price_base_type: 'HT', price: 0, tva_tx: 0 },
    label: 'products',
  },
};

/** Load order: references point backwards (contact -> third party), undo goes the other way. */
export const loadOrder: ObjectKind[] = ['thirdparty', 'product', 'contact'];
