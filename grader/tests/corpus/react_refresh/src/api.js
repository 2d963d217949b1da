const API_URL = import.meta.env.VITE_API_URL;

export async function loginRequest(username, password) {
  const res = await fetch(`${API_URL}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  const data = await res.json();
  if (!res.ok) throw new Error(data.msg || "Login failed");
  return data;
}

export async function refreshToken() {
  const res = await fetch(`${API_URL}/api/auth/refresh`, {
    method: "POST",
    headers: { Authorization: `Bearer ${localStorage.getItem("refresh_token")}` },
  });
  if (!res.ok) throw new Error("Session expired");
  const data = await res.json();
  localStorage.setItem("access_token", data.access_token);
  return data.access_token;
}

export async function getMe() {
  const res = await fetch(`${API_URL}/api/users/me`, {
    headers: { Authorization: `Bearer ${localStorage.getItem("access_token")}` },
  });
  if (!res.ok) throw new Error("Could not load user");
  return res.json();
}
