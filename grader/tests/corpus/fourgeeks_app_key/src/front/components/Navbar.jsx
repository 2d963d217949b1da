import { Link, useNavigate } from "react-router";
import useGlobalReducer from "../hooks/useGlobalReducer";

export const Navbar = () => {
  const { store, dispatch } = useGlobalReducer();
  const navigate = useNavigate();

  const logout = () => {
    localStorage.removeItem("access_token");
    dispatch({ type: "logout" });
    navigate("/");
  };

  return (
    <nav className="navbar navbar-dark bg-dark">
      <div className="container">
        <Link to="/" className="navbar-brand">
          🎬 Movie Night
        </Link>
        {store.token ? (
          <div>
            <Link to="/profile" className="btn btn-outline-light me-2">
              My profile
            </Link>
            <button className="btn btn-warning" onClick={logout}>
              Log out
            </button>
          </div>
        ) : (
          <Link to="/login" className="btn btn-outline-light">
            Log in
          </Link>
        )}
      </div>
    </nav>
  );
};
