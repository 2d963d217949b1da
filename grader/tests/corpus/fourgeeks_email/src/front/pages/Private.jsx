import { useEffect } from "react";
import { useNavigate } from "react-router";
import useGlobalReducer from "../hooks/useGlobalReducer";

export const Private = () => {
  const { store, dispatch } = useGlobalReducer();
  const navigate = useNavigate();

  useEffect(() => {
    if (!store.token) {
      navigate("/login");
      return;
    }
    const getPrivate = async () => {
      const resp = await fetch(import.meta.env.VITE_BACKEND_URL + "/api/private", {
        headers: { Authorization: "Bearer " + store.token },
      });
      if (!resp.ok) {
        localStorage.removeItem("token");
        dispatch({ type: "logout" });
        navigate("/login");
        return;
      }
      const data = await resp.json();
      dispatch({ type: "set_user", payload: data.user });
    };
    getPrivate();
  }, [store.token]);

  return (
    <div className="container mt-5">
      <h1>Private</h1>
      {store.user ? <p>Welcome, {store.user.email}</p> : <p>Loading...</p>}
    </div>
  );
};
