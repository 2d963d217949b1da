const root = document.getElementById("root");

function navigate(path) {
  window.history.pushState({}, "", path);
  route();
}

function route() {
  const loggedIn = localStorage.getItem("token") !== null;
  if (window.location.pathname === "/profile" && loggedIn) {
    profilePage();
  } else if (loggedIn) {
    navigate("/profile");
  } else {
    if (window.location.pathname !== "/login") window.history.replaceState({}, "", "/login");
    loginPage();
  }
}

function loginPage() {
  root.innerHTML = `
    <h1>Friendly 👋</h1>
    <form id="form">
      <label>Username <input id="username"></label>
      <label>Password <input id="password" type="password"></label>
      <button type="submit">Log in</button>
    </form>
    <p id="error" class="error"></p>`;
  document.getElementById("form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const res = await fetch(`${API_URL}/login`, {
      method: "POST",
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
    localStorage.setItem("token", data.token);
    localStorage.setItem("user_id", data.user_id);
    navigate("/profile");
  });
}

async function profilePage() {
  root.innerHTML = "<p>Loading profile...</p>";
  const userId = localStorage.getItem("user_id");
  const res = await fetch(`${API_URL}/profile?user_id=${userId}`, {
    headers: { Authorization: `Bearer ${localStorage.getItem("token")}` },
  });
  if (!res.ok) {
    localStorage.clear();
    return navigate("/login");
  }
  const user = await res.json();
  root.innerHTML = `
    <h1>@${user.username}</h1>
    <p>${user.bio || "No bio yet."}</p>
    <button id="logout">Log out</button>`;
  document.getElementById("logout").addEventListener("click", () => {
    localStorage.clear();
    navigate("/login");
  });
}

window.addEventListener("popstate", route);
route();
