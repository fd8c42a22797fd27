import { chmodSync, copyFileSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MokoError } from '../../src/core/errors.js';
import { planSchema, type Plan, type PlanInput } from '../../src/core/plan.js';
import { Secret } from '../../src/core/secret.js';
import { Journal, runSteps } from '../../src/runner/index.js';
import { pipelineFor } from '../../src/runner/pipelines.js';
import { buildFixtureRelease } from '../helpers/fixture-release/build.js';
import { startInstallStack, type InstallStack } from '../helpers/install-stack/index.js';
import {
  freePort,
  makeCertificate,
  makeTempDir,
  removeDir,
  type Certificate,
} from '../helpers/services/index.js';

/**
 * Issue 17 point 3: Stripe and PayPal configured from the plan (keys from the secret store), the mode matching the
 * environment (test on staging, live on production, the reverse refused before anything changes), then checked:
 * the payment page offers each gateway, Stripe's webhook page refuses an unsigned event, and the gateway API host
 * (here a loopback TLS server with a test CA, standing for api.stripe.com / api-3t.paypal.com) completes a handshake.
 */
let stack: InstallStack;
let cert: Certificate;
let api: Server;
let apiPort: number;
let apiHits = 0;
const partnerKeys: string[] = [];
let home: string;
let caFile: string;

beforeAll(async () => {
  cert = makeCertificate({ cn: 'localhost' });
  home = makeTempDir('payment-home');
  apiPort = await freePort();
  api = createServer(
    { key: readFileSync(cert.keyPath), cert: readFileSync(cert.fullchainPath) },
    (req, res) => {
      if (req.url === '/partner/ping') {
        partnerKeys.push(String(req.headers['x-api-key'] ?? ''));
        res.writeHead(req.headers['x-api-key'] === 'partner-key-1' ? 200 : 401).end('{}');
        return;
      }
      apiHits++;
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"no key"}');
    },
  );
  await new Promise<void>((r) => api.listen(apiPort, '127.0.0.1', () => r()));
  const fixture = buildFixtureRelease({ version: '20.0.2' });
  stack = await startInstallStack({
    release: fixture.tarball,
    version: fixture.version,
    sha256: fixture.sha256,
  });
  caFile = join(stack.dir, 'api-ca.pem');
  copyFileSync(cert.caPath, caFile);
  chmodSync(caFile, 0o644);
  const s = stack.secrets.values;
  s.set('acme/stripe-pk', new Secret('pk_test_51Hxyz0123456789abcdef'));
  s.set('acme/stripe-sk', new Secret('sk_test_51Hxyz0123456789abcdef'));
  s.set('acme/stripe-whsec', new Secret('whsec_0123456789abcdef0123'));
  s.set('acme/paypal-user', new Secret('sb-merchant_api1.acme.test'));
  s.set('acme/paypal-password', new Secret('PAYPALPASS123456'));
  s.set('acme/paypal-signature', new Secret('A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4Y5z6A7b8'));
}, 600_000);

afterAll(async () => {
  await stack?.stop();
  await new Promise<void>((r) => (api ? api.close(() => r()) : r()));
  removeDir(home);
});

function paymentPlan(
  o: { environment?: Plan['environment']; stripeMode?: 'test' | 'live'; ca?: string | null } = {},
): Plan {
  const input: PlanInput = {
    ...(stack.plan as PlanInput),
    kind: 'integration',
    environment: o.environment ?? 'staging',
    integrations: [
      {
        id: 'stripe',
        kind: 'payment',
        stripe: {
          mode: o.stripeMode ?? 'test',
          publishableKey: { secret: 'acme/stripe-pk' },
          secretKey: { secret: 'acme/stripe-sk' },
          webhookSecret: { secret: 'acme/stripe-whsec' },
          apiHost: 'localhost',
          apiPort,
          ...(o.ca === null ? {} : { caFile: o.ca ?? caFile }),
        },
      },
      {
        id: 'paypal',
        kind: 'payment',
        paypal: {
          mode: 'sandbox',
          apiUser: { secret: 'acme/paypal-user' },
          apiPassword: { secret: 'acme/paypal-password' },
          apiSignature: { secret: 'acme/paypal-signature' },
          apiHost: 'localhost',
          apiPort,
          caFile,
        },
      },
    ],
  };
  return planSchema.parse(input);
}

async function deploy(plan: Plan, id: string, dryRun = false) {
  const pipeline = pipelineFor(plan);
  const facts = await pipeline.gatherFacts(stack.host);
  const journal = Journal.open({ storeDir: home, deploymentId: id, planHash: 'h' });
  const ctx = { ...stack.ctx, plan, facts, outputs: {} };
  return runSteps({ host: stack.host, steps: pipeline.steps(facts), ctx, journal, dryRun });
}

const sql = async (q: string) =>
  (await stack.db.rootClient.query(`USE ${stack.plan.database.name}; ${q}`)).map((r) => r.join('\t'));
const paymentConsts = () =>
  sql(
    "SELECT name, value FROM llx_const WHERE name LIKE 'STRIPE%' OR name LIKE 'PAYPAL%' OR name IN ('MAIN_MODULE_STRIPE', 'MAIN_MODULE_PAYPAL') ORDER BY name",
  );

describe('integration deployment: payment gateways (issue 17)', () => {
  it('a production plan with Stripe test keys is refused before anything changes', async () => {
    const e = (await deploy(paymentPlan({ environment: 'production' }), 'acme-pay-0', true).catch(
      (x: unknown) => x,
    )) as MokoError;
    expect(e).toBeInstanceOf(MokoError);
    expect(e.message).toMatch(/stripe: Stripe in test mode on production: a production site needs live keys/);
    expect(await paymentConsts()).toEqual([]);
  });

  it('live keys on staging are refused, and so is a live key under a test-mode plan', async () => {
    const live = (await deploy(paymentPlan({ stripeMode: 'live' }), 'acme-pay-1', true).catch(
      (x: unknown) => x,
    )) as MokoError;
    expect(live.message).toMatch(/Stripe in live mode on staging: a staging site must not use live keys/);
    stack.secrets.values.set('acme/stripe-sk', new Secret('sk_live_51Hxyz0123456789abcdef'));
    const mixed = (await deploy(paymentPlan(), 'acme-pay-2', true).catch((x: unknown) => x)) as MokoError;
    expect(mixed.message).toMatch(
      /secret acme\/stripe-sk holds a live key but the plan says stripe.mode test/,
    );
    stack.secrets.values.set('acme/stripe-sk', new Secret('sk_test_51Hxyz0123456789abcdef'));
    expect(await paymentConsts()).toEqual([]);
  });

  it('configures Stripe (test) and PayPal (sandbox), then the payment page, the webhook and the API hosts answer', async () => {
    const outcome = await deploy(paymentPlan(), 'acme-pay-3');
    expect(outcome.steps.map((s) => `${s.step} ${s.status}`)).toEqual([
      'integrations:php-tools done',
      'integrations:telemetry done',
      'integrations:payment done',
      'integrations:payment-check done',
    ]);
    const consts = await paymentConsts();
    expect(consts).toEqual(
      expect.arrayContaining([
        'MAIN_MODULE_PAYPAL\t1',
        'MAIN_MODULE_STRIPE\t1',
        'PAYPAL_API_SANDBOX\t1',
        'PAYPAL_API_USER\tsb-merchant_api1.acme.test',
        'STRIPE_LIVE\t0',
        'STRIPE_TEST_PUBLISHABLE_KEY\tpk_test_51Hxyz0123456789abcdef',
        expect.stringMatching(/^STRIPE_USER_ACCOUNT_FOR_ACTIONS\t[1-9]\d*$/),
      ]),
    );
    expect(consts.some((c) => c.startsWith('STRIPE_LIVE_'))).toBe(false);
    expect(apiHits).toBe(2); // one handshake and request per gateway
  }, 300_000);

  it('an API host whose certificate the target does not trust fails the check', async () => {
    const e = (await deploy(paymentPlan({ ca: null }), 'acme-pay-4').catch((x: unknown) => x)) as MokoError;
    expect(e.message).toMatch(
      /integrations:payment-check failed: stripe: localhost:\d+ resolves and completes a TLS handshake/,
    );
    expect(e.details.join('\n')).toMatch(/certificate/i);
  }, 300_000);

  it('API connection: the partner accepts the stored key over TLS; a refused key fails the check, unprinted', async () => {
    const plan = planSchema.parse({
      ...(stack.plan as PlanInput),
      kind: 'integration',
      integrations: [
        {
          id: 'partner-erp',
          kind: 'api',
          api: {
            url: `https://localhost:${apiPort}/partner/ping`,
            token: { secret: 'acme/partner' },
            tokenHeader: 'X-API-Key',
            caFile,
          },
        },
      ],
    });
    stack.secrets.values.set('acme/partner', new Secret('partner-key-1'));
    const ok = await deploy(plan, 'acme-api-1');
    expect(ok.steps.map((s) => `${s.step} ${s.status}`)).toEqual([
      'integrations:php-tools done',
      'integrations:telemetry done',
      'integrations:api-check done',
    ]);
    stack.secrets.values.set('acme/partner', new Secret('partner-key-wrong'));
    const e = (await deploy(plan, 'acme-api-2').catch((x: unknown) => x)) as MokoError;
    expect(e.message).toMatch(
      /integrations:api-check failed: partner-erp: .* accepts the credential acme\/partner/,
    );
    expect(e.details.join('\n')).toContain('HTTP 401');
    expect(JSON.stringify([e.message, e.details])).not.toContain('partner-key-wrong');
    expect(partnerKeys).toEqual(['partner-key-1', 'partner-key-wrong']);
  }, 300_000);
});
