// Voice input (Web Speech API) and read-aloud (speechSynthesis), where the browser has them.
// Where it does not, the voice button stays hidden and nothing else changes.

const Recognition = globalThis.SpeechRecognition || globalThis.webkitSpeechRecognition;

export function canListen() {
  return typeof Recognition === "function";
}

export function canSpeak() {
  return "speechSynthesis" in globalThis && typeof SpeechSynthesisUtterance === "function";
}

let voiceLanguage = "zh-CN";

export function setVoiceLanguage(language) {
  voiceLanguage = language === "en" ? "en-US" : "zh-CN";
}

/** Starts listening; onText(final transcript); onEnd() when recognition stops. */
export function listen(onText, onEnd) {
  if (!canListen()) return null;
  const recognition = new Recognition();
  recognition.lang = voiceLanguage;
  recognition.interimResults = false;
  recognition.maxAlternatives = 1;
  recognition.onresult = (event) => onText(event.results[0][0].transcript);
  recognition.onend = onEnd;
  recognition.onerror = onEnd;
  try {
    recognition.start();
  } catch {
    onEnd();
    return null;
  }
  return recognition;
}

export function speak(text) {
  if (!canSpeak()) return;
  speechSynthesis.cancel();
  const utterance = new SpeechSynthesisUtterance(String(text).replace(/\[\d+\]/g, ""));
  utterance.lang = voiceLanguage;
  utterance.rate = 0.9;
  speechSynthesis.speak(utterance);
}
