const main = document.getElementById("main");

function renderLogin(error = "") {
  main.innerHTML = `
    <form id="login">
      <p><label for="u">username</label> <input id="u" name="username"></p>
      <p><label for="p">password</label> <input id="p" name="password" type="password"></p>
      <button>log in</button>
      <p class="err" role="alert">${error}</p>
    </form>`;
  document.getElementById("login").onsubmit = async (e) => {
    e.preventDefault();
    const res = await fetch(API_URL + "/login", {
      method: "POST",
      credentials: "include",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: e.target.username.value, password: e.target.password.value }),
    });
    const body = await res.json();
    if (!res.ok) return renderLogin(body.msg);
    localStorage.setItem("token", body.token);
    renderHome();
  };
}

async function renderHome() {
  const res = await fetch(API_URL + "/whoami", {
    credentials: "include",
    headers: { Authorization: "Bearer " + localStorage.getItem("token") },
  });
  if (!res.ok) {
    localStorage.removeItem("token");
    return renderLogin();
  }
  const me = await res.json();
  main.innerHTML = `
    <p>// logged in as ${me.username}</p>
    <p>no snippets yet</p>
    <button id="logout">log out</button>`;
  document.getElementById("logout").onclick = () => {
    localStorage.removeItem("token");
    renderLogin();
  };
}

if (localStorage.getItem("token")) renderHome();
else renderLogin();
