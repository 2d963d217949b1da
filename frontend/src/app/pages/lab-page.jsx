// The lab: your own token taken apart, the keys that check it, every API call listed, and a
// bench to forge tokens and watch the server refuse them. Loaded on demand (React.lazy in app.jsx), so
// its code does not weigh on the login page.
import { useAuth } from "../../features/auth/auth-provider.jsx";
import { KeysPanel } from "../../features/lab/keys-panel.jsx";
import { RequestLogPanel } from "../../features/lab/request-log-panel.jsx";
import { TamperLab } from "../../features/lab/tamper-lab.jsx";
import { TokenInspector } from "../../features/lab/token-inspector.jsx";

/** /lab: Token inspector, Keys, Request log and Tamper lab. Rendered inside <RequireAuth>. */
export function LabPage() {
  const { user } = useAuth();

  return (
    <div className="lab">
      <h1>Lab</h1>
      <p className="lead">
        Watch your own token at work: read it, follow it through every request,
        then try to forge one.
      </p>
      <TokenInspector user={user} />
      <KeysPanel />
      <RequestLogPanel />
      <TamperLab />
    </div>
  );
}
