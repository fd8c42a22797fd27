/**
 * Three client exports as issue 15 describes them, made byte by byte here (none is committed as a
 * file): their column names fit none of the built-in mappings.
 */

/** French CRM export: UTF-8 with a BOM, ';', CRLF, a quoted ';', oui/non flags, damaged names. */
export const companiesFr = Buffer.from(
  '\uFEFF' +
    [
      'N° client;Raison sociale;Adresse;Code postal;Ville;Pays;Téléphone;Courriel;Client;Fournisseur;TVA intracommunautaire;Remarque',
      'CL001;Boulangerie Dupont;12 rue de la Paix;75002;Paris;FR;01 23 45 67 89;contact@dupont.fr;oui;non;fr12345678901;',
      'CL002;"Müller; Söhne GmbH";Unter den Linden 1;10117;Berlin;DE;+49 30 1234567;info@mueller.de;oui;oui;DE123456789;gros client',
      'CL003;Ma?gorzata Design;ul. Długa 5;00-001;Warszawa;Germany;;;non;oui;;',
      'CL004;CafÃ© du Coin;3 place du Marché;69001;Lyon;France;04 72 00 00 00;cafe@coin.fr;oui;non;;',
    ].join('\r\n') +
    '\r\n',
  'utf8',
);

/** German contacts export in Latin-1: quoted line breaks, dates in three formats, an address Dolibarr refuses. */
export const contactsDe = Buffer.from(
  [
    'Kontakt-ID,Vorname,Nachname,E-Mail,Telefon,Handy,Position,Firma ID,Land,Geburtsdatum,Notiz',
    'K1,Jürgen,Müller,j.mueller@mueller.de,030 1234567,,"Geschäftsführer",CL002,DE,1980-02-01,"erste Zeile',
    'zweite Zeile"',
    'K2,Anne,Dupont,anne@dupont.fr,,06 12 34 56 78,Gérante,CL001,FR,25/12/1975,',
    'K3,Pénélope,Åberg,pénélope.åberg@example.org,,,,CL004,FR,2/1/80,',
    'K4,Zoë,Lefèvre,zoe@coin.fr,,,"Chef, cuisine",CL004,FR,01/02/1990,"Allergie:',
    '',
    'Nüsse"',
  ].join('\n') + '\n',
  'latin1',
);

/** Product export with broken quoting: an unclosed quote on one line, prices with decimal commas. */
export const productsBroken = Buffer.from(
  [
    'Référence,Désignation,Prix HT,Taux TVA,Type,Code barre',
    'p-100,Baguette,"1,20",5.5,produit,',
    'p-101,"Croissant au beurre,0.95,5.5,produit,',
    'p-102,Pain de campagne,"3,40",5.5,produit,3760000000017',
    'p-103,Livraison,"5,00",20,service,',
  ].join('\n') + '\n',
  'utf8',
);
