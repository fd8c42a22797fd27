import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { suggestMapping, renderSuggestion } from '../../src/migrate/suggest.js';
import { suggestDates } from '../../src/migrate/suggest-dates.js';
import { mappingSchema } from '../../src/migrate/mapping-schema.js';

describe('migrate map suggest: a mapping from the header and the first rows (issue 15)', () => {
  it('the company name in English, French and German; e-mail, phone, zip, country; yes/no/1/0/oui/non as booleans', () => {
    for (const name of ['Company Name', 'Raison sociale', 'Firma', 'Razón social', 'Ragione sociale']) {
      const s = suggestMapping('thirdparty', ['ID', name, 'E-mail', 'Tel.', 'Postleitzahl', 'Pays', 'Customer?', 'Lieferant'], [
        ['1', 'Acme', 'a@acme.fr', '01 23 45 67 89', '75002', 'FR', 'yes', 'oui'],
        ['2', 'Globex', 'g@globex.de', '', '10117', 'FR', '0', 'non'],
        ['3', 'Initech', '', '', '', 'FR', 'No', '1'],
      ]);
      expect(s.mapping.key).toEqual({ from: 'ID', transforms: ['trim'] });
      expect(s.mapping.fields).toEqual({
        nom: { from: name, transforms: ['collapse-spaces'], required: true },
        email: { from: 'E-mail', transforms: ['email'] },
        phone: { from: 'Tel.', transforms: [{ phone: { country: 'FR' } }] },
        zip: { from: 'Postleitzahl', transforms: ['collapse-spaces', 'empty-is-null'] },
        fk_pays: { from: 'Pays', transforms: ['country'] },
        client: { from: 'Customer?', transforms: ['trim', 'boolean'] },
        fournisseur: { from: 'Lieferant', transforms: ['trim', 'boolean'] },
      });
      expect(s.notes).toEqual([]);
    }
  });

  it('a customer/prospect/supplier column becomes the client and fournisseur maps; what is left out is said', () => {
    const s = suggestMapping('thirdparty', ['Kunden-ID', 'Firmenname', 'Typ', 'Umsatz'], [['K1', 'A', 'Kunde', '10'], ['K2', 'B', 'Lieferant', '20'], ['K3', 'C', 'prospect', '']]);
    expect(s.mapping.key.from).toBe('Kunden-ID');
    expect(s.mapping.fields.client).toEqual({ from: 'Typ', transforms: ['trim', { map: { kunde: 1, lieferant: 0, prospect: 2, '': 1 }, otherwise: 1 }] });
    expect(s.mapping.fields.fournisseur).toEqual({ from: 'Typ', transforms: ['trim', { map: { kunde: 0, lieferant: 1, prospect: 0 }, otherwise: 0 }] });
    expect(s.notes).toEqual(['not mapped: "Umsatz" (add them under fields if they matter; `mokodeploy migrate schema mapping` lists what a field may hold)']);
  });

  it('contacts: the parent by id or by name, dates with their formats; the YAML is a valid mapping with the notes as comments', () => {
    const s = suggestMapping('contact', ['Contact ID', 'Prénom', 'Nom', 'Société', 'Date de naissance'], [['P1', 'Anne', 'Dupont', 'Acme', '1980-02-01'], ['P2', 'Jean', 'Martin', 'Acme', '25/12/1975'], ['P3', 'Zoë', 'Roy', 'Globex', '2/1/80']]);
    expect(s.mapping.thirdparty).toEqual({ from: 'Société', by: 'nom' });
    expect(s.mapping.fields.birthday).toEqual({ from: 'Date de naissance', transforms: [{ date: ['YYYY-MM-DD', 'D/M/YYYY', 'D/M/YY'] }] });
    expect(s.mapping.fields.lastname).toEqual({ from: 'Nom', transforms: ['collapse-spaces'], required: true });
    const yaml = renderSuggestion(s, 'contacts.csv');
    expect(yaml).toContain("# CHECK thirdparty: contacts are linked by the third party's name");
    expect(mappingSchema.safeParse(parse(yaml)).success).toBe(true);
  });

  it('dates: day-first unless the values show month-first; a note when nothing settles it', () => {
    expect(suggestDates(['12/25/1980', '1/2/1990'])).toEqual({ formats: ['M/D/YYYY'], notes: [] });
    expect(suggestDates(['01/02/1980', '03.04.1990'])).toEqual({ formats: ['D/M/YYYY', 'D.M.YYYY'], notes: ['day/month order: no value settles it (none has a part above 12); day-first (D/M) assumed, put M/D/YYYY first if the source is American'] });
    expect(suggestDates(['1980-02-01', 'soon']).notes).toEqual(['1 value(s) sampled match no known date format (e.g. "soon"): add their format']);
  });
});
