const form = document.getElementById("login-form");
const errorText = document.getElementById("error");

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  errorText.textContent = "";

  const username = document.getElementById("username").value;
  const password = document.getElementById("password").value;

  try {
    const res = await fetch(API_URL + "/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: username, password: password }),
    });
    const data = await res.json();

    if (!res.ok) {
      errorText.textContent = data.msg;
      return;
    }

    localStorage.setItem("token", data.token);
    location.assign("/private.html");
  } catch (err) {
    console.log(err);
    errorText.textContent = "Something went wrong, try again";
  }
});
