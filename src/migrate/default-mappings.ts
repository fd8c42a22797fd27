import type { MappingInput } from './mapping-schema.js';

/**
 * Mappings for a generic CRM CSV export (the column names most CRMs give: HubSpot-, Salesforce-
 * and spreadsheet-style). Use them as `mapping: default:crm-companies`, or print one with
 * `mokodeploy migrate mapping crm-contacts` and edit it.
 */
export const defaultMappings: Record<string, MappingInput> = {
  'crm-companies': {
    object: 'thirdparty',
    description: 'Generic CRM export of companies/accounts',
    key: { from: 'Company ID' },
    fields: {
      nom: { from: 'Company Name', transforms: ['collapse-spaces'], required: true },
      code_client: { from: 'Customer Code', transforms: ['trim', 'empty-is-null', { case: 'upper' }] },
      client: { from: 'Type', transforms: ['trim', { map: { customer: 1, prospect: 2, both: 3, supplier: 0, '': 1 }, otherwise: 1 }] },
      fournisseur: { from: 'Type', transforms: ['trim', { map: { supplier: 1 }, otherwise: 0 }] },
      email: { from: 'Email', transforms: ['email'] },
      phone: { from: 'Phone', transforms: [{ phone: {} }] },
      url: { from: 'Website', transforms: ['trim', 'empty-is-null'] },
      address: { from: 'Address', transforms: ['trim', 'empty-is-null'] },
      zip: { from: 'Postal Code', transforms: ['trim', 'empty-is-null'] },
      town: { from: 'City', transforms: ['collapse-spaces', 'empty-is-null'] },
      fk_pays: { from: 'Country', transforms: ['country'] },
      tva_intra: { from: 'VAT Number', transforms: ['trim', 'empty-is-null', { case: 'upper' }] },
    },
  },
  'crm-contacts': {
    object: 'contact',
    description: 'Generic CRM export of contacts/people',
    key: { from: 'Contact ID' },
    thirdparty: { from: 'Company ID', by: 'ref_ext' },
    fields: {
      firstname: { from: 'First Name', transforms: ['collapse-spaces', { case: 'title' }, 'empty-is-null'] },
      lastname: { from: 'Last Name', transforms: ['collapse-spaces'], required: true },
      email: { from: 'Email', transforms: ['email'] },
      phone: { from: 'Phone', transforms: [{ phone: {} }] },
      phone_mobile: { from: 'Mobile', transforms: [{ phone: {} }] },
      poste: { from: 'Job Title', transforms: ['collapse-spaces', 'empty-is-null'] },
      fk_pays: { from: 'Country', transforms: ['country'] },
      birthday: { from: 'Birthday', transforms: [{ date: 'YYYY-MM-DD' }] },
    },
  },
  'crm-products': {
    object: 'product',
    description: 'Generic CRM/e-commerce export of products and services',
    key: { from: 'SKU', transforms: ['trim', { case: 'upper' }] },
    fields: {
      label: { from: 'Name', transforms: ['collapse-spaces'], required: true },
      description: { from: 'Description', transforms: ['trim', 'empty-is-null'] },
      price: { from: 'Price', transforms: ['number', { default: 0 }] },
      tva_tx: { from: 'VAT Rate', transforms: ['number', { default: 0 }] },
      fk_product_type: { from: 'Type', transforms: [{ map: { product: 0, service: 1, '': 0 } }] },
      barcode: { from: 'Barcode', transforms: ['trim', 'empty-is-null'] },
    },
  },
};
