import type { ObjectKind } from './types.js';

/**
 * Header words, in the languages client exports come in (English, French, German, Spanish,
 * Italian, Dutch), that name each Dolibarr column. Compared after normalising (lower case, no
 * accents, letters and digits only): "Raison sociale" -> "raisonsociale".
 */
export const columnWords: Record<ObjectKind, Record<string, string[]>> = {
  thirdparty: {
    nom: ['company name', 'company', 'name', 'account name', 'organisation', 'organization', 'raison sociale', 'societe', 'nom societe', 'entreprise', 'nom', 'denomination', 'firma', 'firmenname', 'unternehmen', 'name firma', 'empresa', 'razon social', 'nombre empresa', 'ragione sociale', 'azienda', 'bedrijf', 'bedrijfsnaam', 'customer name', 'client name'],
    name_alias: ['alias', 'trade name', 'nom commercial', 'enseigne', 'handelsname'],
    code_client: ['customer code', 'code client', 'client code', 'kundennummer', 'kundennr', 'codigo cliente', 'codice cliente', 'klantnummer'],
    email: ['email', 'e mail', 'mail', 'email address', 'courriel', 'adresse email', 'adresse mail', 'correo', 'correo electronico', 'posta elettronica', 'emailadres'],
    phone: ['phone', 'telephone', 'tel', 'phone number', 'telefon', 'telefonnummer', 'telefono', 'telefoon', 'fixe', 'office phone', 'tel fixe'],
    fax: ['fax', 'telecopie'],
    url: ['website', 'web', 'site', 'url', 'site web', 'site internet', 'webseite', 'homepage', 'sitio web', 'sito web'],
    address: ['address', 'street', 'street address', 'adresse', 'rue', 'voie', 'strasse', 'anschrift', 'direccion', 'calle', 'indirizzo', 'via', 'adres', 'straat', 'address line 1', 'billing street'],
    zip: ['zip', 'zip code', 'postal code', 'postcode', 'code postal', 'cp', 'plz', 'postleitzahl', 'codigo postal', 'cap', 'postcode nl', 'billing postal code'],
    town: ['city', 'town', 'ville', 'localite', 'commune', 'stadt', 'ort', 'ciudad', 'localidad', 'citta', 'comune', 'plaats', 'woonplaats', 'billing city'],
    fk_pays: ['country', 'pays', 'land', 'pais', 'paese', 'nazione', 'country code', 'code pays', 'billing country'],
    tva_intra: ['vat number', 'vat', 'vat id', 'tva intracommunautaire', 'numero tva', 'n tva', 'tva intra', 'ust idnr', 'ustid', 'ust id', 'umsatzsteuer id', 'nif', 'cif', 'partita iva', 'btw nummer', 'btw'],
    idprof1: ['siren'],
    idprof2: ['siret'],
    note_public: ['note', 'notes', 'remarks', 'commentaire', 'commentaires', 'bemerkung', 'notas', 'note pubbliche'],
    client: ['customer', 'client', 'is customer', 'est client', 'kunde', 'cliente', 'klant'],
    fournisseur: ['supplier', 'vendor', 'fournisseur', 'is supplier', 'est fournisseur', 'lieferant', 'proveedor', 'fornitore', 'leverancier'],
  },
  contact: {
    lastname: ['last name', 'lastname', 'surname', 'family name', 'nom', 'nom de famille', 'nachname', 'familienname', 'apellido', 'apellidos', 'cognome', 'achternaam'],
    firstname: ['first name', 'firstname', 'given name', 'prenom', 'vorname', 'nombre', 'nome', 'voornaam'],
    email: ['email', 'e mail', 'mail', 'email address', 'courriel', 'adresse email', 'correo', 'correo electronico', 'emailadres'],
    phone: ['phone', 'work phone', 'business phone', 'telephone', 'tel', 'telephone pro', 'telefon', 'telefono', 'telefoon', 'office phone'],
    phone_mobile: ['mobile', 'mobile phone', 'cell', 'cell phone', 'portable', 'telephone portable', 'gsm', 'handy', 'mobil', 'movil', 'cellulare', 'mobiel'],
    poste: ['job title', 'title', 'position', 'role', 'fonction', 'poste', 'titre', 'beruf', 'position firma', 'cargo', 'puesto', 'ruolo', 'functie'],
    address: ['address', 'street', 'adresse', 'rue', 'strasse', 'direccion', 'indirizzo', 'adres'],
    zip: ['zip', 'zip code', 'postal code', 'postcode', 'code postal', 'cp', 'plz', 'codigo postal', 'cap'],
    town: ['city', 'town', 'ville', 'stadt', 'ort', 'ciudad', 'citta', 'plaats'],
    fk_pays: ['country', 'pays', 'land', 'pais', 'paese', 'country code'],
    birthday: ['birthday', 'birth date', 'date of birth', 'dob', 'date de naissance', 'naissance', 'geburtsdatum', 'geburtstag', 'fecha de nacimiento', 'data di nascita', 'geboortedatum'],
    note_public: ['note', 'notes', 'commentaire', 'bemerkung'],
  },
  product: {
    label: ['name', 'product name', 'label', 'title', 'libelle', 'designation', 'nom', 'nom produit', 'bezeichnung', 'produktname', 'artikelname', 'nombre', 'descripcion corta', 'nome', 'nome prodotto', 'naam', 'omschrijving'],
    description: ['description', 'long description', 'descriptif', 'beschreibung', 'descripcion', 'descrizione', 'beschrijving'],
    price: ['price', 'unit price', 'price excl tax', 'net price', 'prix', 'prix ht', 'prix unitaire', 'tarif', 'preis', 'nettopreis', 'einzelpreis', 'precio', 'prezzo', 'prijs'],
    tva_tx: ['vat rate', 'vat', 'tax rate', 'tva', 'taux tva', 'taux de tva', 'mwst', 'mehrwertsteuer', 'ust', 'iva', 'btw'],
    barcode: ['barcode', 'ean', 'ean13', 'gtin', 'upc', 'code barre', 'code barres', 'strichcode', 'codigo de barras', 'codice a barre'],
    fk_product_type: ['type', 'product type', 'kind', 'nature', 'typ', 'art', 'tipo'],
    weight: ['weight', 'poids', 'gewicht', 'peso'],
  },
};

/** Header words of the column that identifies a row (stored as ref_ext; products: ref). */
export const keyWords: Record<ObjectKind, string[]> = {
  thirdparty: ['company id', 'id', 'account id', 'customer id', 'client id', 'external id', 'ref', 'reference', 'code', 'identifiant', 'id client', 'numero client', 'n client', 'ref client', 'kunden id', 'kundennummer', 'kundennr', 'id cliente', 'codigo', 'klant id', 'klantnummer'],
  contact: ['contact id', 'id', 'person id', 'external id', 'ref', 'reference', 'identifiant', 'id contact', 'kontakt id', 'ansprechpartner id', 'id contacto'],
  product: ['sku', 'ref', 'reference', 'product code', 'item code', 'code', 'code article', 'ref article', 'reference produit', 'artikelnummer', 'artikelnr', 'art nr', 'codigo', 'codice', 'codice articolo', 'artikelcode'],
};

/** Contacts: the column naming their third party, by its external key or by its name. */
export const parentWords: { byKey: string[]; byName: string[] } = {
  byKey: ['company id', 'account id', 'customer id', 'client id', 'id societe', 'id entreprise', 'firma id', 'firmen id', 'kunden id', 'id empresa', 'thirdparty id', 'parent id', 'organization id'],
  byName: ['company', 'company name', 'account', 'account name', 'organisation', 'organization', 'societe', 'entreprise', 'raison sociale', 'firma', 'unternehmen', 'empresa', 'azienda', 'bedrijf'],
};

/** Lower case, accents removed, anything but letters and digits turned into one space. */
export function normaliseWord(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/ß/g, 'ss').replace(/[^a-z0-9]+/g, ' ').trim();
}
