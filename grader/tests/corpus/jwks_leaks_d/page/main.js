const loginView = document.getElementById("login-view");
const homeView = document.getElementById("home-view");

async function loadHome() {
  const token = localStorage.getItem("jwt-token");
  if (!token) {
    loginView.hidden = false;
    homeView.hidden = true;
    return;
  }
  const resp = await fetch(API_URL + "/protected", {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (resp.status === 200) {
    const user = await resp.json();
    document.getElementById("greeting").textContent = `Hi ${user.username}!`;
    loginView.hidden = true;
    homeView.hidden = false;
  } else {
    localStorage.removeItem("jwt-token");
    loginView.hidden = false;
    homeView.hidden = true;
  }
}

document.getElementById("login-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  document.getElementById("problem").textContent = "";
  const resp = await fetch(API_URL + "/token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      username: document.getElementById("name").value,
      password: document.getElementById("pw").value,
    }),
  });
  const data = await resp.json();
  if (resp.status === 200) {
    localStorage.setItem("jwt-token", data.token);
    loadHome();
  } else {
    document.getElementById("problem").textContent = data.msg || "Login failed";
  }
});

document.getElementById("logout").addEventListener("click", () => {
  localStorage.removeItem("jwt-token");
  loadHome();
});

loadHome();
