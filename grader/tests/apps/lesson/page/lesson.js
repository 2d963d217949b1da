// The lesson's front-end functions, as written (URLs filled in), on a plain page.
// Its mistakes are kept on purpose: `if(!resp.ok)` comes first, so the 401 and 400 branches
// never run, and getMyTasks() throws on every path, so its data is never returned.
const API = window.GRADER_TEST_APP.api;

const login = async (username, password) => {
  const resp = await fetch(`${API}/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password }),
  });

  if (!resp.ok) throw Error("There was a problem in the login request");

  if (resp.status === 401) {
    throw "Invalid credentials";
  } else if (resp.status === 400) {
    throw "Invalid email or password format";
  }
  const data = await resp.json();
  // Save your token in the localStorage
  // Also you should set your user into the store using the setItem function
  localStorage.setItem("jwt-token", data.token);

  return data;
};

// Assuming "/protected" is a private endpoint
const getMyTasks = async () => {
  // Retrieve token from localStorage
  const token = localStorage.getItem("jwt-token");

  const resp = await fetch(`${API}/protected`, {
    method: "GET",
    headers: {
      "Content-Type": "application/json",
      Authorization: "Bearer " + token, // ⬅⬅⬅ authorization token
    },
  });

  if (!resp.ok) {
    throw Error("There was a problem in the login request");
  } else if (resp.status === 403) {
    throw Error("Missing or invalid token");
  } else {
    throw Error("Unknown error");
  }

  const data = await resp.json();
  console.log("This is the data you requested", data);
  return data;
};

// The page around them: a form that logs in, then shows what getMyTasks() returns.
document.getElementById("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  await login(form.username.value, form.password.value);
  const data = await getMyTasks();
  document.getElementById("output").textContent = "Welcome, " + data.username;
});
