import { describe, expect, it } from 'vitest';
import { customerOption, fillPlan, formRoles, type FormField } from '../../../src/verify/form-fields.js';

/**
 * Issue 14 point 17: the no-API workflow finds the create form's fields from the form. The fields below are
 * those of societe/card.php?action=create in 19.0.4/20.0.2 (name/id "name", label "Third-party name"; select
 * client#customerprospect from FormCompany::selectProspectCustomerType(), html.formcompany.class.php l.1056-1083).
 */
const field = (f: Partial<FormField>): FormField => ({
  tag: 'INPUT',
  type: 'text',
  name: '',
  id: '',
  label: '',
  required: false,
  options: [],
  ...f,
});
const hidden = [field({ type: 'hidden', name: 'action' }), field({ type: 'hidden', name: 'token' })];
const nameField = field({ name: 'name', id: 'name', label: 'Third-party name', required: true });
const select = (...options: [string, string][]) =>
  field({
    tag: 'SELECT',
    type: 'select-one',
    name: 'client',
    id: 'customerprospect',
    label: 'Prospect / Customer',
    options: options.map(([value, text]) => ({ value, text })),
  });

describe('create-form fields found from the form', () => {
  it('fills the name and picks Customer from the select by its text', () => {
    const all = select(
      ['-1', ''],
      ['2', 'Prospect'],
      ['3', 'Prospect / Customer'],
      ['1', 'Customer'],
      ['0', 'Not prospect, nor customer'],
    );
    expect(fillPlan([...hidden, nameField, all], formRoles.thirdparty('X'), 'societe/card.php')).toEqual([
      { name: 'name', value: 'X', select: false },
      { name: 'client', value: '1', select: true },
    ]);
  });

  it('takes Prospect when customers are disabled (SOCIETE_DISABLE_CUSTOMERS), nothing when there is no select', () => {
    expect(
      customerOption(select(['-1', ''], ['2', 'Prospect'], ['0', 'Not prospect, nor customer']).options),
    ).toBe('2');
    expect(fillPlan([...hidden, nameField], formRoles.thirdparty('X'), 'societe/card.php')).toEqual([
      { name: 'name', value: 'X', select: false },
    ]);
  });

  it('finds a field by its label when its name is not a known one (a module hook replacing the form)', () => {
    const renamed = field({ name: 'soc_label', id: 'soc_label', label: 'Third-party name' });
    expect(fillPlan([renamed], formRoles.thirdparty('X'), 'societe/card.php')).toEqual([
      { name: 'soc_label', value: 'X', select: false },
    ]);
  });

  it('names what the form has when a required field cannot be found', () => {
    expect(() =>
      fillPlan(
        [...hidden, field({ name: 'alias', label: 'Alias names' })],
        formRoles.thirdparty('X'),
        'societe/card.php',
      ),
    ).toThrow(
      'societe/card.php: no field for the third-party name in the form (fields: alias ("Alias names"))',
    );
  });

  it('product: ref and label by name; a label in the cell before the input works too', () => {
    const fields = [
      field({ name: 'ref', id: 'ref', label: 'Product ref.' }),
      field({ name: 'lib', label: 'Label' }),
    ];
    expect(fillPlan(fields, formRoles.product('R', 'L'), 'product/card.php')).toEqual([
      { name: 'ref', value: 'R', select: false },
      { name: 'lib', value: 'L', select: false },
    ]);
  });
});
