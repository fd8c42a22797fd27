/**
 * The upgrade tests' workspace (upgrade-runs, archives-cli, ...) is the shared CLI deploy workspace: one set-up of
 * store, team, secrets, plan and gates for every test that drives the CLI in this process.
 */
export { cliDeployWorkspace as upgradeCliWorkspace } from '../cli-deploy-workspace.js';
