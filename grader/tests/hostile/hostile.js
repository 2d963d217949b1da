// A hostile student's page: the student test app's page (app.js) with one attack switched on
// (window.GRADER_TEST_APP.behaviour). See serve.py for the list.
const { behaviour, outsidePort, escapes } = window.GRADER_TEST_APP;
const outside = `127.0.0.1:${outsidePort}`;

if (behaviour === "redirect_assets") {
  // Both start on APP's own origin and answer 302 to the outside port.
  const image = new Image();
  image.alt = "";
  image.src = "/pixel.png";
  document.body.append(image);
  fetch("/fetch-away").catch(() => {});
}

if (behaviour === "websocket") {
  const socket = new WebSocket(`ws://${outside}/live`);
  socket.onerror = () => {};
}

if (behaviour === "webrtc") {
  const peer = new RTCPeerConnection({ iceServers: [{ urls: `stun:${outside}` }] });
  peer.createDataChannel("leak");
  peer.createOffer().then((offer) => peer.setLocalDescription(offer));
}

if (behaviour === "escapes") {
  window.alert(escapes);
}

if (behaviour === "alert_flood") {
  for (;;) window.alert("flood");
}

if (behaviour === "loop") {
  for (;;);
}
