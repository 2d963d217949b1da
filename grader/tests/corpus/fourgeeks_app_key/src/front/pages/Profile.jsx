import { useEffect } from "react";
import { Navigate } from "react-router";
import useGlobalReducer from "../hooks/useGlobalReducer";

export const Profile = () => {
  const { store, dispatch } = useGlobalReducer();

  useEffect(() => {
    if (!store.token) return;
    fetch(`${import.meta.env.VITE_BACKEND_URL}/api/profile`, {
      headers: { Authorization: `Bearer ${store.token}` },
    })
      .then((resp) => {
        if (!resp.ok) throw new Error("Unauthorized");
        return resp.json();
      })
      .then((data) => dispatch({ type: "set_profile", payload: data }))
      .catch(() => {
        localStorage.removeItem("access_token");
        dispatch({ type: "logout" });
      });
  }, [store.token]);

  if (!store.token) return <Navigate to="/login" />;

  return (
    <div className="container mt-5">
      <h2>My profile</h2>
      {store.profile ? (
        <ul className="list-group">
          <li className="list-group-item">Username: {store.profile.username}</li>
          <li className="list-group-item">Email: {store.profile.email}</li>
        </ul>
      ) : (
        <p>Loading...</p>
      )}
    </div>
  );
};
