// A relying party built on panva's openid-client (a certified, third-party OpenID Connect client),
// driven by tests/oidc/test_openid_client.py against the Acumatica simulator (packages: tests/node).
//
// Input (argv[2], JSON): {issuer, client_id, client_secret, redirect_uri, scope, resource}.
// Protocol on stdio, one JSON object per line:
//   -> {"authorize": URL}      the authorization request (PKCE S256, state, nonce)
//   <- the callback URL        the test plays the browser: sign-in and consent, then the redirect
//   -> {"result": {...}}       what the client saw and validated (no access or refresh token)
// Any failure ends the process with exit 1 and, on stderr, the step and the client's own error.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import * as client from 'openid-client';

const input = JSON.parse(process.argv[2]);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const say = (message) => process.stdout.write(JSON.stringify(message) + '\n');

async function step(name, action) {
  try {
    return await action();
  } catch (error) {
    const detail = [error.error, error.error_description].filter(Boolean).join(': ');
    const cause = error.cause ? ` cause: ${JSON.stringify(error.cause)}` : '';
    process.stderr.write(`${name} failed: ${error.message}${detail ? ` (${detail})` : ''}${cause}\n`);
    process.exit(1);
  }
}

async function expectFailure(promise) {
  try {
    await promise;
  } catch (error) {
    return { name: error.name, error: error.error ?? null, status: error.status ?? null };
  }
  throw new Error('the request was expected to fail, and it succeeded');
}

function jwtHeader(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString('utf8'));
}

// Discovery; client_secret_basic so that the credentials travel form-urlencoded in HTTP Basic.
const config = await step('discovery', () =>
  client.discovery(
    new URL(input.issuer),
    input.client_id,
    undefined,
    client.ClientSecretBasic(input.client_secret),
    { execute: [client.allowInsecureRequests] }, // the simulator is plain HTTP on loopback
  ),
);

const codeVerifier = client.randomPKCECodeVerifier();
const state = client.randomState();
const nonce = client.randomNonce();
say({
  authorize: client.buildAuthorizationUrl(config, {
    redirect_uri: input.redirect_uri,
    scope: input.scope,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  }).href,
});
const callback = (await lines.next()).value;

// Code exchange: openid-client checks state, PKCE, and the id_token (RS256 signature against
// the jwks_uri keys, iss, aud, exp, iat, nonce) and throws on any mismatch.
const tokens = await step('code exchange', () =>
  client.authorizationCodeGrant(config, new URL(callback), {
    pkceCodeVerifier: codeVerifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  }),
);
const claims = tokens.claims();
const userinfo = await step('userinfo', () =>
  client.fetchUserInfo(config, tokens.access_token, claims.sub),
);
const api = await step('web services API', () =>
  client.fetchProtectedResource(config, tokens.access_token, new URL(input.resource), 'GET'),
);

// Refresh rotation: a new refresh token each time; the old one must then fail, and its reuse
// revokes the whole chain, the newest refresh token included (RFC 9700 §4.14.2).
const refreshed = await step('refresh', () => client.refreshTokenGrant(config, tokens.refresh_token));
const again = await step('second refresh', () =>
  client.refreshTokenGrant(config, refreshed.refresh_token),
);
const reuse = await expectFailure(client.refreshTokenGrant(config, tokens.refresh_token));
const afterReuse = await expectFailure(client.refreshTokenGrant(config, again.refresh_token));

const meta = config.serverMetadata();
const pkg = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url))).version;
say({
  result: {
    node: process.version,
    openid_client: pkg('openid-client'),
    issuer: meta.issuer,
    supports_pkce: meta.supportsPKCE(),
    nonce,
    id_token_header: jwtHeader(tokens.id_token),
    id_token_claims: claims,
    token_scope: tokens.scope,
    userinfo,
    api_status: api.status,
    refresh_rotated: refreshed.refresh_token !== tokens.refresh_token,
    refresh_access_token_new: refreshed.access_token !== tokens.access_token,
    reuse,
    rotated_refresh_works_once: again.refresh_token !== refreshed.refresh_token,
    after_reuse: afterReuse,
    end_session: client.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token,
      post_logout_redirect_uri: input.redirect_uri,
      state: 'signed-out',
    }).href,
  },
});
process.exit(0);
