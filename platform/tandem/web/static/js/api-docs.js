// Starts Swagger UI on the vendored bundle, pointed at this server's OpenAPI document.
(function () {
  var spec = document.currentScript.getAttribute("data-spec");
  window.ui = SwaggerUIBundle({ url: spec, dom_id: "#swagger-ui", deepLinking: true });
})();
