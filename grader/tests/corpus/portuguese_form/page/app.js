const form = document.getElementById("form-login");
const painel = document.getElementById("painel");
const erro = document.getElementById("erro");

async function carregarPerfil() {
  const resposta = await fetch(API_URL + "/api/perfil", {
    headers: { Authorization: "Bearer " + localStorage.getItem("token") },
  });
  if (!resposta.ok) {
    localStorage.removeItem("token");
    mostrarLogin();
    return;
  }
  const perfil = await resposta.json();
  document.getElementById("ola").textContent = "Olá, " + perfil.usuario + "!";
  form.hidden = true;
  painel.hidden = false;
}

function mostrarLogin() {
  painel.hidden = true;
  form.hidden = false;
}

form.addEventListener("submit", async (evento) => {
  evento.preventDefault();
  erro.textContent = "";
  // manda como formulário normal
  const resposta = await fetch(API_URL + "/api/login", {
    method: "POST",
    body: new URLSearchParams(new FormData(form)),
  });
  const dados = await resposta.json();
  if (!resposta.ok) {
    erro.textContent = dados.msg;
    return;
  }
  localStorage.setItem("token", dados.token);
  form.reset();
  carregarPerfil();
});

document.getElementById("sair").addEventListener("click", () => {
  localStorage.removeItem("token");
  mostrarLogin();
});

if (localStorage.getItem("token")) {
  carregarPerfil();
}
