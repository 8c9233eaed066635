/** Hands a file the server made (a report, a template, an exported list) to the browser as a download. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // revoked later: some browsers read the address after the click returns
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
