import type { Secret } from '../../core/secret.js';

/** One marker record set of an entity (isolation-markers.php): what another entity must not see. */
export interface Marker {
  entity: number;
  /** Name of the third party and the contact's last name. */
  name: string;
  /** Reference of the product. */
  ref: string;
  thirdparty: number;
  contact: number;
  product: number;
}

/** One property checked: who looked, through which channel, at what, and what was seen. */
export interface IsolationCheck {
  id: string;
  channel: 'api' | 'browser';
  /** The entity the user works in. */
  entity: number;
  /** The other entity whose data must stay invisible (absent for positive controls and branding). */
  other?: number;
  ok: boolean;
  detail: string;
}

export interface IsolationReport {
  at: string;
  entities: number[];
  checks: IsolationCheck[];
  ok: boolean;
}

export interface EntityUser {
  entity: number;
  login: string;
  password: Secret;
}

export const check = (c: IsolationCheck): IsolationCheck => c;
