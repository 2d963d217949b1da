import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { App } from "./app/app.jsx";
import { startRequestLog } from "./api/request-log.js";
import "./styles.css";

// Before the first render, so the request log on /lab also lists the calls made before it opened.
startRequestLog();

createRoot(document.getElementById("root")).render(
  <StrictMode>
    <BrowserRouter>
      <App />
    </BrowserRouter>
  </StrictMode>,
);
