const token = localStorage.getItem("token");

// not logged in -> back to login
if (!token) {
  location.assign("/login.html");
} else {
  getProfile();
}

async function getProfile() {
  const res = await fetch(API_URL + "/me", {
    headers: { Authorization: "Bearer " + token },
  });

  if (res.status === 401 || res.status === 422) {
    localStorage.removeItem("token");
    location.assign("/login.html");
    return;
  }

  const user = await res.json();
  document.getElementById("welcome").textContent = "Welcome back, " + user.username + "!";
}

document.getElementById("logout").addEventListener("click", () => {
  localStorage.removeItem("token");
  location.assign("/login.html");
});
