const app = document.getElementById("app");

function showLogin(message) {
  app.innerHTML = `
    <h1>Orchard</h1>
    <form id="form">
      <p><label for="username">Username</label><br><input id="username" type="text"></p>
      <p><label for="password">Password</label><br><input id="password" type="password"></p>
      <button type="submit">Sign in</button>
    </form>
    <p id="error" class="error" role="alert"></p>`;
  if (message) document.getElementById("error").textContent = message;
  document.getElementById("form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const resp = await fetch(API_URL + "/api/token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        username: document.getElementById("username").value,
        password: document.getElementById("password").value,
      }),
    });
    const data = await resp.json();
    if (!resp.ok) {
      document.getElementById("error").textContent = data.msg;
      return;
    }
    localStorage.setItem("jwt-token", data.token);
    showPrivate();
  });
}

async function showPrivate() {
  const token = localStorage.getItem("jwt-token");
  if (!token) return showLogin();
  const resp = await fetch(API_URL + "/api/protected", {
    headers: { Authorization: "Bearer " + token },
  });
  if (!resp.ok) {
    localStorage.removeItem("jwt-token");
    return showLogin("Please sign in again");
  }
  const user = await resp.json();
  app.innerHTML = `
    <h1>Orchard</h1>
    <p>Signed in as ${user.username}</p>
    <button id="logout">Sign out</button>`;
  document.getElementById("logout").addEventListener("click", () => {
    localStorage.removeItem("jwt-token");
    showLogin();
  });
}

showPrivate();
