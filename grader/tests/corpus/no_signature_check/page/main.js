document.getElementById("login-form").addEventListener("submit", function (event) {
  event.preventDefault();
  fetch(API_URL + "/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      username: document.getElementById("username").value,
      password: document.getElementById("password").value,
    }),
  })
    .then((res) => res.json().then((data) => ({ ok: res.ok, data: data })))
    .then(({ ok, data }) => {
      if (!ok) {
        document.getElementById("error").innerHTML = data.message;
        return;
      }
      localStorage.setItem("token", data.token);
      loadDashboard();
    });
});

function loadDashboard() {
  fetch(API_URL + "/dashboard", {
    headers: { Authorization: "Bearer " + localStorage.getItem("token") },
  })
    .then((res) => {
      if (!res.ok) throw new Error("not logged in");
      return res.json();
    })
    .then((user) => {
      document.getElementById("hello").innerHTML = "Hey " + user.username + " 💪";
      document.getElementById("login-box").style.display = "none";
      document.getElementById("dashboard").style.display = "block";
    })
    .catch(() => logout());
}

function logout() {
  localStorage.removeItem("token");
  document.getElementById("dashboard").style.display = "none";
  document.getElementById("login-box").style.display = "block";
}

if (localStorage.getItem("token")) {
  loadDashboard();
}
