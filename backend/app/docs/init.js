// Starts Swagger UI on /api/docs. A file rather than an inline <script>: the page's
// Content-Security-Policy (script-src 'self') refuses inline code.
window.ui = SwaggerUIBundle({
  url: "openapi.json", // relative to /api/docs, so it also works behind a path prefix
  dom_id: "#swagger-ui",
  deepLinking: true,
});
