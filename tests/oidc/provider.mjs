// A real OpenID Connect provider (the certified `oidc-provider` package) for the single
// sign-on tests. It listens on a free loopback port, prints one JSON line with its issuer and
// serves the package's development login page, where any password is accepted for the logins
// given in OIDC_TEST_ACCOUNTS. Configuration comes from the environment:
//   OIDC_TEST_CLIENT    {"client_id", "client_secret", "redirect_uris": [...]}
//   OIDC_TEST_ACCOUNTS  {"<login>": {"email": "...", "email_verified": true}, ...}
import http from "node:http";
import Provider from "oidc-provider";

const client = JSON.parse(process.env.OIDC_TEST_CLIENT);
const accounts = JSON.parse(process.env.OIDC_TEST_ACCOUNTS);

const server = http.createServer();
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        ...client,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    async findAccount(ctx, sub) {
      const account = accounts[sub];
      if (!account) return undefined;
      return { accountId: sub, async claims() { return { sub, ...account }; } };
    },
    features: { devInteractions: { enabled: true } },
    // Fixed keys only silence the development warning; nothing here is secret.
    cookies: { keys: ["rolloutplanner-tests-only"] },
  });
  server.on("request", provider.callback());
  console.log(JSON.stringify({ issuer }));
});

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
