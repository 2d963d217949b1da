// si ya hay sesion vamos directo al perfil
if (sessionStorage.getItem("token")) {
  window.location.href = "perfil.html";
}

document.getElementById("formulario").addEventListener("submit", async function (e) {
  e.preventDefault();
  const mensaje = document.getElementById("mensaje");
  mensaje.innerText = "";

  const usuario = document.getElementById("usuario").value;
  const contrasena = document.getElementById("contrasena").value;
  if (!usuario || !contrasena) {
    mensaje.innerText = "Escribe tu usuario y tu contraseña";
    return;
  }

  const respuesta = await fetch(API_URL + "/api/login", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: usuario, password: contrasena }),
  });
  const datos = await respuesta.json();

  if (respuesta.status === 200) {
    sessionStorage.setItem("token", datos.token);
    window.location.href = "perfil.html";
  } else {
    mensaje.innerText = datos.msg;
  }
});
