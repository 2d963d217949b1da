const loginForm = document.getElementById("loginForm");
const alertBox = document.getElementById("alert");

loginForm.addEventListener("submit", async (e) => {
  e.preventDefault();
  alertBox.innerText = "";
  try {
    const response = await fetch(`${API_URL}/api/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        username: loginForm.username.value,
        password: loginForm.password.value,
      }),
    });
    const data = await response.json();
    if (response.ok) {
      localStorage.setItem("token", data.token);
      window.location.href = "account.html";
    } else {
      alertBox.innerText = data.msg;
    }
  } catch (error) {
    alertBox.innerText = "Error: " + error.message;
  }
});
