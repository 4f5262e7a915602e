// An OpenID provider we did not write, for the login tests: panva's
// oidc-provider (OpenID Certified), from npm, pinned by scripts/setup.
//
//   node provider.mjs MODULE_DIR ALG
//
// It serves one client, the app's (public, native, PKCE, the custom-scheme
// redirect), signs id_tokens with ALG (RS256 or ES256), and prints its
// issuer URL as its first line. The test plays the browser: the person
// signs in as test-patient and grants what is asked without a page, so the
// interaction is the one part of the provider configured here.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [moduleDir, alg] = process.argv.slice(2);
if (!moduleDir || !['RS256', 'ES256'].includes(alg)) {
  console.error('usage: provider.mjs MODULE_DIR RS256|ES256');
  process.exit(2);
}
const { default: Provider } = await import(pathToFileURL(join(moduleDir, 'lib/index.js')).href);

const privateJwk = (type, options) => generateKeyPairSync(type, options).privateKey.export({ format: 'jwk' });
const keys = [
  { ...privateJwk('rsa', { modulusLength: 2048 }), kid: 'rsa-1', use: 'sig', alg: 'RS256' },
  { ...privateJwk('ec', { namedCurve: 'P-256' }), kid: 'ec-1', use: 'sig', alg: 'ES256' },
];

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'registratura-desktop',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['ru.registratura.app:/auth/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      id_token_signed_response_alg: alg,
    },
  ],
  jwks: { keys },
  cookies: { keys: ['registratura-test-cookies'] },
  features: { devInteractions: { enabled: false }, revocation: { enabled: true } },
  scopes: ['openid', 'profile', 'offline_access'],
  claims: { openid: ['sub'], profile: ['family_name', 'given_name', 'middle_name'] },
  pkce: { required: () => true },
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return { sub, family_name: 'Захарова', given_name: 'Софья', middle_name: 'Сергеевна' };
      },
    };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});

// The person's part: sign in, then grant every scope and claim asked for.
async function interact(req, res) {
  const details = await provider.interactionDetails(req, res);
  let result;
  if (details.prompt.name === 'login') {
    result = { login: { accountId: 'test-patient' } };
  } else {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    const missing = details.prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    result = { consent: { grantId: await grant.save() } };
  }
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
}

const handle = provider.callback();
server.on('request', (req, res) => {
  if (/^\/interaction\/[\w-]+$/.test(req.url)) {
    interact(req, res).catch((error) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  } else {
    handle(req, res);
  }
});

// The issuer is the one line stdout carries: the test stops reading there,
// so anything said later goes to stderr.
console.log(issuer);
console.log = console.info = console.error;
