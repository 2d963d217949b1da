const token = sessionStorage.getItem("token");

if (!token) {
  window.location.href = "index.html";
}

async function cargarPerfil() {
  const respuesta = await fetch(API_URL + "/api/perfil", {
    headers: { Authorization: "Bearer " + token },
  });
  if (respuesta.status !== 200) {
    sessionStorage.removeItem("token");
    window.location.href = "index.html";
    return;
  }
  const datos = await respuesta.json();
  document.getElementById("saludo").innerText = "¡Hola, " + datos.username + "!";
}

document.getElementById("salir").addEventListener("click", function () {
  sessionStorage.removeItem("token");
  window.location.href = "index.html";
});

if (token) {
  cargarPerfil();
}
