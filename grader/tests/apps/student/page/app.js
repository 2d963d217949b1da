// A student's front end for the lesson, done right, with flaws switched on by name
// (window.GRADER_TEST_APP.flaws). Two pages: "/" (log in) and "/private".
//
//   no_login_form       the first page has no password field
//   silent_error        a failed login throws and nothing is shown (the lesson's pattern)
//   no_store            the token is kept in a variable only
//   session_storage     the token is kept in sessionStorage
//   no_bearer           the header is "Authorization: <token>", without "Bearer "
//   no_user_shown       the private page says "Welcome!" without the name
//   logout_keeps_token  Log out leaves the token in storage
//   no_guard            the private page calls the API even with no token
//   sends_email         the form sends {email, password}: the API expects username
//   cookie_token        the token is kept in a cookie that scripts can read
//   identity_from_query the private page asks for /protected?user_id=<its id>
const { api, flaws, tokenPath, protectedPath, field } = window.GRADER_TEST_APP;
const has = (flaw) => flaws.includes(flaw);
const store = has("session_storage")
  ? window.sessionStorage
  : window.localStorage;
const main = document.getElementById("main");
let tokenInMemory = null;

const COOKIE = /(?:^|; )jwt-token=([^;]*)/;
function readToken() {
  if (has("no_store")) return tokenInMemory;
  if (has("cookie_token"))
    return (document.cookie.match(COOKIE) || [])[1] || null;
  return store.getItem("jwt-token");
}
function saveToken(token) {
  if (has("no_store")) tokenInMemory = token;
  else if (has("cookie_token")) document.cookie = `jwt-token=${token}; path=/`;
  else store.setItem("jwt-token", token);
}
function removeToken() {
  if (has("logout_keeps_token")) return;
  tokenInMemory = null;
  document.cookie = "jwt-token=; path=/; max-age=0";
  store.removeItem("jwt-token");
}

async function login(username, password) {
  const resp = await fetch(api + tokenPath, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(
      has("sends_email")
        ? { email: username, password }
        : { username, password },
    ),
  });
  const data = await resp.json();
  if (!resp.ok) throw Error(data.msg || `Login failed (${resp.status})`);
  saveToken(data[field]);
  if (has("identity_from_query"))
    sessionStorage.setItem("user-id", String(data.user_id));
}

async function getMe() {
  const token = readToken();
  const query = has("identity_from_query")
    ? `?user_id=${sessionStorage.getItem("user-id")}`
    : "";
  const resp = await fetch(api + protectedPath + query, {
    headers: { Authorization: has("no_bearer") ? token : "Bearer " + token },
  });
  const data = await resp.json();
  if (!resp.ok) throw Error(data.msg || `Request failed (${resp.status})`);
  return data;
}

function navigate(path) {
  window.history.pushState({}, "", path);
  render();
}

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  Object.entries(attributes).forEach(([name, value]) =>
    node.setAttribute(name, value),
  );
  return node;
}

function labelled(labelText, attributes) {
  const label = element("label", labelText + " ");
  label.append(element("input", "", attributes));
  return label;
}

function showLogin() {
  main.replaceChildren(element("h1", "Log in"));
  if (has("no_login_form")) {
    main.append(element("p", "Call us to log in."));
    return;
  }
  const form = element("form");
  const alert = element("p", "", { role: "alert" });
  form.append(
    labelled("Username", { name: "username" }),
    labelled("Password", { name: "password", type: "password" }),
    element("button", "Log in", { type: "submit" }),
    alert,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const done = login(form.username.value, form.password.value).then(() =>
      navigate("/private"),
    );
    if (!has("silent_error"))
      done.catch((error) => (alert.textContent = error.message));
  });
  main.append(form);
}

function showPrivate() {
  if (!has("no_guard") && !readToken()) {
    navigate("/");
    return;
  }
  const logout = element("button", "Log out", { type: "button" });
  logout.addEventListener("click", () => {
    removeToken();
    navigate("/");
  });
  main.replaceChildren(
    element("h1", "Private"),
    element("p", "Loading..."),
    logout,
  );
  getMe()
    .then((user) => {
      const text = has("no_user_shown")
        ? "Welcome!"
        : `Welcome, ${user.username}`;
      main.replaceChildren(
        element("h1", "Private"),
        element("p", text),
        logout,
      );
    })
    .catch((error) => {
      main.replaceChildren(
        element("h1", "Private"),
        element("p", error.message),
        logout,
      );
    });
}

function render() {
  if (window.location.pathname === "/private") showPrivate();
  else showLogin();
}

window.addEventListener("popstate", render);
render();
