/**
 * The fields of a Dolibarr create form found from the form itself (issue 14 point 17), not from a fixed list of
 * names: by name, then id, then the label shown beside it; a select's value from its options' text. Real
 * variations this covers (19.0.4 and 20.0.2): societe/card.php prints the customer/prospect select through
 * FormCompany::selectProspectCustomerType() (core/class/html.formcompany.class.php l.1056-1083, 20.0.2), which
 * prints no select at all when SOCIETE_DISABLE_PROSPECTS and SOCIETE_DISABLE_CUSTOMERS are set (and no supplier
 * module), and leaves out Prospect (2), Prospect/Customer (3) or Customer (1) under those constants; a module's
 * hook (tabContentCreateThirdparty, societe/card.php l.1226) may replace the form's content; labels come from
 * Form::editfieldkey() as <label for="id">, or a cell before the input (product/card.php l.1393-1401).
 * Pure: the page is read in ui-records.ts.
 */
export interface FormField {
  tag: string;
  type: string;
  name: string;
  id: string;
  label: string;
  required: boolean;
  options: { value: string; text: string }[];
}

export interface FieldRole {
  /** What the field holds, for messages: "the third-party name". */
  what: string;
  names: string[];
  labels: RegExp;
  required: boolean;
  /** For a text field: the value typed. For a select: picks an option (undefined: leave it as it is). */
  value: string | ((options: FormField['options']) => string | undefined);
}

export interface FilledField {
  name: string;
  value: string;
  select: boolean;
}

const usable = (f: FormField) =>
  f.name !== '' && f.type !== 'hidden' && f.type !== 'submit' && f.type !== 'button';

function find(fields: FormField[], role: FieldRole, taken: Set<string>): FormField | undefined {
  const open = fields.filter((f) => usable(f) && !taken.has(f.name));
  return (
    open.find((f) => role.names.includes(f.name)) ??
    open.find((f) => role.names.includes(f.id)) ??
    open.find((f) => role.labels.test(f.label.trim()))
  );
}

/** The field for each role and the value to give it; a required role without a field is an error naming what the form has. */
export function fillPlan(fields: FormField[], roles: FieldRole[], where: string): FilledField[] {
  const taken = new Set<string>();
  const out: FilledField[] = [];
  for (const role of roles) {
    const field = find(fields, role, taken);
    if (!field) {
      if (!role.required) continue;
      const seen = fields.filter(usable).map((f) => `${f.name}${f.label ? ` ("${f.label.trim()}")` : ''}`);
      throw new Error(
        `${where}: no field for ${role.what} in the form (fields: ${seen.join(', ') || 'none'})`,
      );
    }
    taken.add(field.name);
    const select = field.tag === 'SELECT';
    const value =
      typeof role.value === 'string' ? role.value : select ? role.value(field.options) : undefined;
    if (value === undefined) {
      if (role.required)
        throw new Error(`${where}: no usable option for ${role.what} in select ${field.name}`);
      continue;
    }
    out.push({ name: field.name, value, select });
  }
  return out;
}

/** The customer/prospect select: Customer if offered, else Prospect/Customer, else Prospect; else none. */
export function customerOption(options: FormField['options']): string | undefined {
  // "Not prospect, nor customer" (NorProspectNorCustomer) is the one option that is neither
  const real = options.filter(
    (o) => o.value !== '' && o.value !== '-1' && !/\b(not|nor|neither|ni)\b/i.test(o.text),
  );
  const byText = (re: RegExp) => real.find((o) => re.test(o.text.trim()))?.value;
  return (
    byText(/^(customer|client)$/i) ??
    real.find((o) => o.value === '1')?.value ??
    byText(/prospect.*(customer|client)/i) ??
    byText(/^prospect$/i)
  );
}

export const formRoles = {
  thirdparty: (name: string): FieldRole[] => [
    {
      what: 'the third-party name',
      names: ['name', 'nom'],
      labels: /third[- ]?party name|company name|^name$|nom du tiers|raison sociale/i,
      required: true,
      value: name,
    },
    {
      what: 'the customer/prospect type',
      names: ['client', 'customerprospect'],
      labels: /prospect.*customer|customer.*prospect|prospect.*client/i,
      required: false,
      value: customerOption,
    },
  ],
  contact: (lastname: string): FieldRole[] => [
    {
      what: 'the last name',
      names: ['lastname', 'nom'],
      labels: /last ?name|^nom$/i,
      required: true,
      value: lastname,
    },
    {
      what: 'the first name',
      names: ['firstname', 'prenom'],
      labels: /first ?name|pr[ée]nom/i,
      required: false,
      value: 'Verify',
    },
  ],
  product: (ref: string, label: string): FieldRole[] => [
    {
      what: 'the product ref',
      names: ['ref'],
      labels: /^(product )?ref(erence)?\b/i,
      required: true,
      value: ref,
    },
    {
      what: 'the product label',
      names: ['label', 'libelle'],
      labels: /^label|libell/i,
      required: true,
      value: label,
    },
  ],
};
