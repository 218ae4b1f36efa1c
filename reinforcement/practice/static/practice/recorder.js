/* Practice recorder: MediaRecorder in the browser, then a resumable chunked upload.
   The upload opens with the declared type and size, sends 1 MB chunks with the offset the
   server last acknowledged, and after a network error asks the server for that offset and
   resumes from there. No inline script: configuration comes from the json_script block. */
(function () {
  "use strict";
  var root = document.getElementById("recorder");
  var configNode = document.getElementById("recorder-config");
  if (!root || !configNode) return;
  var config = JSON.parse(configNode.textContent);
  if (!config) { root.hidden = true; return; }
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  function $(id) { return document.getElementById(id); }
  var preview = $("rec-preview"), playback = $("rec-playback"), startBtn = $("rec-start"),
      stopBtn = $("rec-stop"), sendBtn = $("rec-upload"), progress = $("rec-progress"),
      status = $("rec-status"), timer = $("rec-timer"), fileInput = $("rec-file");
  var stream = null, recorder = null, chunks = [], recording = null, ticker = null, startedAt = 0;

  function say(message, bad) {
    status.textContent = message;
    status.classList.toggle("text-danger", !!bad);
  }
  function megabytes(bytes) { return (bytes / 1048576).toFixed(1) + " MB"; }
  function clock(seconds) { return Math.floor(seconds / 60) + ":" + String(Math.floor(seconds % 60)).padStart(2, "0"); }
  function kind() { return document.querySelector("input[name=rec-kind]:checked").value; }
  function pickType(k) {
    var candidates = k === "video"
      ? ["video/webm;codecs=vp8,opus", "video/webm", "video/mp4"]
      : ["audio/webm;codecs=opus", "audio/webm", "audio/ogg", "audio/mp4"];
    for (var i = 0; i < candidates.length; i++) {
      if (window.MediaRecorder && MediaRecorder.isTypeSupported(candidates[i])) return candidates[i];
    }
    return "";
  }
  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  if (!navigator.mediaDevices || !window.MediaRecorder) {
    startBtn.disabled = true;
    say("This browser cannot record here: choose a recording file or answer in writing.");
  }

  startBtn.addEventListener("click", async function () {
    var wantVideo = kind() === "video";
    try {
      stream = await navigator.mediaDevices.getUserMedia(wantVideo ? { video: true, audio: true } : { audio: true });
    } catch (err) {
      say("No camera or microphone could be opened (" + err.name + "). Check the browser's permission.", true);
      return;
    }
    var type = pickType(kind());
    recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    chunks = [];
    recorder.addEventListener("dataavailable", function (e) { if (e.data && e.data.size) chunks.push(e.data); });
    recorder.addEventListener("stop", function () {
      clearInterval(ticker);
      stream.getTracks().forEach(function (t) { t.stop(); });
      recording = new Blob(chunks, { type: (recorder.mimeType || type || "video/webm") });
      preview.hidden = true;
      preview.srcObject = null;
      playback.src = URL.createObjectURL(recording);
      playback.hidden = false;
      startBtn.disabled = false;
      stopBtn.disabled = true;
      sendBtn.disabled = false;
      say("Recorded " + clock((Date.now() - startedAt) / 1000) + " (" + megabytes(recording.size) + "). Play it back, then send it or record again.");
    });
    if (wantVideo) { preview.srcObject = stream; preview.hidden = false; preview.play(); }
    playback.hidden = true;
    recorder.start(1000);
    startedAt = Date.now();
    startBtn.disabled = true;
    stopBtn.disabled = false;
    sendBtn.disabled = true;
    say("Recording…");
    ticker = setInterval(function () {
      var seconds = (Date.now() - startedAt) / 1000;
      timer.textContent = clock(seconds);
      if (seconds >= config.maxSeconds && recorder.state === "recording") recorder.stop();
    }, 250);
  });

  stopBtn.addEventListener("click", function () {
    if (recorder && recorder.state === "recording") recorder.stop();
  });

  fileInput.addEventListener("change", function () {
    if (fileInput.files.length) {
      recording = fileInput.files[0];
      sendBtn.disabled = false;
      say("Ready to send " + recording.name + " (" + megabytes(recording.size) + ").");
    }
  });

  async function json(response) {
    try { return await response.json(); } catch (e) { return {}; }
  }

  async function currentOffset(url) {
    var r = await fetch(url, { credentials: "same-origin" });
    if (!r.ok) throw new Error("status " + r.status);
    return (await r.json()).offset;
  }

  async function upload(blob) {
    if (blob.size > config.maxBytes) {
      say("The recording is " + megabytes(blob.size) + "; the limit is " + megabytes(config.maxBytes) + ".", true);
      return;
    }
    sendBtn.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    say("Starting the upload…");
    var opened = await fetch(config.start, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ content_type: blob.type, size: blob.size })
    });
    var body = await json(opened);
    if (!opened.ok) { say(body.error || "The upload was refused.", true); sendBtn.disabled = false; progress.hidden = true; return; }
    var url = body.upload_url, chunk = body.chunk_bytes || config.chunkBytes, offset = 0, failures = 0;
    while (offset < blob.size) {
      var response;
      try {
        response = await fetch(url, {
          method: "PUT", credentials: "same-origin",
          headers: { "Upload-Offset": String(offset), "X-CSRFToken": csrf, "Content-Type": "application/octet-stream" },
          body: blob.slice(offset, Math.min(offset + chunk, blob.size))
        });
      } catch (err) {
        failures += 1;
        if (failures > 8) { say("The connection keeps dropping. Try again later; the upload resumes where it stopped.", true); sendBtn.disabled = false; return; }
        say("Connection lost; retrying from the last acknowledged byte (try " + failures + ")…");
        await sleep(Math.min(500 * Math.pow(2, failures - 1), 8000));
        try { offset = await currentOffset(url); } catch (e) { /* still offline: keep the offset */ }
        continue;
      }
      body = await json(response);
      if (response.status === 409 && typeof body.offset === "number") { offset = body.offset; continue; }
      if (!response.ok) { say(body.error || "The upload failed.", true); sendBtn.disabled = false; return; }
      failures = 0;
      offset = body.offset;
      progress.value = Math.round((offset / blob.size) * 100);
      progress.textContent = progress.value + "%";
      say("Uploading… " + progress.value + "%");
    }
    var done = await fetch(url, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf } });
    body = await json(done);
    if (!done.ok) { say(body.error || "The upload could not be finished.", true); sendBtn.disabled = false; return; }
    say("Sent for review as attempt " + body.number + ".");
    window.location.reload();
  }

  sendBtn.addEventListener("click", function () { if (recording) upload(recording); });
})();
