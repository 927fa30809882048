const special = /[&<>\r]/;
const specialAll = /[&<>\r]/g;
const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

/**
 * Escapes element text. `\r` is written as a reference because XML parsers fold raw CR/LF to LF
 * (https://www.w3.org/TR/xml/#sec-line-ends) and the SDK's parser does too.
 */
export function xmlEscape(text: string): string {
  return special.test(text) ? text.replace(specialAll, (c) => entities[c]!) : text;
}
