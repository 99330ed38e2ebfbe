// A real OpenID Connect provider for the tests (npm's oidc-provider), standing in for the
// municipality's Entra ID or Keycloak (decision 0018).
//
//   node tests/oidc/provider.mjs --redirect-uri http://localhost:8081/oidc/callback/ \
//        [--port 0] [--client-id heltid] [--client-secret SECRET] [--accounts JSON]
//
// Listens on 127.0.0.1 only (port 0: any free one) and prints one line when ready:
// `oidc-provider listening on PORT`. The issuer is http://127.0.0.1:PORT; its endpoints are
// /auth, /token, /me (userinfo) and /jwks. One confidential client (client_secret_basic, RS256
// ID tokens). Accounts: the sign-in page (oidc-provider's development interactions) takes the
// account's id as login and any password; --accounts (or OIDC_TEST_ACCOUNTS) is a JSON object
// {id: {claims}}, released in the ID token's userinfo with the `openid` scope. Exits on SIGTERM,
// SIGINT, or when its standard input closes (the test that started it has gone).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import { Provider } from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.OIDC_TEST_PORT || '0' },
    'client-id': { type: 'string', default: process.env.OIDC_TEST_CLIENT_ID || 'heltid' },
    'client-secret': {
      type: 'string',
      default: process.env.OIDC_TEST_CLIENT_SECRET || 'heltid-test-secret',
    },
    'redirect-uri': { type: 'string', default: process.env.OIDC_TEST_REDIRECT_URI },
    accounts: { type: 'string', default: process.env.OIDC_TEST_ACCOUNTS },
  },
});

if (!args['redirect-uri']) {
  console.error('--redirect-uri (or OIDC_TEST_REDIRECT_URI) is required');
  process.exit(2);
}

// A benefit officer of unit "ekb-centrum", and one whose roles Heltid does not know.
const DEFAULT_ACCOUNTS = {
  anna: {
    given_name: 'Anna',
    family_name: 'Handläggare',
    email: 'anna@kommun.example',
    preferred_username: 'anna',
    roles: ['benefit_officer'],
    heltid_unit: 'ekb-centrum',
  },
  okand: {
    given_name: 'Olle',
    family_name: 'Okänd',
    preferred_username: 'okand',
    roles: ['Other.App.Reader'],
    heltid_unit: 'ekb-centrum',
  },
};
const accounts = args.accounts ? JSON.parse(args.accounts) : DEFAULT_ACCOUNTS;
const CLAIMS = new Set(Object.values(accounts).flatMap((claims) => Object.keys(claims)));

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', alg: 'RS256', use: 'sig' };

const server = createServer();
server.listen(Number(args.port), '127.0.0.1', () => {
  const { port } = server.address();
  const provider = new Provider(`http://127.0.0.1:${port}`, {
    clients: [
      {
        client_id: args['client-id'],
        client_secret: args['client-secret'],
        redirect_uris: [args['redirect-uri']],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'RS256',
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    // Everything the accounts carry is released with `openid`, like Entra ID's app roles.
    claims: { openid: ['sub', ...CLAIMS] },
    features: { devInteractions: { enabled: true } },
    // The client is the municipality's own application: no consent screen.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(ctx.oidc.params.scope);
      grant.addOIDCClaims(['sub', ...CLAIMS]);
      await grant.save();
      return grant;
    },
    async findAccount(ctx, id) {
      if (!Object.hasOwn(accounts, id)) return undefined;
      return { accountId: id, claims: async () => ({ ...accounts[id], sub: id }) };
    },
  });
  server.on('request', provider.callback());
  console.log(`oidc-provider listening on ${port}`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
