import { createContext, useContext, useEffect, useState } from "react";
import { getMe, loginRequest, refreshToken } from "./api.js";

const AuthContext = createContext(null);

export function AuthProvider({ children }) {
  const [user, setUser] = useState(null);
  const [loading, setLoading] = useState(true);

  // on page load get a fresh access token with the refresh token
  useEffect(() => {
    if (!localStorage.getItem("refresh_token")) {
      setLoading(false);
      return;
    }
    refreshToken()
      .then(() => getMe())
      .then((me) => setUser(me))
      .catch(() => {
        localStorage.removeItem("access_token");
        localStorage.removeItem("refresh_token");
      })
      .finally(() => setLoading(false));
  }, []);

  async function login(username, password) {
    const data = await loginRequest(username, password);
    localStorage.setItem("access_token", data.access_token);
    localStorage.setItem("refresh_token", data.refresh_token);
    setUser(await getMe());
  }

  function logout() {
    localStorage.removeItem("access_token");
    localStorage.removeItem("refresh_token");
    setUser(null);
  }

  return (
    <AuthContext.Provider value={{ user, loading, login, logout }}>{children}</AuthContext.Provider>
  );
}

export function useAuth() {
  return useContext(AuthContext);
}
