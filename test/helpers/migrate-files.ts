import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temp folder for CSV files written in a test. */
export function csvDir(): { dir: string; write(name: string, content: string | Buffer): string } {
  const dir = mkdtempSync(join(tmpdir(), 'moko-migrate-test-'));
  return {
    dir,
    write(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
  };
}

/**
 * A messy export as CRMs produce them: ';' delimiter, a UTF-8 BOM, CRLF, a quoted field
 * spanning lines, stray spaces, upper-case e-mails, national phone numbers, countries by
 * code or by name, an empty line.
 */
export const messyCompanies = '\uFEFF' + [
  'Company ID;Company Name;Customer Code;Type;Email;Phone;Website;Address;Postal Code;City;Country;VAT Number',
  'C-1;  ACME   SARL ;;Customer; INFO@ACME.FR ;01 23 45 67 89;https://acme.fr;"12 rue de la Paix\nBâtiment B";75002;Paris;FR;fr12345678901',
  'C-2;Globex GmbH;CLI-42;Customer;sales@globex.de;+49 30 1234567;;Unter den Linden 1;10117;Berlin;Germany;DE123456789',
  '',
  'C-3;"Initech; Inc.";;Prospect;;;;;;Austin;united states;',
  'C-4;Dupont & Fils;;Supplier;contact@dupont.fr;;;;;Lyon;France;',
].join('\r\n') + '\r\n';

export const messyContacts = [
  'Contact ID,First Name,Last Name,Email,Phone,Mobile,Job Title,Company ID,Country,Birthday',
  'P-1,jean-pierre,Martin,JP.Martin@ACME.fr,01 98 76 54 32,,CEO,C-1,FR,1970-05-17',
  'P-2,Anna,Schmidt,anna@globex.de,,+49 151 2345678,"Head of ""Sales""",C-2,DE,',
  'P-3,Bob,Lumbergh,bob@initech.com,,,,C-3,US,',
  'P-4,Solo,Freelancer,solo@example.org,,,,,,',
].join('\n') + '\n';

export const messyProducts = [
  'SKU\tName\tDescription\tPrice\tVAT Rate\tType\tBarcode',
  'w-001\tWidget\t"A widget,\nblue"\t10,50\t20\tProduct\t',
  'S-SUPPORT\tSupport hour\t\t80\t20\tService\t',
  'w-002\tWidget XL\t\t1.234,56\t5,5\tproduct\t3760000000017',
].join('\n') + '\n';

/** n generic-CRM contacts, c third parties: every tenth contact broken in a different way when `broken`. */
export function generatedCompanies(n: number): string {
  const lines = ['Company ID,Company Name,Customer Code,Type,Email,Phone,Website,Address,Postal Code,City,Country,VAT Number'];
  for (let i = 1; i <= n; i++) lines.push(`C${i},Company ${i},,Customer,info${i}@company${i}.example,+33 1 00 00 ${String(i % 100).padStart(2, '0')} 00,,${i} main street,7500${i % 10},Paris,FR,`);
  return `${lines.join('\n')}\n`;
}

export function generatedContacts(n: number, companies: number, broken = false): string {
  const lines = ['Contact ID,First Name,Last Name,Email,Phone,Mobile,Job Title,Company ID,Country,Birthday'];
  for (let i = 1; i <= n; i++) {
    let email = `person${i}@example.com`;
    let last = `Last${i}`;
    let company = `C${(i % companies) + 1}`;
    let birthday = '1980-01-15';
    if (broken && i % 10 === 0) {
      const kind = (i / 10) % 4;
      if (kind === 0) email = 'not-an-email';
      if (kind === 1) last = '';
      if (kind === 2) company = 'C-NOWHERE';
      if (kind === 3) birthday = '1980-02-31';
    }
    lines.push(`P${i},First${i},${last},${email},,,,${company},FR,${birthday}`);
  }
  return `${lines.join('\n')}\n`;
}
