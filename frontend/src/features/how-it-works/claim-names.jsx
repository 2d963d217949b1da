// Panel: where each name in a token comes from (the RFCs, the IANA registry, flask-jwt-extended,
// this app) and what it means, beside its value in the token shown.
import { Panel } from "./teaching-parts.jsx";

// Who defines each name a token of this app may carry, and what it means.
const NAMES = [
  ["alg", "header", "RFC 7515 §4.1.1", "the signing algorithm"],
  ["kid", "header", "RFC 7515 §4.1.4", "which of the server's keys signed it"],
  ["typ", "header", "RFC 7515 §4.1.9", 'the token\'s media type: "JWT"'],
  ["iss", "payload", "RFC 7519 §4.1.1", "who issued it"],
  ["sub", "payload", "RFC 7519 §4.1.2", "who it is about (a string)"],
  ["aud", "payload", "RFC 7519 §4.1.3", "which service may accept it"],
  ["exp", "payload", "RFC 7519 §4.1.4", "not accepted on or after this time"],
  ["nbf", "payload", "RFC 7519 §4.1.5", "not accepted before this time"],
  ["iat", "payload", "RFC 7519 §4.1.6", "when it was issued"],
  ["jti", "payload", "RFC 7519 §4.1.7", "a unique id (what logout revokes)"],
  ["type", "payload", "flask-jwt-extended", '"access" or "refresh"'],
  ["fresh", "payload", "flask-jwt-extended", "made from a typed password?"],
  [
    "csrf",
    "payload",
    "flask-jwt-extended",
    "checked only for cookie tokens, on POST, PUT, PATCH, DELETE",
  ],
  ["sid", "payload", "IANA registry", "the login session it belongs to"],
  ["role", "payload", "this app", "student or teacher: what you may do"],
];

export function ClaimNames({ exchange }) {
  return (
    <Panel
      id="basics-claims"
      title="Registered claims, the library's, and this app's"
    >
      <p>
        The names in a JWT come from three places. <em>Registered</em> claims
        (RFC 7519 §4.1) mean the same to every JWT library, and more names are
        registered with IANA (its &quot;JSON Web Token Claims&quot; registry):
        this app uses <code>sid</code>, &quot;Session ID&quot;, for its login
        session. The others are private names (§4.3) that mean something only to
        the code that wrote them: flask-jwt-extended adds its own, and this app
        one more, <code>role</code>.
      </p>
      <div className="table-scroll" tabIndex={0} aria-label="Claim names">
        <table className="explained">
          <caption>
            Who defines each name in {exchange.live ? "your" : "a"} token
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Part</th>
              <th scope="col">Defined by</th>
              <th scope="col">Meaning</th>
              <th scope="col">
                {exchange.live ? "In your token" : "In the example"}
              </th>
            </tr>
          </thead>
          <tbody>
            {NAMES.map(([name, part, source, meaning]) => {
              const value = (
                part === "header" ? exchange.header : exchange.payload
              )[name];
              return (
                <tr key={name}>
                  <th scope="row">
                    <code>{name}</code>
                  </th>
                  <td>{part}</td>
                  <td>{source}</td>
                  <td>{meaning}</td>
                  <td>
                    <code>
                      {value === undefined ? "—" : JSON.stringify(value)}
                    </code>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p>
        Do not mix up <code>typ</code> and <code>type</code>. <code>typ</code>,
        in the header, says the whole string is a JWT. <code>type</code>, in the
        payload, is flask-jwt-extended&apos;s way of telling an access token
        from a refresh token; RFC 8725 §3.11 recommends a different header{" "}
        <code>typ</code> per kind of token for that (such as <code>at+jwt</code>{" "}
        for access tokens, RFC 9068). Either way, a server must refuse a refresh
        token where an access token belongs: experiment 6 of the Tamper lab.
      </p>
    </Panel>
  );
}
