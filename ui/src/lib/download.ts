// Saving a file the app made (an export) from the webview: a Blob behind a
// download link, clicked once and let go, so no file dialog or shell command
// is needed for a text export.

/** Offers `text` to the user as a file named `fileName`. */
export function downloadText(text: string, fileName: string, type = "text/plain"): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.style.display = "none";
  document.body.appendChild(link);
  try {
    link.click();
  } finally {
    link.remove();
    // Some webviews read the Blob after click() returns: let it go a moment later.
    window.setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}
