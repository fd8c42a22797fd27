import type { DeploymentRecord } from '../core/record.js';
import type { Host } from '../hosts/host.js';
import type { DbClient } from '../verify/db-query.js';
import { readDeployedModules, type DeployedModule } from './live-modules.js';
import { readLiveSchema, type LiveSchema } from './live-schema.js';

/**
 * What the handoff pack is made of: the deployment record, and what is read live from the client's server
 * (database schema, deployed custom modules). A live read that fails is reported in the pack, not hidden.
 */
export interface Contact {
  role: string;
  name: string;
  login: string;
  email?: string;
  phone?: string;
}

export interface HandoffData {
  record: DeploymentRecord;
  generatedAt: string;
  schema?: LiveSchema;
  schemaError?: string;
  modules: DeployedModule[];
  modulesError?: string;
  contacts: Contact[];
}

export async function gatherHandoff(o: {
  record: DeploymentRecord;
  host: Host;
  db: DbClient;
  now: Date;
  contacts: Contact[];
}): Promise<HandoffData> {
  const data: HandoffData = {
    record: o.record,
    generatedAt: o.now.toISOString(),
    modules: [],
    contacts: o.contacts,
  };
  try {
    data.schema = await readLiveSchema(
      o.db,
      o.record.plan.customModules.map((m) => m.name),
    );
  } catch (e) {
    data.schemaError = (e as Error).message;
  }
  try {
    data.modules = await readDeployedModules(o.host, o.db, o.record.plan);
  } catch (e) {
    data.modulesError = (e as Error).message;
  }
  return data;
}
