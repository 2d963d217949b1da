// same server so no need for the full url
const loginView = document.getElementById("login-view");
const homeView = document.getElementById("home-view");

function showHome(user) {
  document.getElementById("greeting").textContent = "Hello " + user.username + ", here are your recipes.";
  loginView.style.display = "none";
  homeView.style.display = "block";
}

function showLogin() {
  homeView.style.display = "none";
  loginView.style.display = "block";
}

async function loadMe() {
  const res = await fetch("/api/me", {
    headers: { Authorization: "Bearer " + localStorage.getItem("jwt") },
  });
  if (res.ok) {
    showHome(await res.json());
  } else {
    localStorage.removeItem("jwt");
    showLogin();
  }
}

document.getElementById("login-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const form = e.target;
  const res = await fetch("/api/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: form.username.value, password: form.password.value }),
  });
  const data = await res.json();
  if (!res.ok) {
    document.getElementById("login-error").textContent = data.msg;
    return;
  }
  localStorage.setItem("jwt", data.token);
  loadMe();
});

document.getElementById("logout-link").addEventListener("click", (e) => {
  e.preventDefault();
  localStorage.removeItem("jwt");
  showLogin();
});

if (localStorage.getItem("jwt")) {
  loadMe();
}
