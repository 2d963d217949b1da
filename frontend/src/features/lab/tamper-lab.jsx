// The Tamper lab: real requests to GET /api/protected with tokens forged in this browser, and
// the server's real answers. Lab requests send their own token, which leaves the session alone:
// their (expected) 401s are shown here instead of logging you out. Whatever happens, the page
// shows it and carries on.
import { useRef, useState } from "react";
import { client } from "../../api/client.js";
import { send as sendRequest } from "../../api/http.js";
import { getToken } from "../../api/token-store.js";
import { decodeToken, shortenToken } from "../../lib/jwt.js";
import { API } from "../../lib/paths.js";
import { KEY_CASES, TAMPER_CASES } from "./tamper-cases.js";

const EXPERIMENTS = [...TAMPER_CASES, ...KEY_CASES];

const STATUS_TEXT = {
  200: "OK",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

function statusLine(status) {
  if (status === 0) return "No answer";
  return `${status} ${STATUS_TEXT[status] ?? ""}`.trim();
}

const DEFAULT_PATH = API.protected;

// One request per experiment, however it ends: {status, msg, kind} from the server (kind: its
// machine-readable `error`, when it sends one) or from the network. Sent as it is, token and
// all: the session's own 401 handling stays out of it, so a refused token here logs nobody out.
async function send(token, path) {
  try {
    // `null`: no Authorization header at all (experiment 5).
    const { response, data } = await sendRequest(path, {
      method: "GET",
      token: token ?? null,
    });
    if (response.ok)
      return { status: response.status, msg: JSON.stringify(data) };
    return {
      status: response.status,
      msg: data?.msg ?? `Request failed with status ${response.status}`,
      kind: typeof data?.error === "string" ? data.error : null,
    };
  } catch (error) {
    return { status: error.status ?? 0, msg: error.msg ?? error.message };
  }
}

function Result({ experiment, result }) {
  if (!result) return <p className="muted">Not sent yet.</p>;
  if (result.pending) return <p>Sending...</p>;
  if (result.unavailable) {
    return <p className="message message-note">{result.unavailable}</p>;
  }
  if (result.error) {
    return (
      <p className="message message-error">
        Could not build this token: {result.error}
      </p>
    );
  }
  const asExpected = result.status === experiment.expected;
  return (
    <>
      <div className="tamper-result">
        <div>
          <h4>Request</h4>
          <dl className="facts">
            <dt>Sent</dt>
            <dd>
              GET {experiment.path ?? DEFAULT_PATH}
              <br />
              {result.token ? (
                <>
                  Authorization: Bearer{" "}
                  <code className="nowrap">{shortenToken(result.token)}</code>
                </>
              ) : (
                "no Authorization header"
              )}
            </dd>
            <dt>Changed</dt>
            <dd className="prose-dd">{result.changed}</dd>
          </dl>
        </div>
        <div>
          <h4>Response</h4>
          <dl className="facts">
            <dt>Status</dt>
            <dd>
              {statusLine(result.status)}{" "}
              <span
                className={`badge ${asExpected ? "badge-ok" : "badge-rejected"}`}
              >
                {asExpected ? "as expected" : `expected ${experiment.expected}`}
              </span>
            </dd>
            <dt>Server says</dt>
            <dd>{result.msg}</dd>
            {result.kind && (
              <>
                <dt>Kind</dt>
                <dd>
                  <code>{result.kind}</code>
                </dd>
              </>
            )}
          </dl>
        </div>
      </div>
      <p>
        <strong>Why: </strong>
        {experiment.why}
      </p>
    </>
  );
}

/** Sixteen experiments, each a button that sends one real request and shows the answer. */
export function TamperLab() {
  const [results, setResults] = useState({});
  // POST /api/lab/tokens is asked once and shared by the experiments that need its tokens.
  const labTokensRef = useRef(null);

  function labTokens() {
    if (!labTokensRef.current) {
      // A normal call with the real token: if it has expired, the client refreshes it first.
      labTokensRef.current = client(API.labTokens, { method: "POST" }).then(
        (data) => ({ data }),
        (error) => {
          // A 404 will not change by asking again; a network error or a 5xx might.
          if (!(error.status >= 400 && error.status < 500)) {
            labTokensRef.current = null;
          }
          return { status: error.status, msg: error.msg ?? error.message };
        },
      );
    }
    return labTokensRef.current;
  }

  // GET /.well-known/jwks.json is asked once too; publicKey() finds the token's key in it.
  const jwksRef = useRef(null);

  async function publicKey() {
    if (!jwksRef.current) {
      jwksRef.current = client(API.jwks, { token: null }).catch((error) => {
        jwksRef.current = null;
        return { error };
      });
    }
    const jwks = await jwksRef.current;
    if (jwks.error) return { msg: jwks.error.msg };
    const { kid } = decodeToken(getToken() ?? "").header ?? {};
    const keys = jwks.keys ?? [];
    return { jwk: keys.find((key) => key.kid === kid) ?? keys[0] };
  }

  async function run(experiment) {
    setResults((all) => ({ ...all, [experiment.id]: { pending: true } }));
    let result;
    try {
      const prepared = await experiment.prepare({
        token: getToken(),
        labTokens,
        publicKey,
      });
      result = prepared.unavailable
        ? prepared
        : {
            ...prepared,
            ...(await send(prepared.token, experiment.path ?? DEFAULT_PATH)),
          };
    } catch (error) {
      result = { error: error.message };
    }
    setResults((all) => ({ ...all, [experiment.id]: result }));
  }

  return (
    <section className="panel" aria-labelledby="tamper-heading">
      <h2 id="tamper-heading">Tamper lab</h2>
      <p>
        Each button builds a token in this browser and sends a real request to{" "}
        <code>GET /api/protected</code> (number 9 to the teacher&apos;s{" "}
        <code>GET /api/classroom/sessions</code>). The server decides; this page
        only shows what it answered, and the kind of refusal when it names one.
        Your own session is not affected. From number 10 on, the attacks that
        come with keys: the algorithm, the key and who the token is for.
      </p>
      <ol className="tamper-list">
        {EXPERIMENTS.map((experiment) => {
          const result = results[experiment.id];
          return (
            <li key={experiment.id}>
              <article
                className="tamper-case"
                aria-labelledby={`tamper-${experiment.id}`}
              >
                <div className="tamper-head">
                  <h3 id={`tamper-${experiment.id}`}>{experiment.title}</h3>
                  <button
                    type="button"
                    disabled={result?.pending}
                    onClick={() => run(experiment)}
                  >
                    {experiment.button}
                  </button>
                </div>
                <div aria-live="polite">
                  <Result experiment={experiment} result={result} />
                </div>
              </article>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
