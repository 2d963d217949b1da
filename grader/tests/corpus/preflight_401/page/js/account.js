const token = localStorage.getItem("token");
if (!token) {
  window.location.href = "index.html";
}

async function loadAccount() {
  try {
    const response = await fetch(`${API_URL}/api/account`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const data = await response.json();
    if (!response.ok) {
      document.getElementById("info").innerText = data.msg;
      return;
    }
    document.getElementById("info").innerText = `Username: ${data.username}`;
  } catch (error) {
    document.getElementById("info").innerText = "Error: " + error.message;
  }
}

document.getElementById("logoutBtn").addEventListener("click", () => {
  localStorage.removeItem("token");
  window.location.href = "index.html";
});

if (token) loadAccount();
