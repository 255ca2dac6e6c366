/** A CSS string literal of `text` (quotes and backslashes escaped, line breaks dropped). */
function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, (match) => `\\${match}`).replace(/[\r\n]+/g, ' ')}"`;
}

/**
 * The printed page: A4 portrait with margins, and in the margin boxes the
 * report's name on the left, "page n / N" in the middle and the confidentiality
 * note on the right (Chromium draws `@page` margin boxes since version 131).
 * The texts depend on the report and the language, so the rule is built here
 * and installed as a constructed style sheet: the content security policy
 * allows no inline `<style>`, and CSSOM sheets are not inline styles.
 */
export function pageStyleText(footer: string, note: string): string {
  const box = `font-family: 'Noto Sans CJK SC', sans-serif; font-size: 8pt; color: #7b8795;`;
  return `@page {
  size: A4 portrait;
  margin: 16mm 14mm 16mm 14mm;
  @bottom-left { content: ${cssString(footer)}; ${box} }
  @bottom-center { content: counter(page) " / " counter(pages); ${box} }
  @bottom-right { content: ${cssString(note)}; ${box} }
}`;
}

/** Installs the page style on `document` (replacing its earlier text); returns a function that removes it. */
export function installPageStyle(sheet: CSSStyleSheet, text: string): () => void {
  sheet.replaceSync(text);
  if (!document.adoptedStyleSheets.includes(sheet)) document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  return () => {
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((candidate) => candidate !== sheet);
  };
}
