import { useNavigate } from "react-router";
import { useAuth } from "../AuthContext.jsx";

export default function Dashboard() {
  const { user, logout } = useAuth();
  const navigate = useNavigate();

  function handleLogout() {
    logout();
    navigate("/login");
  }

  return (
    <div className="card">
      <header>
        <span>Signed in as {user.username}</span>
        <button onClick={handleLogout}>Sign out</button>
      </header>
      <h2>Your dashboard</h2>
      <p>No projects yet.</p>
    </div>
  );
}
