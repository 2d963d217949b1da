// auth = { token, user } als JSON im localStorage
function getAuth() {
  return JSON.parse(localStorage.getItem("auth") || "null");
}

const form = document.getElementById("anmelden");
const karten = document.getElementById("karten");
const abmelden = document.getElementById("abmelden");

function zeigeLogin() {
  karten.hidden = true;
  abmelden.hidden = true;
  form.hidden = false;
}

async function zeigeKarten() {
  const auth = getAuth();
  const res = await fetch(`${API_URL}/api/auth/me`, {
    headers: { Authorization: `Bearer ${auth.token}` },
  });
  if (!res.ok) {
    localStorage.removeItem("auth");
    return zeigeLogin();
  }
  const user = await res.json();
  document.getElementById("wer").textContent = `Angemeldet als ${user.username}`;
  form.hidden = true;
  karten.hidden = false;
  abmelden.hidden = false;
}

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const res = await fetch(`${API_URL}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      username: document.getElementById("name").value,
      password: document.getElementById("pw").value,
    }),
  });
  const data = await res.json();
  if (!res.ok) {
    document.getElementById("fehler").textContent = data.msg;
    return;
  }
  localStorage.setItem("auth", JSON.stringify({ token: data.access_token, user: data.user }));
  document.getElementById("fehler").textContent = "";
  zeigeKarten();
});

abmelden.addEventListener("click", () => {
  localStorage.removeItem("auth");
  zeigeLogin();
});

if (getAuth()) zeigeKarten();
else zeigeLogin();
