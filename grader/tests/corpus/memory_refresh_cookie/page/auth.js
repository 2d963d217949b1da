// the access token only lives in memory (safer than localStorage),
// the refresh token is an httponly cookie the API sets
let accessToken = null;

const loginForm = document.getElementById("login-form");
const account = document.getElementById("account");

function getCookie(name) {
  const match = document.cookie.match(new RegExp("(^|; )" + name + "=([^;]*)"));
  return match ? decodeURIComponent(match[2]) : null;
}

async function refreshAccessToken() {
  const res = await fetch(API_URL + "/auth/refresh", {
    method: "POST",
    credentials: "include",
    headers: { "X-CSRF-TOKEN": getCookie("csrf_refresh_token") || "" },
  });
  if (!res.ok) return false;
  accessToken = (await res.json()).access_token;
  return true;
}

async function showAccount() {
  const res = await fetch(API_URL + "/auth/me", {
    headers: { Authorization: "Bearer " + accessToken },
  });
  if (!res.ok) return showLogin();
  const me = await res.json();
  document.getElementById("name").textContent = me.username;
  loginForm.hidden = true;
  account.hidden = false;
}

function showLogin() {
  account.hidden = true;
  loginForm.hidden = false;
}

loginForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  const res = await fetch(API_URL + "/auth/login", {
    method: "POST",
    credentials: "include",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      username: document.getElementById("username").value,
      password: document.getElementById("password").value,
    }),
  });
  const data = await res.json();
  if (!res.ok) {
    document.getElementById("error").textContent = data.msg;
    return;
  }
  accessToken = data.access_token;
  document.getElementById("error").textContent = "";
  showAccount();
});

document.getElementById("logout").addEventListener("click", async () => {
  await fetch(API_URL + "/auth/logout", { method: "POST", credentials: "include" });
  accessToken = null;
  showLogin();
});

// on load: still have a refresh cookie? then get a new access token
refreshAccessToken().then((ok) => {
  document.getElementById("loading").hidden = true;
  if (ok) showAccount();
  else showLogin();
});
