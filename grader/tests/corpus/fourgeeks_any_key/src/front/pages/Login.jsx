import { useState } from "react";
import { useNavigate } from "react-router";
import useGlobalReducer from "../hooks/useGlobalReducer";

export const Login = () => {
  const { dispatch } = useGlobalReducer();
  const navigate = useNavigate();
  const [user, setUser] = useState({ email: "", password: "" });

  const login = (e) => {
    e.preventDefault();
    fetch(import.meta.env.VITE_BACKEND_URL + "/api/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(user),
    })
      .then((resp) => resp.json().then((data) => ({ status: resp.status, data })))
      .then(({ status, data }) => {
        if (status !== 200) {
          alert(data.msg);
          return;
        }
        localStorage.setItem("token", data.token);
        dispatch({ type: "login", payload: { token: data.token, user: data.user } });
        navigate("/private");
      })
      .catch((error) => console.log(error));
  };

  return (
    <div className="container mt-5 w-50">
      <h2 className="text-center">🐾 Login</h2>
      <form onSubmit={login}>
        <label htmlFor="email" className="form-label">
          Email
        </label>
        <input
          type="email"
          className="form-control mb-3"
          id="email"
          onChange={(e) => setUser({ ...user, email: e.target.value })}
        />
        <label htmlFor="password" className="form-label">
          Password
        </label>
        <input
          type="password"
          className="form-control mb-3"
          id="password"
          onChange={(e) => setUser({ ...user, password: e.target.value })}
        />
        <button type="submit" className="btn btn-success">
          Submit
        </button>
      </form>
    </div>
  );
};
