const view = document.getElementById("view");

const routes = {
  "#/login": loginPage,
  "#/private": privatePage,
};

function router() {
  const page = routes[location.hash] || loginPage;
  page();
}

window.addEventListener("hashchange", router);
window.addEventListener("load", router);

function loginPage() {
  if (localStorage.getItem("jwt-token")) {
    location.hash = "#/private";
    return;
  }
  view.innerHTML = `
    <h1>Login</h1>
    <form id="login-form">
      <div><label for="user">Username</label> <input id="user" type="text"></div>
      <div><label for="pass">Password</label> <input id="pass" type="password"></div>
      <button type="submit">Login</button>
    </form>
    <p id="msg" class="error"></p>`;
  document.getElementById("login-form").onsubmit = async (e) => {
    e.preventDefault();
    const resp = await fetch(API_URL + "/token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        username: document.getElementById("user").value,
        password: document.getElementById("pass").value,
      }),
    });
    const data = await resp.json();
    if (resp.status === 200) {
      localStorage.setItem("jwt-token", data.token);
      location.hash = "#/private";
    } else {
      document.getElementById("msg").innerText = data.msg;
    }
  };
}

async function privatePage() {
  const token = localStorage.getItem("jwt-token");
  if (!token) {
    location.hash = "#/login";
    return;
  }
  view.innerHTML = "<p>Loading...</p>";
  const resp = await fetch(API_URL + "/protected", {
    headers: { Authorization: "Bearer " + token },
  });
  if (resp.status !== 200) {
    localStorage.removeItem("jwt-token");
    location.hash = "#/login";
    return;
  }
  const user = await resp.json();
  view.innerHTML = `
    <h1>My diary</h1>
    <p>Logged in as <b>${user.username}</b></p>
    <button id="logout">Logout</button>`;
  document.getElementById("logout").onclick = () => {
    localStorage.removeItem("jwt-token");
    location.hash = "#/login";
  };
}
