const app = document.getElementById("app");
const toolbar = document.getElementById("toolbar");

function getToken() {
  return localStorage.getItem("jwt-token");
}

function go(path) {
  history.pushState(null, "", path);
  render();
}

window.addEventListener("popstate", render);

function render() {
  if (location.pathname === "/tasks") {
    if (!getToken()) return go("/");
    toolbar.hidden = false;
    app.innerHTML = `<h1>My tasks</h1><p id="hello">Loading...</p><ul id="tasks"></ul>`;
    loadUser();
  } else {
    if (getToken()) return go("/tasks");
    toolbar.hidden = true;
    app.innerHTML = `
      <h1>Log in</h1>
      <form id="login">
        <input id="username" placeholder="Username" aria-label="Username">
        <input id="password" type="password" placeholder="Password" aria-label="Password">
        <button>Enter</button>
      </form>
      <p id="error" role="alert"></p>`;
    document.getElementById("login").addEventListener("submit", login);
  }
}

async function login(e) {
  e.preventDefault();
  const resp = await fetch(API_URL + "/token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      username: document.getElementById("username").value,
      password: document.getElementById("password").value,
    }),
  });
  const data = await resp.json();
  if (resp.status === 401) {
    document.getElementById("error").textContent = "Bad username or password";
    return;
  }
  localStorage.setItem("jwt-token", data.token);
  go("/tasks");
}

async function loadUser() {
  const resp = await fetch(API_URL + "/protected", {
    headers: { Authorization: "Bearer " + getToken() },
  });
  if (!resp.ok) {
    localStorage.removeItem("jwt-token");
    return go("/");
  }
  const user = await resp.json();
  document.getElementById("hello").textContent = `Hi ${user.username}, nothing to do today 🎉`;
}

document.getElementById("logout").addEventListener("click", () => {
  localStorage.removeItem("jwt-token");
  go("/");
});
document.getElementById("refresh").addEventListener("click", loadUser);

render();
