import { useState } from "react";
import { useNavigate } from "react-router";
import useGlobalReducer from "../hooks/useGlobalReducer";

const backendUrl = import.meta.env.VITE_BACKEND_URL;

export const Login = () => {
  const { dispatch } = useGlobalReducer();
  const navigate = useNavigate();
  const [form, setForm] = useState({ username: "", password: "" });
  const [error, setError] = useState("");

  const handleChange = (e) => setForm({ ...form, [e.target.name]: e.target.value });

  const handleSubmit = async (e) => {
    e.preventDefault();
    setError("");
    try {
      const resp = await fetch(`${backendUrl}/api/token`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(form),
      });
      const data = await resp.json();
      if (resp.status === 401) {
        setError("Wrong username or password");
        return;
      }
      if (!resp.ok) {
        setError(data.msg);
        return;
      }
      localStorage.setItem("access_token", data.access_token);
      dispatch({ type: "set_token", payload: data.access_token });
      navigate("/profile");
    } catch (err) {
      setError("Could not connect to the server");
    }
  };

  return (
    <div className="container mt-5" style={{ maxWidth: 360 }}>
      <h2 className="mb-3">Log in</h2>
      <form onSubmit={handleSubmit}>
        <input
          className="form-control mb-2"
          name="username"
          placeholder="Username"
          value={form.username}
          onChange={handleChange}
        />
        <input
          className="form-control mb-2"
          type="password"
          name="password"
          placeholder="Password"
          value={form.password}
          onChange={handleChange}
        />
        <button className="btn btn-primary w-100">Log in</button>
        {error && (
          <div className="alert alert-danger mt-3" role="alert">
            {error}
          </div>
        )}
      </form>
    </div>
  );
};
