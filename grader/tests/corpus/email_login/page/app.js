const loginSection = document.getElementById("login-section");
const profileSection = document.getElementById("profile-section");
const loginForm = document.getElementById("login-form");
const loginError = document.getElementById("login-error");

function showLogin() {
  profileSection.hidden = true;
  loginSection.hidden = false;
}

async function showProfile() {
  const token = localStorage.getItem("accessToken");
  const response = await fetch(`${API_URL}/auth/me`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!response.ok) {
    localStorage.removeItem("accessToken");
    showLogin();
    return;
  }
  const user = await response.json();
  document.getElementById("user-email").textContent = user.email;
  loginSection.hidden = true;
  profileSection.hidden = false;
}

loginForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  loginError.textContent = "";
  const email = document.getElementById("email").value;
  const password = document.getElementById("password").value;

  const response = await fetch(`${API_URL}/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const data = await response.json();
  if (response.ok) {
    localStorage.setItem("accessToken", data.access_token);
    loginForm.reset();
    showProfile();
  } else {
    loginError.textContent = data.error;
  }
});

document.getElementById("logout-btn").addEventListener("click", () => {
  localStorage.removeItem("accessToken");
  showLogin();
});

// already logged in?
if (localStorage.getItem("accessToken")) {
  showProfile();
} else {
  showLogin();
}
